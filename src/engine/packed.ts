/**
 * What a transition system may offer besides `TransitionSystem` so that the
 * breadth-first search can run without allocating per successor: its states as
 * vectors of 16-bit integers, and its successors written into one reused
 * buffer. The search then hashes and stores vectors (no string, no action
 * array per state) and builds a state `S` only when something asks for one.
 *
 * The enabled actions and their order must be exactly those of `actions()`,
 * and the i-th successor exactly `nextState(state, actions(state)[i])` packed:
 * paths are still replayed through `actions()`. Either method may throw on a
 * state it cannot handle; the search then asks `actions()` and `nextState()`
 * for that state (from the action that threw), so errors are reported where
 * the plain interface reports them.
 */
export interface PackedSystem<S> {
  /** The buffer `successorInto` and `packInto` write a vector into, from index 0 (it may be replaced as it grows). */
  readonly vector: Uint16Array;
  /** Writes the state's vector into `vector`; returns its length. */
  packInto(state: S): number;
  /** The state whose vector is `data[start, end)`. */
  unpack(data: Uint16Array, start: number, end: number): S;
  /** Reads the state `data[start, end)` (copying it: `data` may change after) and returns how many actions are enabled in it. */
  beginExpand(data: Uint16Array, start: number, end: number): number;
  /** Writes the successor by the state's i-th enabled action into `vector`; returns its length. */
  successorInto(i: number): number;
}

/** A system that can be searched packed: `packed` is undefined when it cannot be (then the plain interface is used). */
export interface MaybePacked<S> {
  readonly packed?: PackedSystem<S>;
}

/**
 * A check that can judge a state from its vector without building the state:
 * `testPacked(data, start, end)` must return what `test` returns on the
 * unpacked state.
 */
export interface PackedTest {
  testPacked?(data: Uint16Array, start: number, end: number): unknown;
}
