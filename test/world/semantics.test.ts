import { assign, emit, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { always, checkExhaustive, defineModel, eventually, instantiate, type NetworkKind, type Property, type WorldSpec } from '../../src/index.js';
import { fingerprint64, fnv1a } from '../../src/engine/hash.js';
import { receiver, sender } from './fixtures.js';
import { renderStory } from '../../src/report/story.js';

/** Sends the same PING to b on every GO: identical messages, which a bag keeps apart and a set merges. */
const repeater = setup({ types: {} as { events: { type: 'GO' }; emitted: { type: 'send'; to: string; msg: { type: 'PING' } } } }).createMachine({
  on: { GO: { actions: emit({ type: 'send' as const, to: 'b', msg: { type: 'PING' as const } }) } },
});
/** Counts the PINGs it receives. */
const counter = setup({ types: {} as { context: { count: number }; events: { type: 'PING' } } }).createMachine({
  context: { count: 0 },
  on: { PING: { actions: assign({ count: ({ context }) => context.count + 1 }) } },
});
/** Remembers that a PING came: a second one changes nothing. */
const flag = setup({ types: {} as { context: { got: boolean }; events: { type: 'PING' } } }).createMachine({
  context: { got: false },
  on: { PING: { actions: assign({ got: true }) } },
});

const fine = always({ name: 'fine', statement: 'Nothing is wrong.', check: () => undefined });
const world = (spec: WorldSpec, properties: Property[] = [fine], expect: Record<string, 'holds' | 'violated'> = { fine: 'holds' }) =>
  defineModel({ name: 'w', summary: 'A hand-made world.', configs: { only: {} }, variants: { v: { summary: 's', expect } }, properties, build: () => spec });
const counts = (spec: WorldSpec) => {
  const [row] = checkExhaustive(instantiate(world(spec), 'v'));
  return { states: row!.states, transitions: row!.transitions, complete: row!.complete };
};
const twoGos = (network: NetworkKind, a: WorldSpec['processes'][string], b: WorldSpec['processes'][string]): WorldSpec => ({ processes: { a, b }, network, budgets: { request: 2 } });

describe('network kinds, counted by hand', () => {
  // (requests left, in flight, received): 2 sends of one message, each delivered once.
  it('a bag keeps two identical messages apart: 6 states, 6 transitions', () => {
    expect(counts(twoGos('bag', { machine: repeater, requests: [{ type: 'GO' }] }, { machine: counter }))).toEqual({ states: 6, transitions: 6, complete: true });
  });

  it('a set merges them: 7 states (a second send may add nothing), 6 transitions', () => {
    expect(counts(twoGos('set', { machine: repeater, requests: [{ type: 'GO' }] }, { machine: counter }))).toEqual({ states: 7, transitions: 6, complete: true });
  });

  it('FIFO delivers PING 0 before PING 1: 6 states; a bag may reorder them: 8 states', () => {
    const spec = (network: NetworkKind) => twoGos(network, { machine: sender, input: { peer: 'b' }, requests: [{ type: 'GO' }] }, { machine: receiver });
    expect(counts(spec('fifo'))).toEqual({ states: 6, transitions: 6, complete: true });
    expect(counts(spec('bag'))).toEqual({ states: 8, transitions: 8, complete: true });
  });

  it('a persistent message stays after delivery, and a delivery that changes nothing is no step', () => {
    // (requests left 2/1/0) × (got false/true), minus the state before any send with got true: 1 + 2 + 2 = 5.
    // Steps: the two sends from each state that has a request left (1 + 1 + 1), and the deliveries that
    // turn got false into true (2); re-delivering to a receiver with got true changes nothing and is not a step.
    expect(counts(twoGos('persistent', { machine: repeater, requests: [{ type: 'GO' }] }, { machine: flag }))).toEqual({ states: 5, transitions: 5, complete: true });
  });
});

describe('fairness and stutter', () => {
  const received = eventually({ name: 'received', statement: 'The PING is eventually received.', goal: (w) => (w.process('b').context as { count: number }).count > 0 });

  it('deliveries are owed: with nothing else enabled, a sent message is eventually received', () => {
    const spec: WorldSpec = { processes: { a: { machine: repeater, requests: [{ type: 'GO' }] }, b: { machine: counter } }, network: 'bag', budgets: { request: 1 } };
    const m = world(spec, [received], { received: 'violated' });
    // A request is never owed either: the behaviour may stop before the PING is sent, a stutter at the start.
    const [row] = checkExhaustive(instantiate(m, 'v'));
    expect(row).toMatchObject({ verdict: 'violated', traceLength: 0, loopFrom: 0 });
  });

  it('faults are never owed: a crash that would reach the goal need not happen', () => {
    const crashed = eventually({ name: 'crashes', statement: 'The counter eventually crashes.', goal: (w) => w.process('b').crashed });
    const spec: WorldSpec = { processes: { b: { machine: counter, crash: {} } }, network: 'bag', budgets: { crash: 1 } };
    const [row] = checkExhaustive(instantiate(world(spec, [crashed], { crashes: 'violated' }), 'v'));
    expect(row).toMatchObject({ verdict: 'violated', loopFrom: 0 });
  });

  it('a lost message is a stutter at the end: nothing fair is enabled where the behaviour stops', () => {
    const spec: WorldSpec = { processes: { a: { machine: repeater, requests: [{ type: 'GO' }] }, b: { machine: counter } }, network: 'bag', budgets: { request: 1, drop: 1 } };
    const sentThenReceived = eventually({ ...received, name: 'sent-then-received', trigger: (w) => w.messages().length > 0 });
    const [row] = checkExhaustive(instantiate(world(spec, [sentThenReceived], { 'sent-then-received': 'violated' }), 'v'));
    expect(row!.verdict).toBe('violated');
    expect(row!.trace!.map((a) => a.kind)).toEqual(['request', 'drop']);
    expect(row!.loopFrom).toBe(2);
  });
});

describe('bounds never pass for a complete search', () => {
  const spec = twoGos('bag', { machine: sender, input: { peer: 'b' }, requests: [{ type: 'GO' }] }, { machine: receiver });
  it.each([
    ['max states', { maxStates: 3 }],
    ['max depth', { maxDepth: 1 }],
  ])('%s: not complete, and bounded rather than holds', (_, bound) => {
    const [row] = checkExhaustive(instantiate(world(spec), 'v'), bound);
    expect(row!.complete).toBe(false);
    expect(row!.verdict).toBe('bounded');
  });
});

describe('hash', () => {
  it('is FNV-1a (32-bit) over UTF-16 code units, matching the published test vectors for ASCII', () => {
    expect(fnv1a('')).toBe('811c9dc5');
    expect(fnv1a('a')).toBe('e40c292c');
    expect(fnv1a('foobar')).toBe('bf9cf968');
  });

  it('gives 64 bits from two seeds, and tells apart strings that differ in one code unit', () => {
    expect(fingerprint64('a')).toMatch(/^e40c292c[0-9a-f]{8}$/);
    expect(fingerprint64('a')).not.toBe(fingerprint64('b'));
    expect(fnv1a('\u0100')).not.toBe(fnv1a('\u0001'));
  });
});

describe('delivery policies: a message its receiver cannot take yet', () => {
  /** Sends one PING to b on GO. */
  const once = setup({ types: {} as { events: { type: 'GO' }; emitted: { type: 'send'; to: string; msg: { type: 'PING' } } } }).createMachine({
    initial: 'idle',
    states: { idle: { on: { GO: { target: 'done', actions: emit({ type: 'send' as const, to: 'b', msg: { type: 'PING' as const } }) } } }, done: {} },
  });
  /** Takes a PING only once it has been opened. */
  const gate = setup({ types: {} as { events: { type: 'OPEN' } | { type: 'PING' } } }).createMachine({
    initial: 'closed',
    states: { closed: { on: { OPEN: 'open' } }, open: { on: { PING: 'got' } }, got: {} },
  });
  const spec = (delivery?: WorldSpec['delivery'], bDelivery?: WorldSpec['processes'][string]['delivery']): WorldSpec => ({
    processes: { a: { machine: once, requests: [{ type: 'GO' }] }, b: { machine: gate, requests: [{ type: 'OPEN' }], ...(bDelivery ? { delivery: bDelivery } : {}) } },
    network: 'bag',
    budgets: {},
    ...(delivery ? { delivery } : {}),
  });
  const notLost = always({
    name: 'not-lost',
    statement: 'A PING sent is in flight or received.',
    check: (w) => (w.process('a').value === 'done' && w.process('b').value !== 'got' && w.messages().length === 0 ? 'the PING is gone' : undefined),
  });

  it('waits by default: the PING stays in flight until b opens (5 states, 5 steps, nothing lost)', () => {
    // (a idle, b closed), GO → (done, closed, PING); OPEN from either; only (done, open, PING) delivers.
    expect(counts(spec())).toEqual({ states: 5, transitions: 5, complete: true });
    const [row] = checkExhaustive(instantiate(world(spec(), [notLost], { 'not-lost': 'holds' }), 'v'));
    expect(row!.verdict).toBe('holds');
  });

  it('drop: a closed b takes the PING and nothing happens (2 more states), and the story says it was discarded', () => {
    expect(counts(spec('drop'))).toEqual({ states: 7, transitions: 7, complete: true });
    const instance = instantiate(world(spec('drop'), [notLost], { 'not-lost': 'violated' }), 'v');
    const [row] = checkExhaustive(instance);
    expect(row).toMatchObject({ verdict: 'violated', traceLength: 2 });
    expect(renderStory(instance, row!).join('\n')).toContain("b discards it: no transition for it in state closed (delivery policy 'drop')");
  });

  it("error: delivering it is a model error that names the receiver, its state and the message", () => {
    const [row] = checkExhaustive(instantiate(world(spec('error')), 'v'));
    expect(row!.verdict).toBe('error');
    expect(row!.note).toMatch(/process b .*PING.*no transition for PING from a in state closed \(delivery policy 'error'/);
  });

  it('a process may override the world per message type', () => {
    const [row] = checkExhaustive(instantiate(world(spec('error', { PING: 'drop' })), 'v'));
    expect(row!.verdict).toBe('holds');
    expect(counts(spec('error', { PING: 'wait' }))).toEqual({ states: 5, transitions: 5, complete: true });
  });

  it('refuses an unknown policy, and drop or error on a network that never consumes a message', () => {
    expect(() => instantiate(world(spec('lose' as never)), 'v')).toThrow(/the world declares delivery 'lose': expected one of wait, drop, error/);
    expect(() => instantiate(world({ ...spec(), network: 'persistent', delivery: 'drop' }), 'v')).toThrow(/persistent network never consumes a message: only 'wait' applies/);
  });
});

describe('internal steps: a process moving on its own', () => {
  /** Undecided until it decides, by its own step, to commit or to abort. */
  const chooser = setup({ types: {} as { events: { type: 'COMMIT' } | { type: 'ABORT' } } }).createMachine({
    initial: 'undecided',
    states: { undecided: { on: { COMMIT: 'committed', ABORT: 'aborted' } }, committed: {}, aborted: {} },
  });
  const steps = (fairness?: 'weak' | 'none'): WorldSpec => ({
    processes: {
      p: {
        machine: chooser,
        internal: [
          { event: { type: 'COMMIT' }, name: 'chooses to commit', ...(fairness ? { fairness } : {}) },
          { event: { type: 'ABORT' }, name: 'chooses to abort', ...(fairness ? { fairness } : {}) },
        ],
      },
    },
    network: 'bag',
    budgets: {},
  });
  const decides = eventually({ name: 'decides', statement: 'p eventually decides.', goal: (w) => w.process('p').value !== 'undecided' });
  const neverAborts = always({ name: 'never-aborts', statement: 'p never aborts.', check: (w) => (w.process('p').value === 'aborted' ? 'p aborted' : undefined) });

  it('fires whenever the machine takes the event: 3 states, 2 steps, no budget needed', () => {
    expect(counts(steps())).toEqual({ states: 3, transitions: 2, complete: true });
  });

  it('is owed weak fairness by default, and none when declared so', () => {
    const [fair] = checkExhaustive(instantiate(world(steps(), [decides], { decides: 'holds' }), 'v'));
    expect(fair!.verdict).toBe('holds');
    const [unfair] = checkExhaustive(instantiate(world(steps('none'), [decides], { decides: 'violated' }), 'v'));
    expect(unfair).toMatchObject({ verdict: 'violated', traceLength: 0, loopFrom: 0 });
  });

  it('is told in the story by its own name, and random exploration takes it too', async () => {
    const instance = instantiate(world(steps(), [neverAborts], { 'never-aborts': 'violated' }), 'v');
    const [row] = checkExhaustive(instance);
    expect(renderStory(instance, row!)[1]).toBe(' 1. p chooses to abort — p: undecided → aborted');
    const { checkRandom } = await import('../../src/check/random.js');
    const [random] = checkRandom(instance, { seed: 1, runs: 50 });
    expect(random).toMatchObject({ verdict: 'violated', traceLength: 1 });
  });

  it('respects a condition on the world', () => {
    const guarded: WorldSpec = { ...steps(), processes: { p: { machine: chooser, internal: [{ event: { type: 'COMMIT' }, when: (w) => w.messages().length > 0 }] } } };
    expect(counts(guarded)).toEqual({ states: 1, transitions: 0, complete: true });
  });
});

describe('send, the library’s helper for emitting messages', () => {
  it('builds what the world routes, and an array of receivers is a broadcast of one message each', async () => {
    const { send } = await import('../../src/index.js');
    const caller = setup({ types: {} as { events: { type: 'GO' }; emitted: ReturnType<typeof send<{ type: 'PING' }>> } }).createMachine({
      on: { GO: { actions: emit(() => send(['b', 'c'], { type: 'PING' as const })) } },
    });
    const spec: WorldSpec = { processes: { a: { machine: caller, requests: [{ type: 'GO' }] }, b: { machine: counter }, c: { machine: counter } }, network: 'bag', budgets: { request: 1 } };
    // Before GO; after it, both PINGs in flight; then either delivered first, then both: 1 + 1 + 2 + 1.
    expect(counts(spec)).toEqual({ states: 5, transitions: 5, complete: true });
  });
});
