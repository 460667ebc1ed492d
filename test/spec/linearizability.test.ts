import { describe, expect, it } from 'vitest';
import { checkLinearizable, registerSpec, type Operation, type SequentialSpec } from '../../src/index.js';
import { logSpec, unorderable } from '../../src/spec/linearizability.js';

type RegisterOp = Operation<{ type: 'read' } | { type: 'write'; value: number }, number | 'ok'>;
const w = (process: string, value: number, call: number, ret?: number): RegisterOp => ({ process, input: { type: 'write', value }, call, ret, output: ret === undefined ? undefined : 'ok' });
const r = (process: string, value: number, call: number, ret: number): RegisterOp => ({ process, input: { type: 'read' }, call, ret, output: value });
const register = registerSpec(0);
const ok = (history: RegisterOp[]) => checkLinearizable(history, register).linearizable;

describe('linearizability of a register', () => {
  it('a sequential history that follows the register is linearizable, in its own order', () => {
    expect(checkLinearizable([w('a', 1, 0, 1), r('b', 1, 2, 3), w('a', 2, 4, 5), r('b', 2, 6, 7)], register)).toEqual({ linearizable: true, order: [0, 1, 2, 3] });
  });

  it('a read of a value never written is not', () => {
    expect(ok([w('a', 1, 0, 1), r('b', 7, 2, 3)])).toBe(false);
  });

  it('a read overlapping a write may see the old value or the new', () => {
    expect(ok([w('a', 1, 0, 10), r('b', 0, 1, 2)])).toBe(true);
    expect(ok([w('a', 1, 0, 10), r('b', 1, 1, 2)])).toBe(true);
  });

  it('a stale read after the write returned is not linearizable', () => {
    expect(ok([w('a', 1, 0, 1), r('b', 0, 2, 3)])).toBe(false);
  });

  it('once a read saw the new value, a later read may not see the old one (the classic new-old inversion)', () => {
    expect(ok([w('a', 1, 0, 10), r('b', 1, 1, 2), r('c', 0, 3, 4)])).toBe(false);
    expect(ok([w('a', 1, 0, 10), r('b', 0, 1, 2), r('c', 1, 3, 4)])).toBe(true);
  });

  it('a pending write may have taken effect or not', () => {
    expect(ok([w('a', 1, 0), r('b', 1, 5, 6)])).toBe(true);
    expect(ok([w('a', 1, 0), r('b', 0, 5, 6)])).toBe(true);
    // …but not both ways, once and for all: having been seen, it stays.
    expect(ok([w('a', 1, 0), r('b', 1, 5, 6), r('b', 0, 7, 8)])).toBe(false);
  });

  it('an operation that returned at t precedes one called at t', () => {
    expect(ok([w('a', 1, 0, 5), r('b', 0, 5, 6)])).toBe(false);
  });

  it('reports the longest set of operations it could place when the history is not linearizable', () => {
    const result = checkLinearizable([w('a', 1, 0, 1), r('b', 1, 2, 3), r('c', 0, 4, 5)], register);
    expect(result).toEqual({ linearizable: false, longestPrefix: [0, 1] });
  });

  it('rejects an operation that returns before it is called', () => {
    expect(() => checkLinearizable([w('a', 1, 5, 4)], register)).toThrow(/returns at 4, before its call at 5/);
  });
});

describe('linearizability of other objects', () => {
  // A FIFO queue: enqueue answers ok, dequeue the head or 'empty'.
  type QueueInput = { type: 'enq'; value: number } | { type: 'deq' };
  const queue: SequentialSpec<number[], QueueInput, number | 'ok' | 'empty'> = {
    init: [],
    step: (s, i) => (i.type === 'enq' ? { state: [...s, i.value], output: 'ok' } : s.length ? { state: s.slice(1), output: s[0]! } : { state: s, output: 'empty' }),
  };
  const op = (process: string, input: QueueInput, output: number | 'ok' | 'empty', call: number, ret: number) => ({ process, input, output, call, ret });

  it('two overlapping enqueues may come out in either order', () => {
    const enqueues = [op('a', { type: 'enq', value: 1 }, 'ok', 0, 3), op('b', { type: 'enq', value: 2 }, 'ok', 1, 4)];
    expect(checkLinearizable([...enqueues, op('c', { type: 'deq' }, 2, 5, 6), op('c', { type: 'deq' }, 1, 7, 8)], queue).linearizable).toBe(true);
  });

  it('enqueues one after the other come out in that order', () => {
    const enqueues = [op('a', { type: 'enq', value: 1 }, 'ok', 0, 1), op('b', { type: 'enq', value: 2 }, 'ok', 2, 3)];
    expect(checkLinearizable([...enqueues, op('c', { type: 'deq' }, 2, 5, 6)], queue).linearizable).toBe(false);
  });

  it('many concurrent writers stay quick: memoisation keeps the search from trying every order', () => {
    const history: RegisterOp[] = [];
    for (let i = 0; i < 14; i++) history.push(w(`p${i}`, i + 1, 0, 100));
    history.push(r('q', 99, 101, 102));
    expect(ok(history)).toBe(false);
  });
});

describe('linearizability of an append-only log (a database\'s commits)', () => {
  type LogOp = Operation<{ type: 'append'; value: number } | { type: 'read' }, number[] | 'ok'>;
  const append = (value: number, call: number, ret?: number): LogOp => ({ process: 'app', input: { type: 'append', value }, call, ret, output: ret === undefined ? undefined : 'ok' });
  const read = (log: number[], call: number, ret: number): LogOp => ({ process: 'app', input: { type: 'read' }, call, ret, output: log });
  const log = logSpec<number>();

  it('a read after an acknowledged append must see it: a failover that lost it is not linearizable', () => {
    expect(checkLinearizable([append(1, 0, 1), read([1], 2, 3)], log).linearizable).toBe(true);
    expect(checkLinearizable([append(1, 0, 1), read([], 2, 3)], log).linearizable).toBe(false);
  });

  it('appends acknowledged in turn are seen in that order, never the other', () => {
    expect(checkLinearizable([append(1, 0, 1), append(2, 2, 3), read([1, 2], 4, 5)], log).linearizable).toBe(true);
    expect(checkLinearizable([append(1, 0, 1), append(2, 2, 3), read([2, 1], 4, 5)], log).linearizable).toBe(false);
  });

  it('a pending append may show up in a read or not, but once seen it stays', () => {
    expect(checkLinearizable([append(1, 0, 1), append(2, 2), read([1], 4, 5)], log).linearizable).toBe(true);
    expect(checkLinearizable([append(1, 0, 1), append(2, 2), read([1, 2], 4, 5)], log).linearizable).toBe(true);
    expect(checkLinearizable([append(1, 0, 1), append(2, 2), read([1, 2], 4, 5), read([1], 6, 7)], log).linearizable).toBe(false);
  });
});

describe('unorderable: the operations a non-linearizable history cannot order', () => {
  it('names the stale read and the write it came after', () => {
    const history = [w('a', 1, 0, 1), r('b', 0, 2, 3)];
    expect(unorderable(history, checkLinearizable(history, register))).toEqual({ op: 1, after: [0] });
  });

  it('in the new-old inversion, names the second read and what it had to follow: the first read, not the pending write', () => {
    const history = [w('a', 1, 0), r('b', 1, 1, 2), r('c', 0, 3, 4)];
    expect(unorderable(history, checkLinearizable(history, register))).toEqual({ op: 2, after: [1] });
  });

  it('says nothing of a linearizable history', () => {
    const history = [w('a', 1, 0, 1), r('b', 1, 2, 3)];
    expect(unorderable(history, checkLinearizable(history, register))).toBeUndefined();
  });
});
