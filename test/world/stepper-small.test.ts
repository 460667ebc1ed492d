import { describe, expect, it } from 'vitest';
import { breadthFirst } from '../../src/engine/bfs.js';
import { createFastStepper, publicStepper } from '../../src/world/stepper.js';
import { World } from '../../src/world/world.js';
import { SMALL_WORLDS } from './small-worlds.js';

describe('the fast stepper and xstate’s public transition() build the same worlds', () => {
  it.each(SMALL_WORLDS)('$name: the same states in the same order, the same local states per process', ({ spec }) => {
    const fast = new World(spec());
    const slow = new World(spec(), { stepper: publicStepper });
    const a = breadthFirst(fast, [], { unpacked: true });
    const b = breadthFirst(slow, [], { unpacked: true });
    expect(a.states).toBe(b.states);
    expect(Array.from({ length: a.states }, (_, i) => a.stateAt(i))).toEqual(Array.from({ length: b.states }, (_, i) => b.stateAt(i)));
    expect(fast.processes.map((p) => p.locals.map((l) => l.key))).toEqual(slow.processes.map((p) => p.locals.map((l) => l.key)));
  });

  it('returns the actions a step asked for, and none left over from the step before', () => {
    const stepper = createFastStepper();
    const { machine } = SMALL_WORLDS[0]!.spec().processes.a!;
    const [start, none] = stepper.initial(machine, undefined);
    expect(none).toEqual([]);
    const [once, emitted] = stepper.step(machine, start, { type: 'GO' });
    expect(emitted.filter((x) => x.type === 'xstate.emit').map((x) => (x.params as { event: unknown }).event)).toEqual([{ type: 'send', to: 'b', msg: { type: 'PING', n: 0 } }]);
    const [, again] = stepper.step(machine, once, { type: 'GO' });
    expect(again.filter((x) => x.type === 'xstate.emit').map((x) => (x.params as { event: unknown }).event)).toEqual([{ type: 'send', to: 'b', msg: { type: 'PING', n: 1 } }]);
    const [, nothing] = stepper.step(machine, once, { type: 'NOT-HANDLED' } as never);
    expect(nothing).toEqual([]);
    // Each result keeps its own actions: the scope's list is reused, the lists handed out are copies.
    expect(emitted.filter((x) => x.type === 'xstate.emit')).toHaveLength(1);
    expect(again.filter((x) => x.type === 'xstate.emit')).toHaveLength(1);
    expect(publicStepper.step(machine, once, { type: 'GO' })[0].context).toEqual({ n: 2 });
  });
});
