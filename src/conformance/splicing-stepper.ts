import type { WorldAction } from '../world/actions.js';
import type { World } from '../world/world.js';

/**
 * `World.nextState` for a validator that follows one long path. The world
 * rebuilds the whole state string on every step (decode the envelopes in
 * flight, copy, re-encode), so on a network that keeps every message ever sent
 * a step costs the size of the network, and a log of 100,000 events spent most
 * of its time there. A step changes only a few envelopes, though: this asks the
 * world for the step on the state's fixed-size head alone (no message in
 * flight), which gives the new head and the envelopes the step sent, and
 * splices those into the old network part, in the world's own canonical order.
 * The result is the very string `World.nextState` returns
 * (test/conformance/splicing-stepper.test.ts checks this on every kind of
 * network).
 *
 * What the splice relies on, from `World.nextState`: the network only loses
 * the delivered envelope (not on a persistent network), the dropped one, or
 * every envelope to a process that crashes; it gains what the step sent, where
 * a set or persistent network keeps one copy of each; a FIFO network is kept in
 * send order within each link and links in their canonical order, every other
 * network sorted by envelope id.
 */
export class SplicingStepper {
  private readonly offset: number;
  private readonly fifo: boolean;
  /** Whether a message sent again while in flight is one message (set, persistent) rather than two (bag, FIFO). */
  private readonly single: boolean;

  constructor(private readonly world: World) {
    this.offset = world.networkOffset;
    const kind = world.spec.network;
    this.fifo = kind === 'fifo';
    this.single = kind === 'set' || kind === 'persistent';
  }

  nextState(state: string, action: WorldAction): string {
    const world = this.world;
    const off = this.offset;
    // Nothing in flight, or a step the world takes from no state: its own step costs nothing more.
    if (action.kind === 'init' || state.length === off) return world.nextState(state, action);
    // The world counts a timer that fires while messages are in flight; from the head alone it would see none.
    if (action.kind === 'timeout') world.timersFiredInFlight.add(`${(action.descriptor as { event: { type: string } }).event.type} at ${action.process}`);
    const stepped = world.nextState(state.slice(0, off), action);
    const head = stepped.slice(0, off);
    if (action.kind === 'crash') return head + this.withoutEnvelopesTo(state, action.code);
    let removed = -1;
    if ((action.kind === 'deliver' && world.spec.network !== 'persistent') || action.kind === 'drop') removed = this.indexOfEnvelope(state, action.code);
    if (stepped.length === off && removed < 0) return head + state.slice(off);
    // Cuts in the old state, in order: each is "insert this id before index `at`" (the removal is handled as a skip).
    const inserts: Array<{ at: number; id: number }> = [];
    const removedId = removed < 0 ? -1 : state.charCodeAt(removed);
    for (let i = off; i < stepped.length; i++) {
      const id = stepped.charCodeAt(i);
      if (this.fifo) {
        inserts.push({ at: this.endOfLink(state, this.world.envelopes[id]!.link), id });
        continue;
      }
      const at = lowerBound(state, off, id);
      // One copy per message: already in flight (and not the one just taken out) means nothing changes.
      if (this.single && at < state.length && state.charCodeAt(at) === id && id !== removedId) continue;
      inserts.push({ at, id });
    }
    // Copy the old network piece by piece up to each insertion, leaving out the removed index.
    let out = head;
    let from = off;
    for (let k = 0; k <= inserts.length; k++) {
      const end = k < inserts.length ? inserts[k]!.at : state.length;
      out += removed >= from && removed < end ? state.slice(from, removed) + state.slice(removed + 1, end) : state.slice(from, end);
      from = end;
      if (k < inserts.length) out += String.fromCharCode(inserts[k]!.id);
    }
    return out;
  }

  /** Where the first copy of an envelope sits in the state: the one the world removes (any copy alike, on a sorted network). */
  private indexOfEnvelope(state: string, id: number): number {
    if (this.fifo) return state.indexOf(String.fromCharCode(id), this.offset);
    const at = lowerBound(state, this.offset, id);
    return at < state.length && state.charCodeAt(at) === id ? at : -1;
  }

  /** On a FIFO network, the index just past the last envelope of this link (links sit in ascending order). */
  private endOfLink(state: string, link: number): number {
    const envelopes = this.world.envelopes;
    let low = this.offset;
    let high = state.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (envelopes[state.charCodeAt(mid)]!.link <= link) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private withoutEnvelopesTo(state: string, process: number): string {
    const envelopes = this.world.envelopes;
    const kept: number[] = [];
    for (let i = this.offset; i < state.length; i++) {
      const id = state.charCodeAt(i);
      if (envelopes[id]!.to !== process) kept.push(id);
    }
    let out = '';
    // String.fromCharCode takes its arguments on the stack: a long network goes in chunks.
    for (let i = 0; i < kept.length; i += 8192) out += String.fromCharCode.apply(null, kept.slice(i, i + 8192));
    return out;
  }
}

/** The first index at or after `from` whose id is not below `id`, in a string whose ids ascend from there. */
function lowerBound(state: string, from: number, id: number): number {
  let low = from;
  let high = state.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (state.charCodeAt(mid) < id) low = mid + 1;
    else high = mid;
  }
  return low;
}
