import type { AsyncCalls } from './harness.js';
import type { ChannelId, DepCall, SessionId } from './types.js';

export interface PendingCall {
  req: number;
  call: DepCall;
  session: SessionId;
}

/**
 * Awaited calls that complete only when told to: the deterministic driver
 * behind replays and the conformance test. A request has at most one call
 * outstanding (each handler awaits one thing at a time), so the request
 * number names the call.
 */
export class ManualCalls implements AsyncCalls {
  readonly #pending: (PendingCall & { complete: () => void })[] = [];

  get pending(): PendingCall[] {
    return this.#pending.map(({ req, call, session }) => ({ req, call, session }));
  }

  connect(session: SessionId, req: number, channel: ChannelId): Promise<ChannelId> {
    return this.#defer(req, 'connect', session, channel);
  }

  readChunk(session: SessionId, offset: number, req: number): Promise<number> {
    return this.#defer(req, 'readChunk', session, offset);
  }

  releaseReplica(session: SessionId, req: number): Promise<void> {
    return this.#defer(req, 'releaseReplica', session, undefined);
  }

  /** Completes the outstanding call of request `req`; false when it has none. */
  complete(req: number): boolean {
    const i = this.#pending.findIndex((p) => p.req === req);
    if (i < 0) return false;
    const [p] = this.#pending.splice(i, 1);
    p!.complete();
    return true;
  }

  #defer<T>(req: number, call: DepCall, session: SessionId, value: T): Promise<T> {
    return new Promise<T>((resolve) => this.#pending.push({ req, call, session, complete: () => resolve(value) }));
  }
}

/** Lets every continuation that is ready run to its next await (all microtasks drain before a macrotask). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
