import { describe, expect, it } from 'vitest';
import { emit, setup, type EventObject } from 'xstate';
import type { WorldSpec } from '../../src/index.js';
import { breadthFirst } from '../../src/engine/bfs.js';
import { internLocalKey } from '../../src/world/portable.js';
import { World } from '../../src/world/world.js';
import { WorldView } from '../../src/world/world-view.js';
import { receiver, sender } from './fixtures.js';
import { collector, door, pinger } from './small-worlds.js';

describe('delivery policies are checked where they are declared, each error naming who declared what', () => {
  const spec = (over: Partial<WorldSpec>, b: Partial<WorldSpec['processes'][string]> = {}): WorldSpec => ({
    processes: { a: { machine: pinger, requests: [{ type: 'GO' }] }, b: { machine: collector, ...b } },
    network: 'bag',
    budgets: { request: 1 },
    ...over,
  });
  it.each([
    ['the world', spec({ delivery: 'lose' as never })],
    ['process b', spec({}, { delivery: 'lose' as never })],
    ['process b (message PING)', spec({}, { delivery: { PING: 'lose' as never } })],
  ])('%s', (who, s) => {
    expect(() => new World(s)).toThrow(`${who} declares delivery 'lose': expected one of wait, drop, error`);
  });
  it('a persistent network takes only wait, from the world or a process', () => {
    expect(() => new World(spec({ network: 'persistent', delivery: 'drop' }))).toThrow("the world declares delivery 'drop', but a persistent network never consumes a message: only 'wait' applies");
    expect(() => new World(spec({ network: 'persistent' }, { delivery: { PING: 'error' } }))).toThrow("process b (message PING) declares delivery 'error', but a persistent network");
    expect(new World(spec({ network: 'persistent' }, { delivery: 'wait' })).spec.network).toBe('persistent');
  });
  it('a per-type policy applies to that type only; the world’s to the rest', () => {
    const w = new World({
      processes: { a: { machine: sender, input: { peer: 'b' }, requests: [{ type: 'GO' }] }, b: { machine: door, delivery: { OTHER: 'error' } } },
      network: 'bag',
      delivery: 'drop',
      budgets: { request: 1 },
    });
    const s0 = w.initialStates()[0]!;
    const sent = w.nextState(s0, w.actions(s0)[0]!);
    // PING falls to the world's drop: the closed door takes it, and it is gone.
    expect(w.envelopes[0]!.policy).toBe('drop');
    expect(new WorldView(w, w.nextState(sent, w.actions(sent).find((a) => a.kind === 'deliver')!)).messages()).toEqual([]);
  });
});

describe('FIFO per link: two links from one sender are two queues', () => {
  /** On GO sends ONE to b and to c, then TWO to each. */
  const fan = setup({ types: {} as { events: { type: 'GO' }; emitted: { type: 'send'; to: string[]; msg: { type: 'PING'; n: number } } } }).createMachine({
    on: {
      GO: {
        actions: [
          emit({ type: 'send' as const, to: ['b', 'c'], msg: { type: 'PING' as const, n: 1 } }),
          emit({ type: 'send' as const, to: ['b', 'c'], msg: { type: 'PING' as const, n: 2 } }),
        ],
      },
    },
  });
  it('each link delivers its head, and only its head', () => {
    const w = new World({ processes: { a: { machine: fan, requests: [{ type: 'GO' }] }, b: { machine: receiver }, c: { machine: receiver } }, network: 'fifo', budgets: { request: 1 } });
    const s0 = w.initialStates()[0]!;
    const sent = w.nextState(s0, w.actions(s0)[0]!);
    const heads = (s: string) => w.actions(s).filter((a) => a.kind === 'deliver').map((a) => `${a.process}:${(a.descriptor as unknown as { msg: { n: number } }).msg.n}`);
    expect(heads(sent)).toEqual(['b:1', 'c:1']);
    const toB = w.nextState(sent, w.actions(sent).find((a) => a.process === 'b')!);
    expect(heads(toB)).toEqual(['b:2', 'c:1']);
    // The start, then a 3 × 3 grid of how far each queue has been delivered: 10 states; the packed search agrees.
    const plain = breadthFirst(w, [], { unpacked: true });
    const packed = breadthFirst(new World(w.spec), []);
    expect([plain.states, packed.states, packed.transitions]).toEqual([10, 10, plain.transitions]);
  });
});

describe('long states: more messages in flight than the packed world’s first buffers hold', () => {
  it('70 distinct messages waiting at a closed door: the same actions and successors, packed or not', () => {
    const w = new World({ processes: { a: { machine: sender, input: { peer: 'b' }, requests: [{ type: 'GO' }] }, b: { machine: door } }, network: 'bag', budgets: { request: 80, drop: 1 } });
    const packed = new World(w.spec).packed!;
    let s = w.initialStates()[0]!;
    const mismatches: string[] = [];
    for (let k = 0; k < 80; k++) {
      const length = packed.packInto(s);
      const actions = w.actions(s);
      if (packed.beginExpand(packed.vector.slice(0, length), 0, length) !== actions.length) mismatches.push(`count at ${k}`);
      actions.forEach((action, i) => {
        // The length first: successorInto may replace `vector` with a larger one.
        const length = packed.successorInto(i);
        if (packed.unpack(packed.vector, 0, length) !== w.nextState(s, action)) mismatches.push(`${action.id} at ${k}`);
      });
      s = w.nextState(s, actions.find((a) => a.kind === 'request')!);
    }
    expect(mismatches).toEqual([]);
    expect(w.networkIds(s)).toHaveLength(80);
    // A short state, then one more than twice as long: the buffers must grow at once, not step by step.
    const fresh = w.packed!;
    for (const state of [w.initialStates()[0]!, s]) {
      const length = fresh.packInto(state);
      expect(fresh.beginExpand(fresh.vector.slice(0, length), 0, length)).toBe(w.actions(state).length);
      const written = fresh.successorInto(0);
      expect(fresh.unpack(fresh.vector, 0, written)).toBe(w.nextState(state, w.actions(state)[0]!));
    }
    // One request and 80 drops, one per distinct message.
    expect(w.actions(s).length).toBe(80);
  });
});

describe('interning limits', () => {
  const ping = (n: number): EventObject => ({ type: 'PING', n }) as EventObject;
  it('65,535 distinct messages are interned; the next is refused with one line', () => {
    const w = new World({ processes: { a: { machine: pinger }, b: { machine: collector } }, network: 'bag', budgets: {} });
    for (let n = 0; n < 0xffff; n++) w.envelopeId(0, 1, ping(n));
    expect(w.envelopes).toHaveLength(0xffff);
    expect(w.envelopeId(0, 1, ping(7))).toBe(7);
    expect(() => w.envelopeId(0, 1, ping(-1))).toThrow('more than 65,535 distinct messages: bound the model further');
    // Every message on the one link a → b shares its link.
    expect(new Set(w.envelopes.map((e) => e.link))).toEqual(new Set([0]));
  });

  it('65,535 local states of a process are interned; the next is refused with one line', () => {
    const w = new World({ processes: { b: { machine: collector, crash: {} } }, network: 'bag', budgets: {} });
    const have = w.processes[0]!.locals.length;
    for (let i = have; i < 0xffff; i++) internLocalKey(w, 0, `crashed:${i}`);
    expect(w.processes[0]!.locals).toHaveLength(0xffff);
    expect(() => internLocalKey(w, 0, 'crashed:-1')).toThrow('process b has more than 65,535 local states: bound its context');
  });
});

describe('a process runtime', () => {
  it('crashing a crashed process changes nothing; a durable part that throws names the process and the crash', () => {
    const w = new World({ processes: { b: { machine: collector, crash: { durable: () => { throw new Error('no disk'); } } } }, network: 'bag', budgets: { crash: 1 } });
    const runtime = w.processes[0]!;
    expect(() => runtime.crash(0)).toThrow('process b failed on crash: no disk');
    const ok = new World({ processes: { b: { machine: collector, crash: {} } }, network: 'bag', budgets: { crash: 1 } }).processes[0]!;
    const crashed = ok.crash(0);
    expect(ok.crash(crashed)).toBe(crashed);
    // With a durable part too: crashing again does not ask it of the crashed state.
    const kept = new World({ processes: { b: { machine: collector, crash: { durable: (c: { seen: number[] }) => ({ seen: c.seen }) } } }, network: 'bag', budgets: { crash: 1 } }).processes[0]!;
    const down = kept.crash(0);
    expect(kept.crash(down)).toBe(down);
    expect(kept.locals[down]!.key).toBe('crashed:{"seen":[]}');
    const unserialisable = new World({ processes: { b: { machine: collector, crash: { durable: () => new Map() } } }, network: 'bag', budgets: { crash: 1 } }).processes[0]!;
    expect(() => unserialisable.crash(0)).toThrow('process b failed on crash: $ is a Map; use plain objects and arrays');
    expect(ok.locals[crashed]).toMatchObject({ crashed: true, durable: null, key: 'crashed:null' });
  });

  it('counts the calls into xstate: once per distinct local transition', () => {
    const w = new World({ processes: { a: { machine: pinger, requests: [{ type: 'GO' }] }, b: { machine: collector } }, network: 'bag', budgets: { request: 2 } });
    expect(w.xstateCalls()).toBe(2);
    breadthFirst(w, [], { unpacked: true });
    // a: start + 2 GOs; b: start + PING 0 and PING 1 from [] and PING 1 from [0] and PING 0 from [1].
    expect(w.xstateCalls()).toBe(3 + 5);
  });
});
