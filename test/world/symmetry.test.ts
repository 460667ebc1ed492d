import { assign, emit, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { checkExhaustive, eventually, instantiate, type ModelInstance, type WorldSpec } from '../../src/index.js';
import { breadthFirst } from '../../src/engine/bfs.js';
import { firstFinding, replaySteps } from '../../src/check/trace.js';
import { publicStepper } from '../../src/world/stepper.js';
import { SymmetricSystem } from '../../src/world/symmetric-system.js';
import { World } from '../../src/world/world.js';
import { WorldView } from '../../src/world/world-view.js';
import type { TransactionManagerContext } from '../../models/examples/two-phase-commit/machines.js';
import { resourceManagerNames } from '../../models/examples/two-phase-commit/world.js';
import { buildElectionWorld, type ElectionConfig } from '../../models/replica-election/world.js';
import { twoPhaseCommit } from '../../properties/two-phase-commit.js';
import { receiver, sender } from './fixtures.js';

const twoPhase = (rms: number, variant: string, options = {}): ModelInstance =>
  instantiate({ ...twoPhaseCommit, configs: { [`rm${rms}`]: { rms } } }, variant, undefined, options);

const verdicts = (rows: ReturnType<typeof checkExhaustive>) => rows.map((r) => [r.property, r.verdict, r.traceLength]);

/** Swaps two processes' names everywhere in a state: the renaming the reducer must not tell apart. */
function swapped(world: World, state: string, a: string, b: string): string {
  const perm = new Int32Array(world.processes.length).map((_, p) => p);
  perm[world.processIndex.get(a)!] = world.processIndex.get(b)!;
  perm[world.processIndex.get(b)!] = world.processIndex.get(a)!;
  return world.symmetry!.apply(state, perm);
}

/** How many orbits a world's reachable states fall into, by the reducer's canonical form; checks it is the same across each orbit. */
function orbitsOfPlainSpace(world: World, swaps: Array<[string, string]>): number {
  const plain = breadthFirst(world, []);
  expect(plain.complete).toBe(true);
  const representatives = new Set<string>();
  for (let i = 0; i < plain.states; i++) {
    const state = plain.stateAt(i);
    const canonical = world.symmetry!.canonical(state);
    for (const [a, b] of swaps) expect(world.symmetry!.canonical(swapped(world, state, a, b))).toBe(canonical);
    representatives.add(canonical);
  }
  return representatives.size;
}

describe('symmetry reduction on two-phase commit (resource managers interchangeable)', () => {
  it.each([3, 4, 5])('changes no verdict and no trace length with %i RMs, in both variants, and explores fewer states', (rms) => {
    for (const variant of ['correct', 'tm-commits-early']) {
      const plain = checkExhaustive(twoPhase(rms, variant));
      const reduced = checkExhaustive(twoPhase(rms, variant), { symmetry: true });
      expect(verdicts(reduced)).toEqual(verdicts(plain));
      for (const [i, row] of reduced.entries()) {
        expect(row.states).toBeLessThan(plain[i]!.states);
        expect(row.note).toMatch(/symmetry reduction: one state per orbit of \{rm1, .*\}/);
      }
    }
  });

  it.each([3, 4, 5])('explores exactly one state per orbit with %i RMs: as many as the plain states have distinct sorted RM profiles', (rms) => {
    const names = resourceManagerNames(rms);
    const plain = twoPhase(rms, 'correct');
    const space = breadthFirst(plain.world, []);
    // An orbit is known by the TM's state and the multiset of per-RM profiles, read off with no help from the reducer.
    const orbits = new Set<string>();
    for (let i = 0; i < space.states; i++) {
      const view = new WorldView(plain.world, space.stateAt(i));
      const prepared = (view.process('tm').context as TransactionManagerContext).prepared;
      const messages = view.messages();
      const profile = (rm: string) =>
        [view.process(rm).value, prepared.includes(rm), ...['PREPARED', 'COMMIT', 'ABORT'].map((t) => messages.some((m) => m.msg.type === t && (m.from === rm || m.to === rm)))].join('/');
      orbits.add(`${String(view.process('tm').value)}|${names.map(profile).sort().join(',')}`);
    }
    const reduced = checkExhaustive(twoPhase(rms, 'correct'), { symmetry: true });
    expect(reduced[0]!.states).toBe(orbits.size);
  });

  it('turns the tm-commits-early counterexample into steps the plain world replays, and they still break tc-consistent', () => {
    const rows = checkExhaustive(twoPhase(5, 'tm-commits-early'), { symmetry: true });
    const found = rows.find((r) => r.property === 'tc-consistent')!;
    expect(found.verdict).toBe('violated');
    const plain = twoPhase(5, 'tm-commits-early');
    const replayed = replaySteps(plain, found.trace!);
    const finding = firstFinding(plain, plain.properties.find((p) => p.name === 'tc-consistent')!, replayed);
    expect(finding?.at).toBe(found.trace!.length);
    expect(finding?.witness).toEqual(found.witness);
  });

  it('gives the same orbits with the public xstate stepper as with the fast one (renamed snapshots step alike)', () => {
    const fast = checkExhaustive(twoPhase(4, 'correct'), { symmetry: true });
    const slow = checkExhaustive(twoPhase(4, 'correct', { stepper: publicStepper }), { symmetry: true });
    expect(slow.map((r) => [r.states, r.transitions, r.verdict])).toEqual(fast.map((r) => [r.states, r.transitions, r.verdict]));
  });

  it('switches itself off when a liveness property is checked, and says so', () => {
    const decides = eventually({ name: 'tm-decides', statement: 'The transaction manager eventually decides.', goal: (w) => !w.process('tm').is('init') });
    const model = {
      ...twoPhaseCommit,
      configs: { rm3: { rms: 3 } },
      properties: [...twoPhaseCommit.properties, decides],
      variants: { correct: { ...twoPhaseCommit.variants.correct, expect: { ...twoPhaseCommit.variants.correct.expect, 'tm-decides': 'violated' as const } } },
    };
    const plain = checkExhaustive(instantiate(model, 'correct'));
    const asked = checkExhaustive(instantiate(model, 'correct'), { symmetry: true });
    expect(verdicts(asked)).toEqual(verdicts(plain));
    expect(asked.map((r) => r.states)).toEqual(plain.map((r) => r.states));
    for (const row of asked) expect(row.note).toMatch(/symmetry reduction off: liveness/);
  });

  it('is off unless asked for', () => {
    const rows = checkExhaustive(twoPhase(3, 'correct'));
    expect(rows[0]!.states).toBe(288);
    expect(rows.every((r) => !r.note?.includes('symmetry'))).toBe(true);
  });
});

describe('symmetry reduction on replica election (the secondaries interchangeable)', () => {
  const small = (config: Partial<ElectionConfig>): ElectionConfig => ({ replicas: 3, writes: 1, suspicions: 1, drops: 0, crashes: 0, partitions: 1, crashable: 'first', ...config });

  it('maps every state and its renamed twin to one representative, with crashes, partitions and restarts', () => {
    // No false suspicion: with one, the plain space has 806,840 states, too many to enumerate orbits of in a test.
    const world = new World(buildElectionWorld('fixed', small({ crashes: 1, suspicions: 0 })));
    const orbits = orbitsOfPlainSpace(world, [['r2', 'r3']]);
    const fresh = new World(buildElectionWorld('fixed', small({ crashes: 1, suspicions: 0 })));
    const reduced = breadthFirst(new SymmetricSystem(fresh, fresh.symmetry!), []);
    expect(reduced.states).toBe(orbits);
    expect(fresh.symmetry!.inexact).toBe(0);
  });

  it('does the same with three interchangeable secondaries', () => {
    // Without writes or a partition, so that the plain space of four replicas stays small enough to enumerate.
    const world = new World(buildElectionWorld('fixed', small({ replicas: 4, writes: 0, partitions: 0 })));
    const orbits = orbitsOfPlainSpace(world, [['r2', 'r3'], ['r3', 'r4']]);
    const fresh = new World(buildElectionWorld('fixed', small({ replicas: 4, writes: 0, partitions: 0 })));
    expect(breadthFirst(new SymmetricSystem(fresh, fresh.symmetry!), []).states).toBe(orbits);
  });
});

describe('members that refer to each other', () => {
  /** Each greets the others once; each befriends the first that greeted it. Cycles of friendship tie every signature. */
  const friendly = setup({
    types: {} as { context: { id: string; peers: string[]; friend: string | null }; input: { id: string; peers: string[] }; events: { type: 'GO' } | { type: 'HELLO'; from: string } },
  }).createMachine({
    context: ({ input }) => ({ id: input?.id ?? '', peers: input?.peers ?? [], friend: null }),
    initial: 'idle',
    on: { HELLO: { guard: ({ context }) => context.friend === null, actions: assign({ friend: ({ event }) => event.from }) } },
    states: {
      idle: {
        on: {
          GO: {
            target: 'greeted',
            actions: emit(({ context }) => ({ type: 'send', to: context.peers.filter((p) => p !== context.id), msg: { type: 'HELLO', from: context.id } })),
          },
        },
      },
      greeted: {},
    },
  });
  const friends = (): World => {
    const peers = ['x1', 'x2', 'x3'];
    const processes: WorldSpec['processes'] = {};
    for (const id of peers) processes[id] = { machine: friendly, input: { id, peers }, requests: [{ type: 'GO' }] };
    return new World({ processes, network: 'bag', budgets: {}, symmetry: [peers] });
  };

  it('breaks ties between members with equal signatures by trying their renamings, so each orbit has one representative', () => {
    const orbits = orbitsOfPlainSpace(friends(), [['x1', 'x2'], ['x2', 'x3']]);
    const world = friends();
    const reduced = breadthFirst(new SymmetricSystem(world, world.symmetry!), []);
    expect(reduced.states).toBe(orbits);
    expect(world.symmetry!.inexact).toBe(0);
  });
});

describe('declarations that are not symmetries', () => {
  const pair = (spec: Partial<WorldSpec>): WorldSpec => ({
    processes: {
      a: { machine: sender, input: { peer: 'c' }, requests: [{ type: 'GO' }] },
      b: { machine: sender, input: { peer: 'c' }, requests: [{ type: 'GO' }] },
      c: { machine: receiver },
    },
    network: 'bag',
    budgets: { request: 2 },
    ...spec,
  });

  it('accepts a true one', () => {
    expect(new World(pair({ symmetry: [['a', 'b']] })).symmetry).toBeDefined();
  });

  it('rejects processes with different machines', () => {
    expect(() => new World(pair({ symmetry: [['a', 'c']] }))).toThrow(/a and c cannot be interchangeable: their machines differ/);
  });

  it('refuses one machine built twice, with one line that says to share it', () => {
    const spec = pair({ symmetry: [['a', 'b']] });
    spec.processes.b = { ...spec.processes.b!, machine: sender.provide({}) };
    expect(() => new World(spec)).toThrow(/^symmetry: a and b run different machine objects; interchangeable processes must share one: create the machine once \(const machine = createReplica\(\)\) and give it to each, with what differs between them in input$/);
  });

  it('rejects unknown and repeated names', () => {
    expect(() => new World(pair({ symmetry: [['a', 'z']] }))).toThrow(/symmetry group 1 \(a, z\) names unknown process 'z'/);
    expect(() => new World(pair({ symmetry: [['a', 'b'], ['b', 'a']] }))).toThrow(/appears twice/);
  });

  it('rejects members whose inputs are not renamings of each other', () => {
    const spec = pair({ symmetry: [['a', 'b']] });
    spec.processes.d = { machine: receiver };
    spec.processes.b = { ...spec.processes.b!, input: { peer: 'd' } };
    expect(() => new World(spec)).toThrow(/swapping a and b turns a's input into \{"peer":"c"\}, which is not b's input/);
  });

  it('rejects a group whose members start differently (r1 starts as primary)', () => {
    const spec = buildElectionWorld('fixed', { replicas: 3, writes: 1, suspicions: 1, drops: 0, crashes: 0, partitions: 1 });
    expect(() => new World({ ...spec, symmetry: [['r1', 'r2', 'r3']] })).toThrow(/swapping r1 and r2 changes the initial state \(of .*r1, r2.*\): the members of a group must start alike/);
  });

  it('rejects a partition with no renamed counterpart', () => {
    const spec = buildElectionWorld('fixed', { replicas: 3, writes: 1, suspicions: 1, drops: 0, crashes: 0, partitions: 1 });
    expect(() => new World({ ...spec, partitions: spec.partitions!.filter((p) => p.name !== 'r3 isolated') })).toThrow(/partition "r2 isolated" has no counterpart after swapping r2 and r3/);
  });

  it('reports a list of names that the model does not keep sorted', () => {
    const pinger = setup({ types: {} as { context: { id: string }; input: { id: string }; events: { type: 'GO' } } }).createMachine({
      context: ({ input }) => ({ id: input?.id ?? '' }),
      on: { GO: { actions: emit(({ context }) => ({ type: 'send', to: 'log', msg: { type: 'PING', from: context.id } })) } },
    });
    const log = setup({ types: {} as { context: { seen: string[] }; events: { type: 'PING'; from: string } } }).createMachine({
      context: { seen: [] },
      // Appends in arrival order: not a set, so renaming cannot be applied to it.
      on: { PING: { actions: assign({ seen: ({ context, event }) => [...context.seen, event.from] }) } },
    });
    const world = new World({
      processes: { p1: { machine: pinger, input: { id: 'p1' }, requests: [{ type: 'GO' }] }, p2: { machine: pinger, input: { id: 'p2' }, requests: [{ type: 'GO' }] }, log: { machine: log } },
      network: 'bag',
      budgets: { request: 2 },
      symmetry: [['p1', 'p2']],
    });
    const bfs = breadthFirst(new SymmetricSystem(world, world.symmetry!), []);
    expect(String(bfs.failure?.error)).toMatch(/log's context holds the list \["p2","p1"\], which is not sorted/);
  });
});
