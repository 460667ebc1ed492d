import type { EventObject } from 'xstate';

export type ActionKind = 'deliver' | 'timeout' | 'request' | 'internal' | 'tick' | 'drop' | 'partition' | 'heal' | 'crash' | 'restart' | 'init';

/** Kinds that are the protocol making progress; the rest are the environment misbehaving or recovering. */
export const PROTOCOL_KINDS: ReadonlySet<ActionKind> = new Set(['deliver', 'timeout', 'request', 'internal', 'tick']);

/** A world action as plain JSON: what replay files store and what identifies an action across states. */
export type ActionDescriptor =
  | { kind: 'deliver' | 'drop'; from: string; to: string; msg: EventObject }
  | { kind: 'timeout' | 'request'; process: string; event: EventObject }
  /** A process's own spontaneous step; `name` is what stories call it. */
  | { kind: 'internal'; process: string; event: EventObject; name?: string }
  | { kind: 'crash' | 'restart'; process: string }
  | { kind: 'tick' }
  | { kind: 'partition' | 'heal'; partition: string }
  /**
   * Not a step: the first entry of a trace of a world with several initial
   * states, naming the one it starts from (its label). A trace without it
   * starts from the first initial state.
   */
  | { kind: 'init'; initial: string };

export interface WorldAction {
  readonly kind: ActionKind;
  /** The process the action lands on (receiver, timer owner, crashed node); '' for partitions. */
  readonly process: string;
  /** Message or event type, or partition name: what a random selector aims at. */
  readonly tag: string;
  /** Canonical JSON of the descriptor: equal ids mean the same action in any state. */
  readonly id: string;
  readonly descriptor: ActionDescriptor;
  /** Internal operands (envelope id, process index, spec index). */
  readonly code: number;
  readonly arg: number;
}
