import { describe, expect, expectTypeOf, test } from 'vitest';
import { instantiate } from '../../src/index.js';
import { WorldView } from '../../src/world/world-view.js';
import { leaseLock, type LeaseContexts } from '../../examples/lease-lock.js';
import { alternatingBit, type AlternatingBitContexts, type ReceiverContext, type SenderContext } from '../../models/examples/alternating-bit/model.js';

/*
 * Typed world views: `WorldView<C>` gives each named process its context type.
 * These are checked by `tsc --noEmit` (the @ts-expect-error lines must be
 * errors); the runtime lines show the views are the ones the checker builds.
 */
describe('typed world views', () => {
  test("the lease lock's properties read typed contexts", () => {
    expectTypeOf<WorldView<LeaseContexts>['process']>().toBeFunction();
    const typed = (w: WorldView<LeaseContexts>) => {
      expectTypeOf(w.process('lock').context.token).toEqualTypeOf<number>();
      expectTypeOf(w.process('storage').context.accepted).toEqualTypeOf<Array<{ from: string; token: number }>>();
      expectTypeOf(w.process('c1').context.id).toEqualTypeOf<string>();
      // @ts-expect-error the lock server has no such field
      void w.process('lock').context.tokens;
      return w.process('lock').context.token;
    };
    const world = instantiate(leaseLock, 'fenced').world;
    expect(typed(new WorldView<LeaseContexts>(world, world.initialStates()[0]!))).toBe(0);
  });

  test('a TLA+ port reads its contexts off its machines with ContextsOf', () => {
    expectTypeOf<AlternatingBitContexts>().toEqualTypeOf<{ sender: SenderContext; receiver: ReceiverContext }>();
    const bits = (w: WorldView<AlternatingBitContexts>) => [w.process('sender').context.sBit, w.process('receiver').context.rBit];
    expectTypeOf(bits).returns.toEqualTypeOf<Array<0 | 1>>();
    const world = instantiate(alternatingBit, 'spec').world;
    expect(world.initialStates().map((s) => bits(new WorldView<AlternatingBitContexts>(world, s)))).toEqual([0, 0, 0, 0, 1, 1, 1, 1].map((b) => [b, b]));
  });

  test('an untyped view keeps every context `any`, as existing models expect', () => {
    expectTypeOf<WorldView['process']>().returns.toHaveProperty('context').toBeAny();
  });
});
