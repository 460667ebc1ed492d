import type { EventObject } from 'xstate';
import type { LocalState } from './process-runtime.js';
import type { World } from './world.js';

/**
 * Interned ids mean something only inside the World that assigned them. Two
 * Worlds of the same model agree on every id when they intern the same keys in
 * the same order; these helpers read a World's tables as portable keys and
 * intern such keys into another World, so that parallel explorers can keep the
 * Worlds of their threads in step.
 */

/** An envelope as it crosses threads: sender and receiver indices and the message. */
export interface PortableEnvelope {
  readonly from: number;
  readonly to: number;
  readonly msg: EventObject;
}

/** The canonical keys of a process's interned local states, from `start` on. */
export function localKeys(world: World, process: number, start = 0): string[] {
  return world.processes[process]!.locals.slice(start).map((local) => local.key);
}

export function envelopesFrom(world: World, start = 0): PortableEnvelope[] {
  return world.envelopes.slice(start).map((e) => ({ from: e.from, to: e.to, msg: e.msg }));
}

/**
 * Interns a local state given by its key (`[value, context, status]` as
 * canonical JSON, or `crashed:<durable>`), rebuilding the snapshot with
 * `resolveState`. Goes through `ProcessRuntime.adopt`, whose key format is the
 * one `run` and `crash` use, so a key seen before gets its old id.
 */
export function internLocalKey(world: World, process: number, key: string): number {
  const runtime = world.processes[process]!;
  if (key.startsWith('crashed:')) {
    const source = { crashed: true, durable: null, key } as LocalState;
    return runtime.adopt(source, JSON.parse(key.slice('crashed:'.length)));
  }
  const [value, context, status] = JSON.parse(key) as [unknown, unknown, string];
  const source = { crashed: false, value, context, key, snapshot: { status, historyValue: undefined } } as unknown as LocalState;
  return runtime.adopt(source, context);
}

export function internEnvelope(world: World, envelope: PortableEnvelope): number {
  return world.envelopeId(envelope.from, envelope.to, envelope.msg);
}

/** How many local states each process and how many envelopes the world has interned. */
export function tableSizes(world: World): { locals: number[]; envelopes: number } {
  return { locals: world.processes.map((p) => p.locals.length), envelopes: world.envelopes.length };
}
