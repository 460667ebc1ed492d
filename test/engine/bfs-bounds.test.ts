import { describe, expect, it } from 'vitest';
import { breadthFirst, type BfsOptions, type BfsProgress, type StateCheck } from '../../src/engine/bfs.js';
import type { WorldAction } from '../../src/world/actions.js';
import { World } from '../../src/world/world.js';
import { WorldView } from '../../src/world/world-view.js';
import { door, pairWorld, ticker, tickWorld } from '../world/small-worlds.js';
import { graph } from './graph.js';

/** The four searches: plain or packed, exact or fingerprinted. */
const MODES: Array<{ name: string; options: BfsOptions }> = [
  { name: 'plain exact', options: { unpacked: true } },
  { name: 'plain fingerprints', options: { unpacked: true, fingerprints: true } },
  { name: 'packed exact', options: {} },
  { name: 'packed fingerprints', options: { fingerprints: true } },
];

const summary = (world: () => World, options: BfsOptions, checks: Array<StateCheck<string, WorldAction>> = []) => {
  const r = breadthFirst(world(), checks, options);
  return { states: r.states, transitions: r.transitions, depth: r.depth, complete: r.complete };
};

describe('a bounded search is never complete, in any of the four searches', () => {
  const tick = () => new World(tickWorld('wait'));
  const full = { states: 18, transitions: 27, depth: 7, complete: true };

  it.each(MODES)('$name: every state bound below 18 keeps that many states and is incomplete; 18 or more is the whole space', ({ options }) => {
    expect(summary(tick, options)).toEqual(full);
    for (let maxStates = 1; maxStates < 18; maxStates++) {
      const r = summary(tick, { ...options, maxStates });
      expect({ maxStates, states: r.states, complete: r.complete }).toEqual({ maxStates, states: maxStates, complete: false });
    }
    for (const maxStates of [18, 19, 1000]) expect(summary(tick, { ...options, maxStates })).toEqual(full);
  });

  it.each(MODES)('$name: every depth bound below the diameter is incomplete; the diameter and beyond are the whole space', ({ options }) => {
    const plain = breadthFirst(tick(), [], { unpacked: true });
    const atDepth = (d: number) => Array.from({ length: plain.states }, (_, i) => plain.pathTo(i).length).filter((n) => n <= d).length;
    for (let maxDepth = 0; maxDepth < 7; maxDepth++) {
      const r = summary(tick, { ...options, maxDepth });
      expect({ maxDepth, states: r.states, depth: r.depth, complete: r.complete }).toEqual({ maxDepth, states: atDepth(maxDepth), depth: maxDepth, complete: false });
    }
    // The deepest states of this world have no actions left: the bound at the diameter loses nothing.
    expect(summary(tick, { ...options, maxDepth: 7 })).toEqual(full);
  });

  it.each(MODES)('$name: a stop asked for at the 4,096th state is incomplete and says why', ({ options }) => {
    // A chain: one tick after another, 5,000 of them (the two PINGs wait for a door that never opens).
    const world = () => new World({ processes: { a: { machine: ticker }, b: { machine: door } }, network: 'bag', budgets: { tick: 5000 } });
    const asked: BfsProgress[] = [];
    const r = breadthFirst(world(), [], { ...options, stopWhen: (p) => (asked.push({ ...p }), 'enough') });
    expect(r.stopped).toBe('enough');
    expect(r.complete).toBe(false);
    // Asked once, after expanding state 4,096 (the 4,097th): 4,098 states known, one still queued.
    // A fingerprint-mode search says so in its progress (the memory guard weighs its arrays differently).
    expect(asked).toEqual([{ states: 4098, transitions: 4097, queue: 1, depth: 4096, ...(options.fingerprints ? { fingerprinted: true } : {}) }]);
    expect({ states: r.states, transitions: r.transitions }).toEqual({ states: 4098, transitions: 4097 });
    // Not asked before the 4,096th expansion: a smaller space is never stopped.
    const small = breadthFirst(new World(tickWorld('wait')), [], { ...options, stopWhen: () => 'never asked' });
    expect(small.complete).toBe(true);
    expect(small.stopped).toBeUndefined();
  });

  it.each(MODES)('$name: progress every 5 expanded states, with the counts so far', ({ options }) => {
    const told: BfsProgress[] = [];
    breadthFirst(tick(), [], { ...options, onProgress: (p) => told.push({ ...p }), progressEvery: 5 });
    const plainTold: BfsProgress[] = [];
    breadthFirst(tick(), [], { unpacked: true, onProgress: (p) => plainTold.push({ ...p }), progressEvery: 5 });
    expect(told).toHaveLength(3);
    expect(told.map(({ fingerprinted, ...counts }) => counts)).toEqual(plainTold);
    expect(told.map((p) => p.fingerprinted === true)).toEqual(told.map(() => options.fingerprints === true));
    // Told as the search goes: every report has more states than the one before.
    expect(told.every((p, i) => i === 0 || p.states > told[i - 1]!.states)).toBe(true);
  });
});

describe('findings, deadlocks, failures and edges agree across the four searches', () => {
  const world = () => new World(pairWorld('fifo'));

  /** A world and checks that read its states (local ids are the world's own). */
  const checked = (deadlock: boolean) => {
    const w = world();
    const seenBoth: StateCheck<string, WorldAction> = {
      name: 'seen-both',
      kind: 'always',
      test: (s) => ((new WorldView(w, s).process('b').context as { seen?: number[] }).seen?.length === 2 ? 'both' : undefined),
    };
    const crashed: StateCheck<string, WorldAction> = { name: 'crashed', kind: 'sometimes', test: (s) => new WorldView(w, s).process('b').crashed };
    const stuck: StateCheck<string, WorldAction> = { name: 'stuck', kind: 'deadlock', test: (_s, actions) => (actions!.length === 0 ? 'no action' : null) };
    return { w, checks: deadlock ? [seenBoth, crashed, stuck] : [seenBoth, crashed] };
  };

  it.each(MODES)('$name: first findings at the same state, depth and totals so far', ({ options }) => {
    const a = checked(true);
    const plain = breadthFirst(a.w, a.checks, { unpacked: true, exhaustAll: true });
    const b = checked(true);
    const other = breadthFirst(b.w, b.checks, { ...options, exhaustAll: true });
    expect([...other.findings.values()]).toEqual([...plain.findings.values()]);
    expect([...plain.findings.keys()].sort()).toEqual(['crashed', 'seen-both', 'stuck']);
    // Two GOs and two deliveries; the totals are the search's when it stored that state (pinned from the plain search).
    expect(plain.findings.get('seen-both')).toMatchObject({ stateIndex: 23, depth: 4, witness: 'both', statesSoFar: 24, transitionsSoFar: 32 });
    expect(other.complete).toBe(true);
    // Without exhaustAll the search stops at the last first finding: incomplete, the same states so far.
    const c = checked(false);
    const early = breadthFirst(c.w, c.checks, options);
    const d = checked(false);
    const earlyPlain = breadthFirst(d.w, d.checks, { unpacked: true });
    expect({ states: early.states, complete: early.complete }).toEqual({ states: earlyPlain.states, complete: false });
    expect(early.states).toBeLessThan(plain.states);
  });

  it.each(MODES)('$name: a check that throws stops the search at the state it judged, incomplete', ({ options }) => {
    let calls = 0;
    const throws: StateCheck<string, WorldAction> = { name: 'throws', kind: 'always', test: () => (++calls === 10 ? (() => { throw new Error('judged badly'); })() : undefined) };
    const r = breadthFirst(world(), [throws], options);
    expect(r.failure).toMatchObject({ stateIndex: 9, actionIndex: -1 });
    expect(String(r.failure!.error)).toBe('Error: judged badly');
    expect(r.complete).toBe(false);
    expect(r.states).toBe(10);
  });

  it('packed exact: recorded edges and their labels are the plain search’s', () => {
    const plain = breadthFirst(world(), [], { unpacked: true, recordEdges: true });
    const packed = breadthFirst(world(), [], { recordEdges: true });
    for (let i = 0; i < plain.states; i++) {
      expect(packed.edges!.successors(i)).toEqual(plain.edges!.successors(i));
      expect(packed.edges!.labels(i).map((a) => a.id)).toEqual(plain.edges!.labels(i).map((a) => a.id));
    }
    expect(plain.edges!.successors(plain.states)).toEqual([]);
    expect(packed.edges!.labels(packed.states)).toEqual([]);
    expect(breadthFirst(world(), []).edges).toBeUndefined();
  });

  it('fingerprint mode prices its collisions: n(g - n)/2^64 over the successors generated and the roots', () => {
    for (const unpacked of [true, false]) {
      const r = breadthFirst(world(), [], { fingerprints: true, unpacked });
      expect(r.fingerprints!.collisionProbability).toBe((r.states * (r.transitions + 1 - r.states)) / 2 ** 64);
      expect(r.fingerprints!.bytes).toBeGreaterThan(0);
      expect(r.rootOf(r.states - 1)).toBe(0);
    }
    expect(breadthFirst(world(), []).fingerprints).toBeUndefined();
  });

  it('roots: each initial state is its own root at depth 0, and a repeated one is stored once', () => {
    const g = graph({ 0: [1], 1: [], 5: [1] }, [0, 5, 0]);
    const r = breadthFirst(g, [], {});
    expect({ states: r.states, transitions: r.transitions, depth: r.depth, complete: r.complete }).toEqual({ states: 3, transitions: 2, depth: 1, complete: true });
    expect([0, 1, 2].map((i) => [r.stateAt(i), r.rootOf(i), r.pathTo(i)])).toEqual([
      [0, 0, []],
      [5, 1, []],
      [1, 0, [1]],
    ]);
  });
});
