/**
 * What the callers and the control plane say to each other. Every message names
 * its sender in `from`; machines send by emitting `{ type: 'send', to, msg }`.
 */

/** The control plane itself: the one regional set of control-plane services. */
export const CONTROL_PLANE = 'cp';

/** The Availability Zone whose EBS cluster is degraded (re-mirroring storm). */
export const DEGRADED_AZ = 'az1';

/** An API call: a customer's create-volume, or a stuck volume's re-mirror negotiation. */
export type CallKind = 'create-volume' | 'negotiate';

export interface CallMsg {
  type: 'CALL';
  from: string;
  az: string;
  kind: CallKind;
  /** Per caller, increasing: the call's number. A retry resends the same number. */
  id: number;
  /** The caller's tick when it first sent this call: the call's deadline is `sent + S`. */
  sent: number;
}

/** A call served: the cluster behind it answered. */
export interface DoneMsg {
  type: 'DONE';
  from: string;
  id: number;
}

/** A call given up by the control plane: its thread waited too long on the cluster, or (`late`) the call arrived past its deadline and took no thread. */
export interface TimedOutMsg {
  type: 'TIMED_OUT';
  from: string;
  id: number;
  late: boolean;
}

/**
 * A call turned away without a thread. `REFUSED`: the pool was full. `SHED`:
 * a thread was free but the control plane kept it for other zones. Both report
 * the pool as the control plane saw it when it decided, so the decision can be judged.
 */
export interface TurnedAwayMsg {
  type: 'REFUSED' | 'SHED';
  from: string;
  id: number;
  /** Free threads at the moment of the decision. */
  free: number;
  /** Threads each zone held at that moment. */
  held: Record<string, number>;
}

export type AnswerMsg = DoneMsg | TimedOutMsg | TurnedAwayMsg;
export type AnswerType = AnswerMsg['type'];
export const ANSWER_TYPES: readonly AnswerType[] = ['DONE', 'TIMED_OUT', 'REFUSED', 'SHED'];

export type Emitted = { type: 'send'; to: string; msg: CallMsg | AnswerMsg };

export const threadName = (index: number): string => `t${index + 1}`;
