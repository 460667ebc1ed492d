/**
 * Names and message shapes shared by the RDS multi-AZ machines. Every message
 * carries its sender in `from`; machines send by emitting `{ type: 'send', to, msg }`.
 */

/** The database primary (Availability Zone a), its EBS volume, the standby (zone b), the application, the monitoring agent. */
export const PRIMARY = 'db-a';
export const VOLUME = 'vol-a';
export const STANDBY = 'db-b';
export const CLIENT = 'client';
export const AGENT = 'agent';

export type Emitted = { type: 'send'; to: string | string[]; msg: Record<string, unknown> & { type: string } };

export const send = (to: string, msg: Emitted['msg']): Emitted => ({ type: 'send', to, msg });

