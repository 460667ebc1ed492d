import { describe, expect, it } from 'vitest';
import type { WorldSpec } from '../../src/index.js';
import type { WorldAction } from '../../src/world/actions.js';
import { ModelDefinitionError } from '../../src/world/errors.js';
import { World } from '../../src/world/world.js';
import { WorldView } from '../../src/world/world-view.js';
import { door, pairWorld, ticker, tickWorld, twoNetworkWorld } from './small-worlds.js';

/** Every action reachable in a world, by kind, each once (by id). */
function allActions(world: World): Map<string, WorldAction> {
  const seen = new Set<string>([world.initialStates()[0]!]);
  const queue = [...seen];
  const actions = new Map<string, WorldAction>();
  for (let i = 0; i < queue.length; i++) {
    for (const a of world.actions(queue[i]!)) {
      actions.set(a.id, a);
      const next = world.nextState(queue[i]!, a);
      if (!seen.has(next)) seen.add(next), queue.push(next);
    }
  }
  return actions;
}
const at = (world: World, state: string) => new WorldView(world, state);

describe('fairness: what weak fairness is owed to, and what counts as the protocol', () => {
  it('owes it to deliveries, timeouts, ticks and internal steps; never to requests, faults or recoveries', () => {
    const pair = new World({ ...pairWorld('bag', { request: 2, drop: 1, crash: 1, partition: 1 }), partitions: [{ name: 'cut', group: ['b'] }] });
    const kinds = new Map<string, boolean>();
    for (const a of allActions(pair).values()) kinds.set(a.kind, pair.isFair(a));
    const ticks = new World(tickWorld('wait'));
    for (const a of allActions(ticks).values()) kinds.set(a.kind, ticks.isFair(a));
    expect(Object.fromEntries([...kinds].sort())).toEqual({
      crash: false,
      deliver: true,
      drop: false,
      heal: false,
      internal: true,
      partition: false,
      request: false,
      restart: false,
      tick: true,
      timeout: true,
    });
  });

  it('an internal step declared fairness none is not owed; weak or absent is', () => {
    const spec = (fairness?: 'weak' | 'none'): WorldSpec => ({ processes: { b: { machine: door, internal: [{ event: { type: 'OPEN' }, ...(fairness ? { fairness } : {}) }] } }, network: 'bag', budgets: {} });
    const owed = (w: World) => w.isFair(w.actions(w.initialStates()[0]!)[0]!);
    expect([owed(new World(spec())), owed(new World(spec('weak'))), owed(new World(spec('none')))]).toEqual([true, true, false]);
  });

  it('a state with only faults enabled has no protocol action (the basis of deadlock detection)', () => {
    const w = new World(pairWorld('bag', { request: 1, drop: 1, crash: 1 }));
    const s0 = w.initialStates()[0]!;
    const sent = w.nextState(s0, w.actions(s0).find((a) => a.kind === 'request')!);
    const woke = w.nextState(sent, w.actions(sent).find((a) => a.kind === 'timeout')!);
    expect(w.actions(woke).map((a) => a.kind)).toEqual(['drop', 'crash']);
    expect(w.hasProtocolAction(w.actions(woke))).toBe(false);
    expect(w.hasProtocolAction(w.actions(sent))).toBe(true);
    expect(w.hasProtocolAction([])).toBe(false);
  });
});

describe('the state string', () => {
  it('holds local ids, the partition mask, one counter per bounded budget, then the messages in flight', () => {
    const w = new World({ ...pairWorld('bag', { request: 2, drop: 1, crash: 3 }), partitions: [{ name: 'cut', group: ['b'] }] });
    const s0 = w.initialStates()[0]!;
    // a, b; the mask; drop, partition, crash, request, tick in BUDGET_KINDS order (a budget of 0 is a counter
    // too); timeouts, unbounded by default, take no room.
    expect(Array.from(s0, (c) => c.charCodeAt(0))).toEqual([0, 0, 0, 1, 0, 3, 2, 0]);
    expect(w.networkOffset).toBe(8);
    expect(['drop', 'partition', 'crash', 'timeout', 'request', 'tick'].map((k) => w.budgetSlotOf(k as never))).toEqual([3, 4, 5, -1, 6, 7]);
    expect(['drop', 'partition', 'crash', 'timeout', 'request', 'tick'].map((k) => w.budgetLeft(s0, k as never))).toEqual([1, 0, 3, Infinity, 2, 0]);
    const sent = w.nextState(s0, w.actions(s0).find((a) => a.kind === 'request')!);
    expect(Array.from(sent, (c) => c.charCodeAt(0))).toEqual([1, 0, 0, 1, 0, 3, 1, 0, 0]);
    expect(w.networkIds(sent)).toEqual([0]);
    expect(w.partitionMask(sent)).toBe(0);
    // Partition budget 0: no partition action at all.
    expect(w.actions(sent).some((a) => a.kind === 'partition')).toBe(false);
  });

  it('spends each budget by one per action, and a budget at 0 offers no more of that kind', () => {
    const w = new World({ ...pairWorld('bag', { request: 2, drop: 2, crash: 1, partition: 1, timeout: 1 }), partitions: [{ name: 'cut', group: ['b'] }] });
    let s = w.initialStates()[0]!;
    const take = (kind: string) => (s = w.nextState(s, w.actions(s).find((a) => a.kind === kind)!));
    const left = () => ['drop', 'partition', 'crash', 'timeout', 'request'].map((k) => w.budgetLeft(s, k as never));
    expect(left()).toEqual([2, 1, 1, 1, 2]);
    take('request');
    take('request');
    expect(left()).toEqual([2, 1, 1, 1, 0]);
    take('drop');
    expect(left()).toEqual([1, 1, 1, 1, 0]);
    take('partition');
    expect(left()).toEqual([1, 0, 1, 1, 0]);
    take('heal');
    expect(left()).toEqual([1, 0, 1, 1, 0]);
    expect(w.actions(s).map((a) => a.kind).sort()).toEqual(['crash', 'deliver', 'drop', 'timeout']);
    take('timeout');
    expect(left()).toEqual([1, 0, 1, 0, 0]);
    take('crash');
    expect(left()).toEqual([1, 0, 0, 0, 0]);
    expect(w.actions(s).map((a) => a.kind)).toEqual(['restart']);
  });

  it('a message in flight keeps FIFO order per link and sorted ids in a bag; both mean the same state whichever way they were built', () => {
    const fifo = new World(pairWorld('fifo', { request: 3 }));
    let s = fifo.initialStates()[0]!;
    for (let i = 0; i < 3; i++) s = fifo.nextState(s, fifo.actions(s).find((a) => a.kind === 'request')!);
    expect(at(fifo, s).messages().map((m) => m.msg.n)).toEqual([0, 1, 0]);
    expect(fifo.actions(s).filter((a) => a.kind === 'deliver').map((a) => (a.descriptor as unknown as { msg: { n: number } }).msg.n)).toEqual([0]);
    const bag = new World(pairWorld('bag', { request: 3 }));
    let b = bag.initialStates()[0]!;
    for (let i = 0; i < 3; i++) b = bag.nextState(b, bag.actions(b).find((a) => a.kind === 'request')!);
    expect(at(bag, b).messages().map((m) => m.msg.n)).toEqual([0, 0, 1]);
    // Two copies of PING 0 are one delivery action, not two.
    expect(bag.actions(b).filter((a) => a.kind === 'deliver')).toHaveLength(2);
    expect(bag.actions(b).filter((a) => a.kind === 'drop')).toHaveLength(0);
    // encode() sorts what it is given: the order of the ids passed in does not matter outside FIFO.
    expect(bag.encode(bag.headOf(b), [1, 0, 0])).toBe(b);
    expect(fifo.encode(fifo.headOf(s), [0, 1, 0])).toBe(s);
  });
});

describe('queries for stories', () => {
  it('sendsOf lists what an action sends, lost when the receiver is crashed or cut off', () => {
    const w = new World({ ...pairWorld('bag', { request: 2, crash: 1, partition: 1 }), partitions: [{ name: 'cut', group: ['b'] }] });
    const s0 = w.initialStates()[0]!;
    const request = w.actions(s0).find((a) => a.kind === 'request')!;
    expect(w.sendsOf(s0, request)).toEqual([{ from: 'a', to: 'b', msg: { type: 'PING', n: 0 }, lost: false }]);
    const crashed = w.nextState(s0, w.actions(s0).find((a) => a.kind === 'crash')!);
    expect(w.sendsOf(crashed, request)).toEqual([{ from: 'a', to: 'b', msg: { type: 'PING', n: 0 }, lost: true }]);
    const cut = w.nextState(s0, w.actions(s0).find((a) => a.kind === 'partition')!);
    expect(w.sendsOf(cut, request)[0]!.lost).toBe(true);
    expect(w.sendsOf(s0, w.actions(s0).find((a) => a.kind === 'crash')!)).toEqual([]);
    // A restart and a tick send what the machine sends on them.
    const t = new World(tickWorld('wait'));
    const t0 = t.initialStates()[0]!;
    expect(t.sendsOf(t0, t.actions(t0).find((a) => a.kind === 'tick')!)).toEqual([{ from: 'a', to: 'b', msg: { type: 'PING', n: 1 }, lost: false }]);
  });

  it('discardedBy names the receiver that takes a message it has no transition for (drop policy); undefined otherwise', () => {
    const w = new World(tickWorld('drop'));
    const s0 = w.initialStates()[0]!;
    const ticked = w.nextState(s0, w.actions(s0).find((a) => a.kind === 'tick')!);
    const deliver = w.actions(ticked).find((a) => a.kind === 'deliver')!;
    expect(w.discardedBy(ticked, deliver)).toEqual({ process: 'b', state: 'closed' });
    const opened = w.nextState(ticked, w.actions(ticked).find((a) => a.kind === 'internal')!);
    expect(w.discardedBy(opened, w.actions(opened).find((a) => a.kind === 'deliver')!)).toBeUndefined();
    expect(w.discardedBy(ticked, w.actions(ticked).find((a) => a.kind === 'tick')!)).toBeUndefined();
    // Discarding changes only the network.
    const discarded = w.nextState(ticked, deliver);
    expect(at(w, discarded).messages()).toEqual([]);
    expect(at(w, discarded).process('b').value).toBe('closed');
  });

  it('findAction finds an enabled action by its descriptor, and nothing that is not enabled', () => {
    const w = new World(twoNetworkWorld());
    const s0 = w.initialStates()[0]!;
    expect(w.findAction(s0, { kind: 'request', process: 'a', event: { type: 'GO' } })?.kind).toBe('request');
    expect(w.findAction(s0, { kind: 'heal', partition: 'left' })).toBeUndefined();
    expect(w.findAction(s0, { kind: 'partition', partition: 'both' })?.tag).toBe('both');
  });

  it('an action carries its receiver or owner and its tag', () => {
    const w = new World({ ...pairWorld('bag', { request: 1, drop: 1, crash: 1, partition: 1 }), partitions: [{ name: 'cut', group: ['b'] }] });
    const described = [...allActions(w).values()].map((a) => `${a.kind} ${a.process} ${a.tag}`).sort();
    expect(described).toEqual(['crash b crash', 'deliver b PING', 'drop b PING', 'heal  cut', 'partition  cut', 'request a GO', 'restart b restart', 'timeout b WAKE']);
  });
});

describe('malformed worlds are refused with one line', () => {
  const base = (): WorldSpec => pairWorld('bag', { request: 1 });
  it.each([
    ['no process', { processes: {} }, 'a model needs at least one process'],
    ['a budget that is not a whole number', { budgets: { drop: 1.5 } }, 'budget drop must be a whole number from 0 to 65534, or Infinity, not 1.5'],
    ['a negative budget', { budgets: { crash: -1 } }, 'budget crash must be a whole number from 0 to 65534, or Infinity, not -1'],
    ['a budget too large for the state', { budgets: { request: 65_535 } }, 'budget request must be a whole number from 0 to 65534, or Infinity, not 65535'],
    ['a partition of an unknown process', { partitions: [{ name: 'p', group: ['zz'] }] }, "partition p names unknown process 'zz' (processes: a, b)"],
    ['a partition of an unknown network', { partitions: [{ name: 'p', group: ['b'], networks: ['wifi'] }] }, "partition p cuts unknown network 'wifi' (networks: net)"],
    ['sixteen partitions', { partitions: Array.from({ length: 16 }, (_, i) => ({ name: `p${i}`, group: ['b'] })) }, 'at most 15 partition shapes per model'],
  ])('%s', (_what, override, message) => {
    expect(() => new World({ ...base(), ...(override as Partial<WorldSpec>) })).toThrow(new ModelDefinitionError(message as string));
  });

  it('accepts the largest budget and Infinity, which takes no room', () => {
    const w = new World({ ...base(), budgets: { request: 65_534, drop: Infinity } });
    // The mask, then partition, crash, request and tick (0 each but request): drop takes no room.
    expect(w.networkOffset).toBe(7);
    expect(w.budgetLeft(w.initialStates()[0]!, 'drop')).toBe(Infinity);
    expect(w.budgetLeft(w.initialStates()[0]!, 'request')).toBe(65_534);
    expect(new World({ ...base(), partitions: Array.from({ length: 15 }, (_, i) => ({ name: `p${i}`, group: ['b'] })) }).spec.partitions).toHaveLength(15);
  });

  it('a tick world counts its ticks down and ticks only processes that take TICK', () => {
    const w = new World({ processes: { a: { machine: ticker }, b: { machine: door } }, network: 'bag', budgets: { tick: 2 } });
    let s = w.initialStates()[0]!;
    expect(w.budgetLeft(s, 'tick')).toBe(2);
    s = w.nextState(s, w.actions(s).find((a) => a.kind === 'tick')!);
    s = w.nextState(s, w.actions(s).find((a) => a.kind === 'tick')!);
    expect(w.budgetLeft(s, 'tick')).toBe(0);
    expect(w.actions(s).some((a) => a.kind === 'tick')).toBe(false);
    expect(at(w, s).process('a').context).toEqual({ t: 2 });
    expect(at(w, s).messages().map((m) => m.msg.n)).toEqual([1, 2]);
  });
});
