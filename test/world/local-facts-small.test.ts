import { describe, expect, it } from 'vitest';
import { breadthFirst } from '../../src/engine/bfs.js';
import { LocalFactTable } from '../../src/world/local-facts.js';
import { World } from '../../src/world/world.js';
import { WorldView } from '../../src/world/world-view.js';
import type { WorldSpec } from '../../src/index.js';
import { collector, pinger } from './small-worlds.js';

/** A pinger and two crashable collectors; only b is pinged (and wakes on a timer): local facts are asked of the two collectors. */
function world(): World {
  const spec: WorldSpec = {
    processes: {
      a: { machine: pinger, requests: [{ type: 'GO' }] },
      b: { machine: collector, crash: { durable: (c: { seen: number[] }) => ({ seen: c.seen }) }, timeouts: [{ event: { type: 'WAKE' } }] },
      d: { machine: collector, crash: {}, timeouts: [{ event: { type: 'WAKE' } }] },
    },
    network: 'bag',
    budgets: { request: 2, crash: 1 },
  };
  return new World(spec);
}

describe('a local-fact table judges a state as its facts say, from each chosen process’s local state alone', () => {
  const w = world();
  const space = breadthFirst(w, [], { unpacked: true });
  const states = Array.from({ length: space.states }, (_, i) => space.stateAt(i));
  const collectors = (names: readonly string[]) => names.filter((n) => n === 'b' || n === 'd');
  const seen = (view: WorldView, name: string) => (view.process(name).crashed ? null : (view.process(name).context as { seen: number[] }).seen);

  it('counts, per fact, how many chosen processes it holds for, and asks `finds` with those counts and how many were chosen', () => {
    const asked: string[] = [];
    const table = new LocalFactTable(w, {
      processes: collectors,
      facts: { gotZero: (p) => !p.crashed && (p.context as { seen: number[] }).seen.includes(0), crashed: (p) => p.crashed, awake: (p) => p.is('awake') },
      finds: (counts, chosen) => {
        asked.push(`${counts.gotZero}/${counts.crashed}/${counts.awake}/${chosen}`);
        return counts.gotZero! >= 1 && counts.crashed! >= 1;
      },
    });
    const expected: string[] = [];
    let found = 0;
    for (const state of states) {
      const view = new WorldView(w, state);
      const gotZero = ['b', 'd'].filter((n) => seen(view, n)?.includes(0)).length;
      const crashed = ['b', 'd'].filter((n) => view.process(n).crashed).length;
      const awake = ['b', 'd'].filter((n) => view.process(n).is('awake')).length;
      expected.push(`${gotZero}/${crashed}/${awake}/2`);
      const finds = table.finds(state);
      expect(finds).toBe(gotZero >= 1 && crashed >= 1);
      if (finds) found++;
    }
    expect(asked).toEqual(expected);
    // Both answers occur, so the agreement says something.
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThan(states.length);
  });

  it('reads a packed vector at an offset as it reads the state string', () => {
    const table = new LocalFactTable(w, { facts: { listening: (p) => p.is('listening') }, finds: (counts, chosen) => counts.listening === 2 && chosen === 3 });
    for (const state of states.slice(0, 40)) {
      const data = Uint16Array.from([7, 7, ...Array.from(state, (c) => c.charCodeAt(0))]);
      expect(table.finds(data, 2)).toBe(table.finds(state));
    }
    expect(states.some((s) => table.finds(s))).toBe(true);
  });

  it('refuses more than 30 facts and names an unknown process', () => {
    const facts = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`f${i}`, () => true]));
    expect(() => new LocalFactTable(w, { facts, finds: () => false })).toThrow('a property declares more than 30 local facts');
    const thirty = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, () => i === 29]));
    const table = new LocalFactTable(w, { facts: thirty, finds: (counts) => counts.f29 === 3 && counts.f0 === 0 });
    expect(table.finds(states[0]!)).toBe(true);
    expect(() => new LocalFactTable(w, { processes: () => ['zz'], facts: {}, finds: () => false })).toThrow(/a property names unknown process 'zz'/);
  });
});
