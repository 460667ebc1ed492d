import { describe, expect, it } from 'vitest';
import type { WorldSpec } from '../../src/index.js';
import type { ActionKind } from '../../src/world/actions.js';
import { World } from '../../src/world/world.js';
import { WorldView } from '../../src/world/world-view.js';
import { receiver, sender } from './fixtures.js';

function pair(overrides: Partial<WorldSpec> = {}): World {
  return new World({
    processes: {
      a: { machine: sender, input: { peer: 'b' }, requests: [{ type: 'GO' }] },
      b: { machine: receiver, input: {}, crash: { durable: (c: { got: number[] }) => ({ got: c.got }) }, timeouts: [{ event: { type: 'WAKE' } }] },
    },
    network: 'bag',
    budgets: { request: 2 },
    ...overrides,
  });
}

const kinds = (w: World, s: string) => w.actions(s).map((a) => a.kind);
function take(w: World, s: string, kind: ActionKind, nth = 0): string {
  const action = w.actions(s).filter((a) => a.kind === kind)[nth];
  if (!action) throw new Error(`no ${kind} #${nth} in ${kinds(w, s).join(',')}`);
  return w.nextState(s, action);
}
const got = (w: World, s: string) => new WorldView(w, s).process('b').context.got as number[];

describe('the world', () => {
  it('routes emitted sends into the network and delivers them', () => {
    const w = pair();
    let s = take(w, w.initialStates()[0]!, 'request');
    expect(new WorldView(w, s).messages()).toEqual([{ from: 'a', to: 'b', msg: { type: 'PING', n: 1 } }]);
    s = take(w, s, 'deliver');
    expect(got(w, s)).toEqual([1]);
    expect(new WorldView(w, s).messages()).toEqual([]);
  });

  it('spends the request budget and then offers no more requests', () => {
    const w = pair();
    let s = w.initialStates()[0]!;
    s = take(w, take(w, s, 'request'), 'request');
    expect(kinds(w, s)).not.toContain('request');
  });

  it('delivers a bag in any order but each FIFO link in send order', () => {
    const bag = pair();
    const s = take(bag, take(bag, bag.initialStates()[0]!, 'request'), 'request');
    expect(bag.actions(s).filter((a) => a.kind === 'deliver')).toHaveLength(2);
    const fifo = pair({ network: 'fifo' });
    const f = take(fifo, take(fifo, fifo.initialStates()[0]!, 'request'), 'request');
    const delivers = fifo.actions(f).filter((a) => a.kind === 'deliver');
    expect(delivers.map((a) => a.descriptor)).toEqual([{ kind: 'deliver', from: 'a', to: 'b', msg: { type: 'PING', n: 1 } }]);
  });

  it('keeps messages of a persistent network after delivery and merges duplicates of a set', () => {
    const w = pair({ network: 'persistent' });
    const s = take(w, take(w, w.initialStates()[0]!, 'request'), 'deliver');
    expect(got(w, s)).toEqual([1]);
    expect(new WorldView(w, s).messages()).toHaveLength(1);
  });

  it('keeps two processes connected while any network between them is up', () => {
    const partitions = [
      { name: 'b off primary', group: ['b'], networks: ['primary'] },
      { name: 'b off both', group: ['b'], networks: ['primary', 'replication'] },
    ];
    const w = pair({ networks: ['primary', 'replication'], partitions, budgets: { request: 2, partition: 2 } });
    const sent = take(w, w.initialStates()[0]!, 'request');
    const primaryCut = w.nextState(sent, w.actions(sent).find((a) => a.kind === 'partition' && a.tag === 'b off primary')!);
    expect(new WorldView(w, primaryCut).connected('a', 'b')).toBe(true);
    expect(kinds(w, primaryCut)).toContain('deliver');
    const bothCut = w.nextState(sent, w.actions(sent).find((a) => a.kind === 'partition' && a.tag === 'b off both')!);
    expect(new WorldView(w, bothCut).connected('a', 'b')).toBe(false);
    expect(kinds(w, bothCut)).not.toContain('deliver');
    // A message sent across the cut is lost at once; one in flight waits for the heal.
    const lost = take(w, bothCut, 'request');
    expect(new WorldView(w, lost).messages()).toHaveLength(1);
    const healed = take(w, bothCut, 'heal');
    expect(kinds(w, healed)).toContain('deliver');
  });

  it('drops messages only within the drop budget', () => {
    const w = pair({ budgets: { request: 2, drop: 1 } });
    const s = take(w, take(w, w.initialStates()[0]!, 'request'), 'request');
    const dropped = take(w, s, 'drop');
    expect(new WorldView(w, dropped).messages()).toHaveLength(1);
    expect(kinds(w, dropped)).not.toContain('drop');
  });

  it('loses volatile state on a crash, keeps the durable part, and discards messages to the crashed process', () => {
    const w = pair({ budgets: { request: 2, crash: 1 } });
    let s = take(w, take(w, w.initialStates()[0]!, 'request'), 'deliver');
    s = take(w, s, 'request');
    s = take(w, s, 'crash');
    expect(new WorldView(w, s).process('b').crashed).toBe(true);
    expect(new WorldView(w, s).messages()).toEqual([]);
    expect(kinds(w, s)).not.toContain('timeout');
    s = take(w, s, 'restart');
    expect(got(w, s)).toEqual([1]);
    expect(new WorldView(w, s).process('b').is('listening')).toBe(true);
  });

  it('fires a timeout only while the machine handles it', () => {
    const w = pair();
    const s = take(w, w.initialStates()[0]!, 'timeout');
    expect(new WorldView(w, s).process('b').is('awake')).toBe(true);
    expect(kinds(w, s)).not.toContain('timeout');
  });

  it('encodes equal worlds reached along different paths as the same state', () => {
    const w = pair({ budgets: { request: 2, partition: 1 }, partitions: [{ name: 'cut', group: ['b'] }] });
    const s0 = w.initialStates()[0]!;
    const viaTimeoutFirst = take(w, take(w, s0, 'timeout'), 'request');
    const viaRequestFirst = take(w, take(w, s0, 'request'), 'timeout');
    expect(viaTimeoutFirst).toBe(viaRequestFirst);
  });

  it('names the process and event when a machine throws', () => {
    const w = pair({ processes: { a: { machine: sender, input: { peer: 'nobody' }, requests: [{ type: 'GO' }] }, b: { machine: receiver } } });
    const s = w.initialStates()[0]!;
    expect(() => w.nextState(s, w.actions(s)[0]!)).toThrow(/a sent PING to a process that names unknown process 'nobody'/);
  });
});
