import { assign, emit, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { WorldSpec } from '../../src/index.js';
import { breadthFirst } from '../../src/engine/bfs.js';
import { concretePath, SymmetricSystem } from '../../src/world/symmetric-system.js';
import { World } from '../../src/world/world.js';
import { WorldView } from '../../src/world/world-view.js';

/** Greets the others once; befriends the first that greets it; keeps its friend across a crash. */
const friendly = setup({
  types: {} as {
    context: { id: string; peers: string[]; friend: string | null };
    input: { id: string; peers: string[]; durable?: { friend: string | null } };
    events: { type: 'GO' } | { type: 'HELLO'; from: string };
  },
}).createMachine({
  context: ({ input }) => ({ id: input.id, peers: input.peers, friend: input.durable?.friend ?? null }),
  initial: 'idle',
  on: { HELLO: { guard: ({ context }) => context.friend === null, actions: assign({ friend: ({ event }) => event.from }) } },
  states: {
    idle: {
      on: {
        GO: {
          target: 'greeted',
          actions: emit(({ context }) => ({ type: 'send' as const, to: context.peers.filter((p) => p !== context.id), msg: { type: 'HELLO' as const, from: context.id } })),
        },
      },
    },
    greeted: {},
  },
});

const MEMBERS = ['x1', 'x2', 'x3'];
/** Three interchangeable members that name each other in messages and contexts; crashes, and partitions that each isolate one of them. */
function friends(budgets: { crash: number; partition: number }): World {
  const processes: WorldSpec['processes'] = {};
  for (const id of MEMBERS) processes[id] = { machine: friendly, input: { id, peers: MEMBERS }, requests: [{ type: 'GO' }], crash: { durable: (c: { friend: string | null }) => ({ friend: c.friend }) } };
  return new World({
    processes,
    network: 'bag',
    partitions: MEMBERS.map((id) => ({ name: `${id} alone`, group: [id] })),
    budgets,
    symmetry: [MEMBERS],
  });
}

/** Every renaming of the three members, as the reducer takes them: perm[p] is the slot p's state moves to. */
const PERMUTATIONS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
].map((p) => Int32Array.from(p));

describe('symmetry reduction on three members that refer to each other', () => {
  const world = friends({ crash: 0, partition: 1 });
  const reducer = world.symmetry!;
  const plain = breadthFirst(world, [], { unpacked: true });
  const states = Array.from({ length: plain.states }, (_, i) => plain.stateAt(i));

  it('maps every state and each of its five renamed twins to one representative, which is itself a renaming of the state', () => {
    const wrong: string[] = [];
    for (const state of states) {
      const canonical = reducer.canonical(state);
      const orbit = new Set(PERMUTATIONS.map((perm) => reducer.apply(state, perm)));
      if (!orbit.has(canonical)) wrong.push(`representative outside the orbit of ${JSON.stringify(state)}`);
      for (const twin of orbit) if (reducer.canonical(twin) !== canonical) wrong.push(`twin of ${JSON.stringify(state)}`);
    }
    expect(wrong).toEqual([]);
    expect(reducer.inexact).toBe(0);
  });

  it('explores exactly one state per orbit: as many as the plain states have distinct representatives', () => {
    expect(plain.states).toBe(PLAIN_STATES);
    const orbits = new Set(states.map((s) => reducer.canonical(s))).size;
    const fresh = friends({ crash: 0, partition: 1 });
    const reduced = breadthFirst(new SymmetricSystem(fresh, fresh.symmetry!), []);
    expect(reduced.complete).toBe(true);
    expect(reduced.states).toBe(orbits);
    expect(reduced.states).toBe(ORBITS);
  });

  it('renames names everywhere: swapping x1 and x2 after x1 greets gives x2 greeting, its HELLOs from x2', () => {
    const start = world.initialStates()[0]!;
    const greeted = world.nextState(start, world.actions(start).find((a) => a.kind === 'request' && a.process === 'x1')!);
    const swapped = new WorldView(world, reducer.apply(greeted, PERMUTATIONS[2]!));
    expect(MEMBERS.map((m) => swapped.process(m).value)).toEqual(['idle', 'greeted', 'idle']);
    expect(swapped.messages().map((m) => [m.from, m.to, m.msg.from])).toEqual([
      ['x2', 'x1', 'x2'],
      ['x2', 'x3', 'x2'],
    ]);
    expect(swapped.process('x2').context).toMatchObject({ id: 'x2', peers: MEMBERS });
    // x1's HELLO makes x1 x2's friend; the rotation x1→x2→x3→x1 moves x2's state to x3, its friend renamed x2.
    const befriended = world.nextState(greeted, world.actions(greeted).find((a) => a.kind === 'deliver' && a.process === 'x2')!);
    const rotated = new WorldView(world, reducer.apply(befriended, PERMUTATIONS[3]!));
    expect(MEMBERS.map((m) => (rotated.process(m).context as { friend: string | null }).friend)).toEqual([null, null, 'x2']);
  });

  it('renames each state on its own: one renaming applied to two states gives each its own image', () => {
    const fresh = friends({ crash: 0, partition: 0 });
    const start = fresh.initialStates()[0]!;
    const greeted = fresh.nextState(start, fresh.actions(start).find((a) => a.kind === 'request' && a.process === 'x1')!);
    expect(fresh.symmetry!.apply(start, PERMUTATIONS[2]!)).toBe(start);
    const image = new WorldView(fresh, fresh.symmetry!.apply(greeted, PERMUTATIONS[2]!));
    expect(MEMBERS.map((m) => image.process(m).value)).toEqual(['idle', 'greeted', 'idle']);
  });

  it('renames partitions and crashed states, and coverage counts a fault for each twin of one taken', () => {
    const faulty = friends({ crash: 1, partition: 1 });
    const start = faulty.initialStates()[0]!;
    const cut = faulty.nextState(start, faulty.actions(start).find((a) => a.kind === 'partition' && a.tag === 'x1 alone')!);
    expect(faulty.partitionMask(faulty.symmetry!.apply(cut, PERMUTATIONS[4]!))).toBe(1 << 2);
    const crashed = faulty.nextState(start, faulty.actions(start).find((a) => a.kind === 'crash' && a.process === 'x1')!);
    expect(MEMBERS.map((m) => new WorldView(faulty, faulty.symmetry!.apply(crashed, PERMUTATIONS[2]!)).process(m).crashed)).toEqual([false, true, false]);

    // One crash and one partition taken, of x1 only: closing adds the twins' (and nothing else).
    const fresh = friends({ crash: 1, partition: 1 });
    const s0 = fresh.initialStates()[0]!;
    for (const take of [(a: { kind: string; process: string; tag: string }) => a.kind === 'crash' && a.process === 'x1', (a: { kind: string; tag: string }) => a.kind === 'partition' && a.tag === 'x1 alone']) {
      fresh.nextState(s0, fresh.actions(s0).find(take)!);
    }
    expect(fresh.environmentFired.size).toBe(2);
    fresh.symmetry!.closeFiredFaults();
    const fired = [...fresh.environmentFired].map((id) => JSON.parse(id) as { kind: string; process?: string; partition?: string });
    expect(fired.filter((d) => d.kind === 'crash').map((d) => d.process).sort()).toEqual(MEMBERS);
    expect(fired.filter((d) => d.kind === 'partition').map((d) => d.partition).sort()).toEqual(MEMBERS.map((m) => `${m} alone`));
    expect(fired).toHaveLength(6);
  });

  it('turns a path over representatives into one the plain world takes, ending in the same orbit', () => {
    const fresh = friends({ crash: 1, partition: 0 });
    const reduced = breadthFirst(new SymmetricSystem(fresh, fresh.symmetry!), []);
    expect(reduced.states).toBe(241);
    for (let i = 0; i < reduced.states; i += 5) {
      const { actions, states: visited } = concretePath(fresh, fresh.symmetry!, reduced.pathTo(i));
      expect(actions).toHaveLength(reduced.pathTo(i).length);
      expect(fresh.symmetry!.canonical(visited[visited.length - 1]!)).toBe(reduced.stateAt(i));
    }
  });
});

// Counted by the plain search and by distinct representatives (the test checks the two agree).
const PLAIN_STATES = 1136;
const ORBITS = 214;

describe('declarations the world can tell are not symmetries', () => {
  const spec = (b: Partial<WorldSpec['processes'][string]>): WorldSpec => {
    const base = { machine: friendly, requests: [{ type: 'GO' }] };
    return {
      processes: { x1: { ...base, input: { id: 'x1', peers: ['x1', 'x2'] } }, x2: { ...base, input: { id: 'x2', peers: ['x1', 'x2'] }, ...b } },
      network: 'bag',
      budgets: {},
      symmetry: [['x1', 'x2']],
    };
  };

  it('accepts members alike but for their names', () => {
    expect(new World(spec({})).symmetry!.groups).toEqual([[0, 1]]);
  });

  it.each([
    ['requests', { requests: [{ type: 'GO' }, { type: 'GO' }] }],
    ['timeouts', { timeouts: [{ event: { type: 'GO' } }] }],
    ['internal steps', { internal: [{ event: { type: 'GO' } }] }],
    ['crash settings', { crash: {} }],
    ['roles', { role: 'client' as const }],
  ])('refuses members whose %s differ, naming both', (what, differs) => {
    expect(() => new World(spec(differs))).toThrow(`symmetry: x1 and x2 cannot be interchangeable: their ${what} differ`);
  });

  it('refuses an internal step that differs only in its fairness or condition', () => {
    const steps = (extra: object) => ({ internal: [{ event: { type: 'GO' }, ...extra }] });
    const both = (a: object, b: object): WorldSpec => {
      const s = spec(steps(b));
      s.processes.x1 = { ...s.processes.x1!, ...steps(a) };
      return s;
    };
    expect(new World(both({}, { fairness: 'weak' })).symmetry).toBeDefined();
    expect(() => new World(both({}, { fairness: 'none' }))).toThrow(/their internal steps differ/);
    expect(() => new World(both({}, { when: () => true }))).toThrow(/their internal steps differ/);
    expect(() => new World(both({}, { name: 'greets' }))).toThrow(/their internal steps differ/);
  });

  it('refuses inputs that are not renamings of each other, naming the swap, the input and its image', () => {
    const s = spec({ input: { id: 'x2', peers: ['x1', 'x3'] } });
    expect(() => new World(s)).toThrow(new Error(`symmetry: swapping x1 and x2 turns x1's input into {"id":"x2","peers":["x1","x2"]}, which is not x2's input in any initial state`));
  });

  it('refuses an input holding an unsorted list of member names', () => {
    const unsorted = spec({ input: { id: 'x2', peers: ['x2', 'x1'] } });
    unsorted.processes.x1 = { ...unsorted.processes.x1!, input: { id: 'x1', peers: ['x2', 'x1'] } };
    expect(() => new World(unsorted)).toThrow(`symmetry: x1's input holds the list ["x2","x1"], which is not sorted`);
  });

  it('a group of one renames nothing and builds no reducer', () => {
    expect(new World({ ...spec({}), symmetry: [['x1'], ['x2']] }).symmetry).toBeUndefined();
  });
});
