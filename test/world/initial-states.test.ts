import { assign, setup } from 'xstate';
import { describe, expect, test } from 'vitest';
import { always, checkExhaustive, checkRandom, defineModel, eventually, instantiate, renderStory, replay, type WorldSpec } from '../../src/index.js';
import { fingerprintOf } from '../../src/check/fingerprint.js';
import { toReplayFile } from '../../src/report/replay-file.js';
import { World } from '../../src/world/world.js';
import { ModelDefinitionError } from '../../src/world/errors.js';
import { stepsFind } from '../../src/check/trace.js';

/*
 * Two dials, each starting at level 0 or 2 (4 initial states) and stepping up
 * once by an internal step, which a dial at level 2 or more cannot take. Both
 * at 3 is reachable only from the last initial state; a dial that never steps
 * only from those where one starts at 2.
 */
const dial = setup({
  types: {} as { context: { level: number }; input: { level: number }; events: { type: 'STEP' } },
}).createMachine({
  id: 'dial',
  context: ({ input }) => ({ level: input.level }),
  initial: 'idle',
  states: {
    idle: { on: { STEP: { guard: ({ context }) => context.level < 3, target: 'done', actions: assign({ level: ({ context }) => context.level + 1 }) } } },
    done: {},
  },
});

/** The same dial, but only a dial below level 2 can step: one that starts at 2 is stuck. */
const lowDial = setup({
  types: {} as { context: { level: number }; input: { level: number }; events: { type: 'STEP' } },
}).createMachine({
  id: 'low-dial',
  context: ({ input }) => ({ level: input.level }),
  initial: 'idle',
  states: {
    idle: { on: { STEP: { guard: ({ context }) => context.level < 2, target: 'done', actions: assign({ level: ({ context }) => context.level + 1 }) } } },
    done: {},
  },
});

const levels = (extra: Partial<WorldSpec> = {}): WorldSpec => ({
  processes: {
    a: { machine: dial, inputs: [{ level: 0 }, { level: 2 }], internal: [{ event: { type: 'STEP' } }] },
    b: { machine: dial, inputs: [{ level: 0 }, { level: 2 }], internal: [{ event: { type: 'STEP' } }] },
  },
  network: 'bag',
  budgets: {},
  ...extra,
});

const level = (w: { process(n: string): { context: { level: number } } }, n: string) => w.process(n).context.level;
const notBothAtThree = always({ name: 'not-both-at-three', statement: 'The two dials are never both at level 3.', check: (w) => (level(w, 'a') === 3 && level(w, 'b') === 3 ? 'both dials are at 3' : undefined) });
const bothStep = eventually({ name: 'both-step', statement: 'Both dials eventually step.', goal: (w) => w.process('a').is('done') && w.process('b').is('done') });

const dials = defineModel({
  name: 'dials',
  summary: 'Two dials with two initial levels each.',
  configs: { default: {} },
  variants: { spec: { summary: 'As declared.', expect: { 'not-both-at-three': 'violated' } }, live: { summary: 'Liveness.', expect: { 'both-step': 'holds' } } },
  properties: [notBothAtThree, bothStep],
  build: () => levels(),
});

describe('several initial states', () => {
  test('every combination of the processes’ inputs is an initial state, each named by what differs', () => {
    const world = new World(levels());
    expect(world.initialStates()).toHaveLength(4);
    expect(world.initialStates().map((_, i) => world.initialLabel(i))).toEqual(['a level=0 b level=0', 'a level=0 b level=2', 'a level=2 b level=0', 'a level=2 b level=2']);
  });

  test('inputs that go together are listed by the world, each entry with a name; the others take every alternative', () => {
    const world = new World(levels({ initial: [{ name: 'low', inputs: { a: { level: 0 } } }, { name: 'high', inputs: { a: { level: 2 }, b: { level: 2 } } }] }));
    expect(world.initialStates().map((_, i) => world.initialLabel(i))).toEqual(['low b level=0', 'low b level=2', 'high']);
  });

  test('a violation reachable only from a later initial state is found, and its trace starts by naming that state', () => {
    const instance = instantiate(dials, 'spec');
    const [row] = checkExhaustive(instance);
    expect(row!.verdict).toBe('violated');
    expect(row!.trace![0]).toEqual({ kind: 'init', initial: 'a level=2 b level=2' });
    const story = renderStory(instance, row!);
    expect(story[1]).toContain('starts from initial state a level=2 b level=2');
  });

  test('random search draws the initial state and finds the same violation, on every seed tried', () => {
    const instance = instantiate(dials, 'spec');
    for (let seed = 1; seed <= 5; seed++) {
      const [row] = checkRandom(instance, { seed, runs: 50 });
      expect(row!.verdict).toBe('violated');
      expect(row!.trace![0]).toEqual({ kind: 'init', initial: 'a level=2 b level=2' });
      // The shrunk trace replays, and the same seed draws the same run again.
      expect(stepsFind(instance, notBothAtThree, row!.trace!)).toBe(true);
      expect(checkRandom(instantiate(dials, 'spec'), { seed, runs: 50 })[0]!.trace).toEqual(row!.trace);
    }
  });

  test('liveness owes its goal from every initial state: a dial starting at 2 never steps', () => {
    const live = (inputs: Array<{ level: number }>) =>
      defineModel({
        ...dials,
        variants: { live: { summary: 'Liveness.', expect: { 'both-step': 'holds' } } },
        build: () => levels({ processes: { a: { machine: lowDial, inputs, internal: [{ event: { type: 'STEP' } }] }, b: { machine: lowDial, inputs, internal: [{ event: { type: 'STEP' } }] } } }),
      });
    const [violated] = checkExhaustive(instantiate(live([{ level: 0 }, { level: 2 }]), 'live'));
    expect(violated!.verdict).toBe('violated');
    // The shortest lasso: from the state where both dials start at 2, nothing can step at all.
    expect(violated!.trace).toEqual([{ kind: 'init', initial: 'a level=2 b level=2' }]);
    const [holds] = checkExhaustive(instantiate(live([{ level: 0 }]), 'live'));
    expect(holds!.verdict).toBe('holds');
  });

  test('replay files record the initial state; a file without one replays from the first; one naming a lost state fails with one line', () => {
    const instance = instantiate(dials, 'spec');
    const [row] = checkExhaustive(instance);
    const file = toReplayFile(row!, fingerprintOf(instance));
    expect(replay(JSON.stringify(file), 'dials.json', [dials]).reproduced).toBe(true);
    // Without its init step the same steps start from the first initial state, where they no longer break the property.
    const old = { ...file, steps: file.steps.slice(1) };
    expect(replay(JSON.stringify(old), 'old.json', [dials]).reproduced).toBe(false);
    // A step that is not possible is named by its number, the init step counted.
    const edited = { ...file, steps: [...file.steps.slice(0, 2), { kind: 'crash', process: 'a' }] };
    expect(() => replay(JSON.stringify(edited), 'edited.json', [dials])).toThrow(/^edited.json: step 3 \(.*"crash".*\) is not possible at that point/);
    const lost = { ...file, steps: [{ kind: 'init', initial: 'a level=9 b level=9' }, ...file.steps.slice(1)] };
    expect(() => replay(JSON.stringify(lost), 'lost.json', [dials])).toThrow(/^lost.json: starts from initial state "a level=9 b level=9", which dials\/spec no longer has \(its initial states: "a level=0 b level=0", .*\); regenerate it with: .*$/);
  });

  test('symmetry reduction starts from the canonical initial states: 16 states are 10 orbits, and a trace names a concrete initial state', () => {
    const bounded = always({ name: 'at-most-three', statement: 'No dial passes level 3.', check: (w) => (level(w, 'a') > 3 || level(w, 'b') > 3 ? 'a dial passed 3' : undefined) });
    const model = defineModel({
      ...dials,
      variants: { spec: dials.variants.spec!, bounded: { summary: 'A bound that holds.', expect: { 'at-most-three': 'holds' } } },
      properties: [notBothAtThree, bounded],
      build: () => levels({ symmetry: [['a', 'b']] }),
    });
    expect(checkExhaustive(instantiate(model, 'bounded'))[0]!.states).toBe(16);
    const reducedHolds = checkExhaustive(instantiate(model, 'bounded'), { symmetry: true })[0]!;
    expect([reducedHolds.verdict, reducedHolds.states]).toEqual(['holds', 10]);
    const reduced = checkExhaustive(instantiate(model, 'spec'), { symmetry: true })[0]!;
    expect(reduced.verdict).toBe('violated');
    expect(reduced.trace![0]).toEqual({ kind: 'init', initial: 'a level=2 b level=2' });
  });

  test('a symmetry declaration whose renaming leaves the set of initial states is refused', () => {
    const spec = levels({ symmetry: [['a', 'b']] });
    spec.processes.b = { ...spec.processes.b!, inputs: [{ level: 0 }] };
    expect(() => new World(spec)).toThrow(/symmetry: swapping a and b turns a's input in initial state "a level=2" into \{"level":2\}, which is not b's input in any initial state/);
  });

  test('a process that may crash must start from one input; input and inputs together are refused', () => {
    const crashing = levels();
    crashing.processes.a = { ...crashing.processes.a!, crash: {} };
    expect(() => new World(crashing)).toThrow(ModelDefinitionError);
    expect(() => new World(crashing)).toThrow(/process a may crash but starts from 2 different inputs/);
    const both = levels();
    both.processes.a = { ...both.processes.a!, input: { level: 0 } };
    expect(() => new World(both)).toThrow(/process a declares both input and inputs/);
  });

  test('an unbounded budget (Infinity) takes no room in the state, and a model with one still has a fingerprint for its replay files', () => {
    const lossy = levels({ budgets: { drop: Infinity } });
    const bounded = new World(levels());
    // A drop budget of 0 still has a counter in the state; an unbounded one has none.
    expect(new World(lossy).initialStates()[0]!.length).toBe(bounded.initialStates()[0]!.length - 1);
    expect(fingerprintOf(instantiate(defineModel({ ...dials, build: () => lossy }), 'spec'))).toMatch(/^[0-9a-f]+$/);
  });
});
