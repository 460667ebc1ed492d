import { setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { breadthFirst } from '../../src/engine/bfs.js';
import { envelopesFrom, internEnvelope, internLocalKey, localKeys, tableSizes } from '../../src/world/portable.js';
import { World } from '../../src/world/world.js';
import { WorldView } from '../../src/world/world-view.js';
import { pairWorld, twoNetworkWorld } from './small-worlds.js';

/** Nested states: `up.idle` → `up.busy` on GO, `down` on STOP (from anywhere in `up`). */
const nested = setup({ types: {} as { events: { type: 'GO' } | { type: 'STOP' } } }).createMachine({
  initial: 'up',
  states: { up: { initial: 'idle', on: { STOP: 'down' }, states: { idle: { on: { GO: 'busy' } }, busy: {} } }, down: {} },
});

describe('a world view', () => {
  it('says which state a process is in, nested states included, and what it can take now', () => {
    const w = new World({ processes: { n: { machine: nested, requests: [{ type: 'GO' }, { type: 'STOP' }] } }, network: 'bag', budgets: {} });
    const s0 = w.initialStates()[0]!;
    const view = (s: string) => new WorldView(w, s).process('n');
    expect([view(s0).is('up'), view(s0).is('idle'), view(s0).is('busy'), view(s0).is('down'), view(s0).is('n')]).toEqual([true, true, false, false, false]);
    expect([view(s0).can({ type: 'GO' }), view(s0).can({ type: 'STOP' }), view(s0).can({ type: 'PING' })]).toEqual([true, true, false]);
    const busy = w.nextState(s0, w.actions(s0)[0]!);
    expect([view(busy).is('busy'), view(busy).is('idle'), view(busy).can({ type: 'GO' })]).toEqual([true, false, false]);
    const down = w.nextState(busy, w.actions(busy).find((a) => a.tag === 'STOP')!);
    expect([view(down).is('down'), view(down).is('up'), view(down).value]).toEqual([true, false, 'down']);
  });

  it('shows a crashed process as crashed, with what survived as its context, in no state and able to take nothing', () => {
    const w = new World(pairWorld('bag', { request: 1, crash: 1 }));
    const s0 = w.initialStates()[0]!;
    const sent = w.nextState(s0, w.actions(s0).find((a) => a.kind === 'request')!);
    const got = w.nextState(sent, w.actions(sent).find((a) => a.kind === 'deliver')!);
    const crashed = w.nextState(got, w.actions(got).find((a) => a.kind === 'crash')!);
    const b = new WorldView(w, crashed).process('b');
    expect({ crashed: b.crashed, value: b.value, context: b.context, listening: b.is('listening'), canWake: b.can({ type: 'WAKE' }) }).toEqual({
      crashed: true,
      value: undefined,
      context: { seen: [0] },
      listening: false,
      canWake: false,
    });
    expect(new WorldView(w, crashed).processes().map((p) => [p.name, p.crashed])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(new WorldView(w, got).process('b').can({ type: 'WAKE' })).toBe(true);
  });

  it('lists the partitions in force, what is connected, and the budgets left', () => {
    const w = new World(twoNetworkWorld());
    const s0 = w.initialStates()[0]!;
    const left = w.nextState(s0, w.actions(s0).find((a) => a.tag === 'left')!);
    const both = w.nextState(left, w.actions(left).find((a) => a.tag === 'both')!);
    const view = (s: string) => new WorldView(w, s);
    expect([view(s0).partitions(), view(left).partitions(), view(both).partitions()]).toEqual([[], ['left'], ['left', 'both']]);
    expect([view(s0).connected('a', 'b'), view(left).connected('a', 'b'), view(both).connected('b', 'a'), view(both).connected('a', 'a')]).toEqual([true, true, false, true]);
    expect([view(s0).budgetLeft('partition'), view(both).budgetLeft('partition'), view(both).budgetLeft('drop'), view(both).budgetLeft('timeout')]).toEqual([2, 0, 0, 1]);
    expect(view(s0).processNames).toEqual(['a', 'b']);
    expect(() => view(s0).process('zz')).toThrow("a property names unknown process 'zz' (processes: a, b)");
  });
});

describe('portable tables: another world of the same model interns the same keys to the same ids', () => {
  it('local states and envelopes, replayed in order into a fresh world, get the ids they had', () => {
    const source = new World(pairWorld('fifo'));
    breadthFirst(source, [], { unpacked: true });
    const target = new World(pairWorld('fifo'));
    const before = tableSizes(target);
    expect(before.envelopes).toBe(0);
    for (let p = 0; p < source.processes.length; p++) {
      const keys = localKeys(source, p, before.locals[p]);
      const ids = keys.map((key) => internLocalKey(target, p, key));
      expect(ids).toEqual(keys.map((_, i) => before.locals[p]! + i));
    }
    expect(envelopesFrom(source).map((e) => internEnvelope(target, e))).toEqual(source.envelopes.map((_, i) => i));
    expect(tableSizes(target)).toEqual(tableSizes(source));
    expect(envelopesFrom(source, 1)).toEqual(envelopesFrom(source).slice(1));
    expect(localKeys(source, 1).some((k) => k.startsWith('crashed:'))).toBe(true);
    // The adopted states step as the originals do: the same space from the same tables.
    const again = breadthFirst(target, [], { unpacked: true });
    expect(again.states).toBe(breadthFirst(new World(pairWorld('fifo')), [], { unpacked: true }).states);
    expect(tableSizes(target)).toEqual(tableSizes(source));
  });
});
