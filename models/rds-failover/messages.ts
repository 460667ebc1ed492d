/**
 * Names and message shapes shared by the RDS multi-AZ machines. Every message
 * carries its sender in `from`; machines send by emitting `{ type: 'send', to, msg }`.
 */
export type FailoverVariant = 'buggy' | 'naive-failover' | 'fixed';

/** The database primary (Availability Zone a), its EBS volume, the standby (zone b), the application, the monitoring agent. */
export const PRIMARY = 'db-a';
export const VOLUME = 'vol-a';
export const STANDBY = 'db-b';
export const CLIENT = 'client';
export const AGENT = 'agent';

export type Emitted = { type: 'send'; to: string | string[]; msg: Record<string, unknown> & { type: string } };

/**
 * What the agent can learn about the standby when the primary fails: whether the
 * primary has marked it out of date (it went on committing without it), or
 * nothing at all, when neither the primary nor its volume can be read.
 */
export type StandbyRecord = 'standby-current' | 'standby-outdated' | 'unknown';

/** The agent's observation that the primary can no longer serve (its health check failed). */
export interface PrimaryDown {
  type: 'PRIMARY_DOWN';
  record: StandbyRecord;
  /** Whether the primary's host still answers the agent (its volume is stuck), so it can be fenced. */
  reachable: boolean;
}

/** Sent when the primary or the standby are waiting on their storage or peer. Idempotent at the receiver. */
export const STORAGE_AND_REPLICATION = new Set(['WRITE', 'WRITTEN', 'MARK_PEER_OUTDATED', 'MARKED', 'REPLICATE', 'REPL_ACK']);
