import { describe, expect, it } from 'vitest';
import { breadthFirst } from '../../src/engine/bfs.js';
import { World } from '../../src/world/world.js';
import { SMALL_WORLDS, tickWorld } from './small-worlds.js';

/** Every reachable state of a world, from a plain (string) search. */
function reachable(world: World): string[] {
  const space = breadthFirst(world, [], { unpacked: true });
  expect(space.complete).toBe(true);
  return Array.from({ length: space.states }, (_, i) => space.stateAt(i));
}

// Counts pinned from the plain search, which test/world/semantics.test.ts checks by hand on smaller
// worlds: here they guard the feature mix (faults, timers, ticks, two networks) against drift.
const COUNTS: Record<string, { states: number; transitions: number; depth: number }> = {
  'pair over bag': { states: 153, transitions: 315, depth: 9 },
  'pair over set': { states: 151, transitions: 309, depth: 9 },
  'pair over fifo': { states: 137, transitions: 272, depth: 9 },
  'pair over persistent': { states: 205, transitions: 422, depth: 9 },
  'ticks and a door that waits': { states: 18, transitions: 27, depth: 7 },
  'ticks and a door that drops what it cannot take': { states: 31, transitions: 55, depth: 7 },
  'two networks, two partitions, a conditional timer': { states: 146, transitions: 304, depth: 9 },
};

describe('the packed world agrees with the world on every reachable state of small hand-made worlds', () => {
  it.each(SMALL_WORLDS)('$name: the same actions in the same order, the same successors', ({ name, spec }) => {
    const world = new World(spec());
    const packed = new World(spec()).packed!;
    const states = reachable(world);
    // Mismatches are collected, not asserted one by one: a few thousand expects would cost more than the worlds.
    const mismatches: string[] = [];
    let successors = 0;
    for (const state of states) {
      const length = packed.packInto(state);
      const vector = packed.vector.slice(0, length);
      if (packed.unpack(vector, 0, length) !== state) mismatches.push(`unpack ${JSON.stringify(state)}`);
      const actions = world.actions(state);
      const count = packed.beginExpand(vector, 0, length);
      if (count !== actions.length) mismatches.push(`${count} actions, not ${actions.length}, at ${JSON.stringify(state)}`);
      actions.forEach((action, i) => {
        // The length first: successorInto may replace `vector` with a larger one.
        const written = packed.successorInto(i);
        const next = packed.unpack(packed.vector, 0, written);
        if (next !== world.nextState(state, action)) mismatches.push(`successor by ${action.id} at ${JSON.stringify(state)}`);
        successors++;
      });
    }
    expect(mismatches).toEqual([]);
    expect(successors).toBe(COUNTS[name]!.transitions);
  });

  it.each(SMALL_WORLDS)('$name: a packed search counts, orders and reaches what the plain one does, in both store modes', ({ name, spec }) => {
    const plainWorld = new World(spec());
    const plain = breadthFirst(plainWorld, [], { unpacked: true });
    expect({ states: plain.states, transitions: plain.transitions, depth: plain.depth }).toEqual(COUNTS[name]);
    for (const fingerprints of [false, true]) {
      const packedWorld = new World(spec());
      const packed = breadthFirst(packedWorld, [], { fingerprints });
      expect({ states: packed.states, transitions: packed.transitions, depth: packed.depth, complete: packed.complete }).toEqual({ ...COUNTS[name], complete: true });
      const sample = Array.from({ length: Math.ceil(plain.states / 7) }, (_, k) => 7 * k).concat(plain.states - 1);
      expect(sample.map((i) => packed.stateAt(i))).toEqual(sample.map((i) => plain.stateAt(i)));
      expect(sample.map((i) => packed.pathTo(i).map((a) => a.id).join(' '))).toEqual(sample.map((i) => plain.pathTo(i).map((a) => a.id).join(' ')));
      // Coverage is recorded by the packed world as the world records it.
      expect([...packedWorld.environmentFired].sort()).toEqual([...plainWorld.environmentFired].sort());
      expect([...packedWorld.timersFiredInFlight].sort()).toEqual([...plainWorld.timersFiredInFlight].sort());
    }
  });

  it('fires every fault and recovery of the pair (a drop of each message), and the timer while a message is in flight', () => {
    const world = new World(SMALL_WORLDS[0]!.spec());
    breadthFirst(world, []);
    expect([...world.environmentFired].map((id) => JSON.parse(id).kind).sort()).toEqual(['crash', 'drop', 'drop', 'restart']);
    expect([...world.timersFiredInFlight]).toEqual(['WAKE at b']);
  });

  it('a delivery refused under the error policy stops both searches at the same state and action, with the world’s message', () => {
    const plain = breadthFirst(new World(tickWorld('error')), [], { unpacked: true });
    const packed = breadthFirst(new World(tickWorld('error')), []);
    expect(plain.failure).toBeDefined();
    expect(packed.failure?.stateIndex).toBe(plain.failure!.stateIndex);
    expect(packed.failure?.actionIndex).toBe(plain.failure!.actionIndex);
    expect(String(packed.failure?.error)).toBe(String(plain.failure!.error));
    expect(String(plain.failure!.error)).toMatch(/no transition for PING from a in state closed \(delivery policy 'error'/);
    expect(packed.states).toBe(plain.states);
  });
});
