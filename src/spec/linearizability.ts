/**
 * Linearizability of a history of operations against a sequential
 * specification, by the Wing–Gong search with Lowe's memoisation (as in
 * Knossos, Porcupine and Stateright's LinearizabilityTester): try to place
 * each operation at one instant between its call and its return so that, in
 * that order, the sequential object gives every output observed. A
 * configuration (which operations are placed, the object's state) is never
 * searched twice, which keeps the search polynomial in practice.
 */

/** One operation as a client saw it: called at `call`, returned `output` at `ret`, or still pending. */
export interface Operation<I, O> {
  process: string;
  input: I;
  call: number;
  /** Absent while pending: the operation may have taken effect or not, with any output. */
  ret?: number;
  output?: O;
}

/** The object the history is judged against, as a deterministic sequential machine. */
export interface SequentialSpec<S, I, O> {
  init: S;
  step(state: S, input: I): { state: S; output: O };
  /** A key for a state, for memoisation; JSON by default. */
  key?(state: S): string;
  /** Whether an observed output matches the specified one; deep equality of JSON by default. */
  same?(observed: O, specified: O): boolean;
}

export type LinearizabilityResult =
  | { linearizable: true; /** Operation indices in a valid order (pending ones that took no effect left out). */ order: number[] }
  | { linearizable: false; /** The largest set of operations that could be placed, by index. */ longestPrefix: number[] };

interface Entry {
  op: number;
  isCall: boolean;
  time: number;
  /** The other half of the operation (its return, for a call). */
  match?: Entry;
  prev?: Entry;
  next?: Entry;
}

export function checkLinearizable<S, I, O>(history: ReadonlyArray<Operation<I, O>>, spec: SequentialSpec<S, I, O>): LinearizabilityResult {
  const key = spec.key ?? ((s: S) => JSON.stringify(s));
  const same = spec.same ?? ((a: O, b: O) => JSON.stringify(a) === JSON.stringify(b));
  for (const [i, op] of history.entries()) {
    if (op.ret !== undefined && op.ret < op.call) throw new Error(`operation ${i} (${op.process}) returns at ${op.ret}, before its call at ${op.call}`);
  }
  // Calls and returns in time order; a pending operation returns after everything. On equal times a
  // return comes first: an operation that returned at t precedes one called at t.
  const entries: Entry[] = [];
  history.forEach((op, i) => {
    const call: Entry = { op: i, isCall: true, time: op.call };
    const ret: Entry = { op: i, isCall: false, time: op.ret ?? Infinity };
    call.match = ret;
    entries.push(call, ret);
  });
  entries.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? 1 : -1));
  const head: Entry = { op: -1, isCall: false, time: -Infinity };
  let last = head;
  for (const e of entries) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  const lift = (call: Entry) => {
    for (const e of [call, call.match!]) {
      e.prev!.next = e.next;
      if (e.next) e.next.prev = e.prev;
    }
  };
  const unlift = (call: Entry) => {
    for (const e of [call.match!, call]) {
      e.prev!.next = e;
      if (e.next) e.next.prev = e;
    }
  };

  const placed = new Uint8Array(history.length);
  const seen = new Set<string>();
  const stack: Array<{ call: Entry; state: S }> = [];
  let longest: number[] = [];
  let state = spec.init;
  let entry = head.next;
  while (head.next) {
    if (entry!.isCall) {
      const op = history[entry!.op]!;
      const result = spec.step(state, op.input);
      const fits = op.ret === undefined || same(op.output as O, result.output);
      placed[entry!.op] = 1;
      const configuration = `${placed.join('')}|${key(result.state)}`;
      if (fits && !seen.has(configuration)) {
        seen.add(configuration);
        stack.push({ call: entry!, state });
        state = result.state;
        lift(entry!);
        if (stack.length > longest.length) longest = stack.map((s) => s.call.op);
        entry = head.next;
      } else {
        placed[entry!.op] = 0;
        entry = entry!.next;
      }
    } else {
      // A return reached: the operation it ends should have been placed before it. Undo the last placement.
      const top = stack.pop();
      if (!top) return { linearizable: false, longestPrefix: longest };
      unlift(top.call);
      placed[top.call.op] = 0;
      state = top.state;
      entry = top.call.next;
    }
  }
  return { linearizable: true, order: stack.map((s) => s.call.op) };
}

/** A read/write register holding a value, initially `initial`. */
export function registerSpec<V>(initial: V): SequentialSpec<V, { type: 'read' } | { type: 'write'; value: V }, V | 'ok'> {
  return {
    init: initial,
    step: (state, input) => (input.type === 'write' ? { state: input.value, output: 'ok' } : { state, output: state }),
  };
}

/** An append-only log (a database's committed transactions), initially empty: `append` answers 'ok', `read` the whole log. */
export function logSpec<V>(): SequentialSpec<V[], { type: 'append'; value: V } | { type: 'read' }, V[] | 'ok'> {
  return {
    init: [],
    step: (state, input) => (input.type === 'append' ? { state: [...state, input.value], output: 'ok' } : { state, output: state }),
  };
}

/**
 * For a history found not linearizable, the operation no order can place and
 * the ones it had to follow, so a report can name them: the completed
 * operation outside the longest placed prefix that returned first (the search
 * got stuck at its return), and the placed operations that returned before it
 * was called (real time puts them before it).
 */
export function unorderable<I, O>(history: ReadonlyArray<Operation<I, O>>, result: LinearizabilityResult): { op: number; after: number[] } | undefined {
  if (result.linearizable) return undefined;
  const placed = new Set(result.longestPrefix);
  let op: number | undefined;
  history.forEach((o, i) => {
    if (placed.has(i) || o.ret === undefined) return;
    if (op === undefined || o.ret < history[op]!.ret!) op = i;
  });
  if (op === undefined) return undefined;
  const call = history[op]!.call;
  const after = result.longestPrefix.filter((i) => history[i]!.ret !== undefined && history[i]!.ret! <= call);
  return { op, after };
}
