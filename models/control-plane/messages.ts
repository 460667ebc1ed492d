/**
 * What AZ callers and the control plane say to each other. Every message names
 * its sender in `from`; machines send by emitting `{ type: 'send', to, msg }`.
 */

/** The control plane itself: the one regional set of control-plane services. */
export const CONTROL_PLANE = 'cp';

/** The Availability Zone whose EBS cluster is degraded (re-mirroring storm). */
export const DEGRADED_AZ = 'az1';

/** The degraded cluster's own process in the brownout variants: its stuck volumes negotiate. */
export const DEGRADED_CLUSTER = `ebs-${DEGRADED_AZ}`;

/** An API call: a customer's create-volume, or a stuck volume's re-mirror negotiation. */
export type CallKind = 'create-volume' | 'negotiate';

export interface CallMsg {
  type: 'CALL';
  from: string;
  az: string;
  kind: CallKind;
  /** Per caller: the request number, or the volume number for a negotiation. */
  id: number;
}

/**
 * The control plane's reply. `thread` is the 1-based thread that served the call,
 * 0 when the call was refused without one.
 */
export interface AnswerMsg {
  type: 'ANSWER';
  from: string;
  id: number;
  outcome: 'done' | 'timed-out' | 'refused';
  thread: number;
}

export type Emitted = { type: 'send'; to: string; msg: CallMsg | AnswerMsg };

export const threadName = (index: number): string => `t${index + 1}`;
