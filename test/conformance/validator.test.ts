import fc from 'fast-check';
import { emit, setup, type EventObject } from 'xstate';
import type { ActionDescriptor } from '../../src/world/actions.js';
import { describe, expect, test, vi } from 'vitest';
import { replicaElection } from '../../properties/replica-election.js';
import { leaseLock } from '../../examples/lease-lock.js';
import { alternatingBit } from '../../models/examples/alternating-bit/model.js';
import { defineModel, instantiate, type ModelInstance } from '../../src/index.js';
import { formatLogEvent, parseLog, type LogEntry } from '../../src/conformance/log.js';
import { logOfPath } from '../../src/conformance/path-log.js';
import { modelPaths } from '../../src/conformance/paths.js';
import { StepFinder } from '../../src/conformance/steps.js';
import { validateLog } from '../../src/conformance/validate.js';
import { World } from '../../src/world/world.js';
import { gossip } from './gossip-world.js';

const election = instantiate(replicaElection, 'fixed', 'three-replicas-crash');
const lease = instantiate(leaseLock, 'unfenced', 'two-clients-lossy');
// A FIFO network, lossy: a logged receive can only be the head of its channel.
const abp = instantiate(alternatingBit, Object.keys(alternatingBit.variants)[0]!);
const eventsOf = (instance: ModelInstance, entries: LogEntry[]) => parseLog(entries.map(formatLogEvent).join('\n'), { processes: instance.world.processNames });

describe('finding a logged step', () => {
  for (const instance of [election, lease, abp]) {
    test(`${instance.model.name}: the direct check of a step agrees with World.findAction along random walks, and leads to the same state`, () => {
      fc.assert(
        fc.property(modelPaths(instance, { maxLength: 25 }), (path) => {
          const world = instance.world;
          const finder = new StepFinder(world);
          let state = world.initialStates()[0]!;
          const seen = new Map<string, ReturnType<typeof world.findAction>>();
          for (const step of path) {
            for (const a of world.actions(state)) seen.set(a.id, a);
            // Every delivery seen so far, enabled here or not: the two must agree on each.
            for (const a of seen.values()) {
              const direct = finder.find(state, a!.descriptor);
              const listed = world.findAction(state, a!.descriptor);
              expect(direct?.id, a!.id).toBe(listed?.id);
              if (direct && listed) expect(world.nextState(state, direct)).toBe(world.nextState(state, listed));
            }
            state = world.nextState(state, world.findAction(state, step)!);
          }
        }),
        { numRuns: 60, seed: 3 },
      );
    });
  }
});

describe('finding a logged delivery on every kind of network', () => {
  for (const network of ['bag', 'set', 'fifo', 'persistent'] as const) {
    test(`${network}: every message the world has made, in flight or not, at the head of its channel or not, is found exactly when the world lists it`, () => {
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 5, maxLength: 30 }), (choices) => {
          const world = new World(gossip(network));
          const finder = new StepFinder(world);
          let state = world.initialStates()[0]!;
          for (const choice of choices) {
            const actions = world.actions(state);
            for (let e = 0; e < world.envelopes.length; e++) {
              const env = world.envelopes[e]!;
              const descriptor: ActionDescriptor = { kind: 'deliver', from: world.processNames[env.from]!, to: world.processNames[env.to]!, msg: env.msg };
              expect(finder.find(state, descriptor)?.id, JSON.stringify(descriptor)).toBe(world.findAction(state, descriptor)?.id);
            }
            if (actions.length === 0) return;
            state = world.nextState(state, actions[choice % actions.length]!);
          }
        }),
        { numRuns: 60, seed: 13 },
      );
    });
  }
});

describe('validating logs of model paths', () => {
  for (const instance of [election, lease, abp]) {
    test(`${instance.model.name}: the log of any path of the model conforms, and the matched path is that path`, () => {
      fc.assert(
        fc.property(modelPaths(instance, { maxLength: 30 }), fc.boolean(), (path, withState) => {
          const validation = validateLog(instance, eventsOf(instance, logOfPath(instance, path, { withState })));
          expect(validation.verdict).toBe('conforms');
          // A world with several initial states names the one the path starts from (the first, for a path without one).
          const named = instance.world.initialStates().length > 1 && path[0]?.kind !== 'init' ? [instance.world.initAction(0).descriptor, ...path] : path;
          if (validation.verdict === 'conforms') expect(validation.path).toEqual(named);
        }),
        { numRuns: 80, seed: 5 },
      );
    });
  }

  test('a log whose messages list their fields in another order than the model conforms all the same', () => {
    const reversed = (m: object) => Object.fromEntries(Object.entries(m).reverse());
    fc.assert(
      fc.property(modelPaths(election, { maxLength: 30 }), (path) => {
        const entries = logOfPath(election, path).map((e) => ('msg' in e ? { ...e, msg: reversed(e.msg) } : e) as LogEntry);
        const validation = validateLog(election, eventsOf(election, entries));
        expect(validation.verdict).toBe('conforms');
        if (validation.verdict === 'conforms') expect(validation.path).toEqual(path);
      }),
      { numRuns: 30, seed: 19 },
    );
  });

  test('a send the step did not make is the first unexplained event, with what the step did send', () => {
    const path = [
      { kind: 'timeout', process: 'instance', event: { type: 'WRITE' } },
      { kind: 'deliver', from: 'instance', to: 'r1', msg: { type: 'WRITE', id: 1, from: 'instance' } },
    ] as const;
    const entries = logOfPath(election, [...path]);
    const k = entries.findIndex((e) => e.kind === 'send' && e.process === 'r1');
    entries[k] = { ...entries[k]!, msg: { type: 'REPLICATE', id: 1, epoch: 2, from: 'r1' } } as unknown as LogEntry;
    const validation = validateLog(election, eventsOf(election, entries));
    expect(validation.verdict).toBe('diverges');
    if (validation.verdict !== 'diverges') return;
    expect(validation.event.line).toBe(k + 1);
    expect(validation.reason).toContain("r1's last step in the model sent r2 {\"epoch\":1,\"from\":\"r1\",\"id\":1,\"type\":\"REPLICATE\"}");
    expect(validation.matched).toEqual(path);
  });

  test('steps of a process whose log is missing are found by the bounded search between events', () => {
    // r2 suspects r1 and is elected; the authority's own steps are not in the log.
    const path = [
      { kind: 'request', process: 'r2', event: { type: 'PEER_LOST' } },
      { kind: 'deliver', from: 'r2', to: 'cp', msg: { type: 'REQUEST_PRIMACY', epoch: 1, suspects: ['r1'], from: 'r2' } },
      { kind: 'deliver', from: 'cp', to: 'r2', msg: { type: 'NEW_PRIMARY', epoch: 2, primary: 'r2', members: ['r2', 'r3'], from: 'cp' } },
    ] as ActionDescriptor[];
    const withoutCp = logOfPath(election, path, { withState: true }).filter((e) => !('process' in e && e.process === 'cp'));
    const events = eventsOf(election, withoutCp);
    const blind = validateLog(election, events);
    expect(blind.verdict).toBe('diverges');
    // Whether the world has met this message before (in another test) decides which of the two it says.
    if (blind.verdict === 'diverges') expect(blind.reason).toMatch(/^(the model never sent cp → r2 \{"epoch":2,"from":"cp","members":\["r2","r3"\],"primary":"r2","type":"NEW_PRIMARY"\}|that message is not in flight in the model \(never sent on this path, or lost\))$/);
    const searched = validateLog(election, events, { unlogged: ['cp'] });
    expect(searched.verdict).toBe('conforms');
    if (searched.verdict === 'conforms') {
      expect(searched.path).toEqual(path);
      expect(searched.lines).toEqual([1, undefined, 3]);
    }
    expect(validateLog(election, events, { unlogged: ['cp'], maxHidden: 0 }).verdict).toBe('diverges');
  });

  test('too many candidate states is `bounded`, never a guess', () => {
    const entries = logOfPath(lease, [{ kind: 'request', process: 'c1', event: { type: 'WANT_LOCK' } }]);
    const validation = validateLog(lease, eventsOf(lease, entries), { hidden: ['request', 'tick'], maxCandidates: 1 });
    expect(validation.verdict).toBe('bounded');
    if (validation.verdict === 'bounded') expect(validation.reason).toBe('more than 1 model states are reachable by unlogged steps before line 1: lower maxHidden, hide fewer kinds, or raise maxCandidates');
    // With room for them: the same log conforms (with and without a tick before the request: both fit, both are kept).
    expect(validateLog(lease, eventsOf(lease, entries), { hidden: ['tick'], maxHidden: 1 }).verdict).toBe('conforms');
  });

  test('the same log and options give the same answer, byte for byte', () => {
    const entries = logOfPath(election, [{ kind: 'request', process: 'r2', event: { type: 'PEER_LOST' } }]);
    entries.push({ seq: 99, kind: 'receive', process: 'r3', from: 'cp', msg: { type: 'NEW_PRIMARY', epoch: 2, primary: 'r3', members: ['r3'], from: 'cp' } as EventObject });
    const once = JSON.stringify(validateLog(election, eventsOf(election, entries)));
    expect(JSON.stringify(validateLog(instantiate(replicaElection, 'fixed', 'three-replicas-crash'), eventsOf(election, entries)))).toBe(once);
    expect(once).toContain('"verdict":"diverges"');
  });
});


describe('a step the model fails on', () => {
  test("a message its receiver may not take under delivery policy 'error' is the unexplained event, with the model's error", () => {
    const sender = setup({ types: {} as { emitted: { type: 'send'; to: string; msg: { type: string; from: string } } } }).createMachine({
      initial: 'sent',
      entry: emit({ type: 'send', to: 'receiver', msg: { type: 'PING', from: 'sender' } }),
      states: { sent: {} },
    });
    const receiver = setup({}).createMachine({ initial: 'deaf', states: { deaf: {} } });
    const model = defineModel<Record<string, never>>({
      name: 'ping',
      summary: 'a PING its receiver never takes',
      configs: { one: {} },
      variants: { only: { summary: 'the only one', expect: {} } },
      properties: [],
      build: () => ({ processes: { sender: { machine: sender }, receiver: { machine: receiver } }, network: 'bag', delivery: 'error', budgets: {} }),
    });
    const instance = instantiate(model, 'only');
    const log = '{"seq":1,"kind":"receive","process":"receiver","from":"sender","msg":{"type":"PING","from":"sender"}}';
    const validation = validateLog(instance, parseLog(log, { processes: instance.world.processNames }));
    expect(validation.verdict).toBe('diverges');
    if (validation.verdict === 'diverges') expect(validation.reason).toBe("the model fails on this step: process receiver failed on PING: no transition for PING from sender in state deaf (delivery policy 'error'; declare 'wait' or 'drop' for it if that is intended)");
  });
});

describe('the FIFO fast path gives the general answer', () => {
  const gossipModel = defineModel<Record<string, never>>({
    name: 'gossip',
    summary: 'three nodes gossiping over FIFO channels',
    configs: { one: {} },
    variants: { fifo: { summary: 'FIFO channels', expect: {} } },
    properties: [],
    build: () => gossip('fifo'),
  });
  const fifoInstances = [instantiate(gossipModel, 'fifo'), abp];
  /** The answer when every logged step is looked for among all the actions the world lists as enabled. */
  const generalValidation = (instance: ModelInstance, events: ReturnType<typeof eventsOf>) => {
    // A log names an internal step without its name: the finder's own lookup adds it.
    const spy = vi.spyOn(StepFinder.prototype, 'find').mockImplementation(function (this: StepFinder, state, descriptor) {
      const self = this as unknown as { world: World; named(d: ActionDescriptor): ActionDescriptor };
      return self.world.findAction(state, self.named(descriptor));
    });
    try {
      return validateLog(instance, events);
    } finally {
      spy.mockRestore();
    }
  };

  test('a receive of the second message of a channel before the first is refused there, as the general path refuses it', () => {
    const instance = fifoInstances[0]!;
    const msg = (v: number) => ({ type: 'MSG', v, from: 'a' });
    const path: ActionDescriptor[] = [
      { kind: 'request', process: 'a', event: { type: 'PING' } },
      { kind: 'request', process: 'a', event: { type: 'PING' } },
      // The first PING sends v 1 (its count after the step, odd), the second v 0.
      { kind: 'deliver', from: 'a', to: 'b', msg: msg(1) },
      { kind: 'deliver', from: 'a', to: 'b', msg: msg(0) },
    ];
    const entries = logOfPath(instance, path);
    const first = entries.findIndex((e) => e.kind === 'receive');
    const second = entries.findIndex((e, i) => i > first && e.kind === 'receive');
    const [moved] = entries.splice(second, 1);
    entries.splice(first, 0, moved!);
    const events = eventsOf(instance, entries.map((e, i) => ({ ...e, seq: i + 1 }) as LogEntry));
    const fast = validateLog(instance, events);
    expect(fast.verdict).toBe('diverges');
    if (fast.verdict === 'diverges') expect(fast.event.line).toBe(first + 1);
    expect(fast).toEqual(generalValidation(instance, events));
  });

  /** Whether to move one receive before the receive in front of it (often a message that is not yet at the head of its channel), and which. */
  const tampered = fc.tuple(fc.boolean(), fc.nat());
  for (const instance of fifoInstances) {
    test(`${instance.model.name}: on logs of model paths, as they are and with one receive moved earlier, the answer is the one of the world's full list of enabled actions`, () => {
      fc.assert(
        fc.property(modelPaths(instance, { maxLength: 25 }), tampered, (path, [tamper, at]) => {
          let entries = logOfPath(instance, path);
          const receives = entries.map((e, i) => (e.kind === 'receive' ? i : -1)).filter((i) => i >= 0);
          if (tamper && receives.length > 1) {
            const k = 1 + (at % (receives.length - 1));
            const [moved] = entries.splice(receives[k]!, 1);
            entries.splice(receives[k - 1]!, 0, moved!);
            entries = entries.map((e, i) => ({ ...e, seq: i + 1 }) as LogEntry);
          }
          const events = eventsOf(instance, entries);
          const fast = validateLog(instance, events);
          const general = generalValidation(instance, events);
          expect(fast).toEqual(general);
        }),
        { numRuns: 80, seed: 23 },
      );
    });
  }
});
