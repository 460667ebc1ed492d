/** The processes every variant has besides the replicas. */
export const INSTANCE = 'instance';
/** The election authority: the regional EBS control plane in 2011, a per-cluster service in the fix. */
export const AUTHORITY = 'cp';

/** Machines send by emitting this; the world routes it. */
export type Send = { type: 'send'; to: string | string[]; msg: Record<string, unknown> & { type: string } };

/** The authority's word on who is primary, in which epoch, with which replica set (sorted, primary included). */
export interface Announcement {
  type: 'NEW_PRIMARY';
  epoch: number;
  primary: string;
  members: string[];
  from: string;
}

export const without = (list: readonly string[], name: string): string[] => list.filter((x) => x !== name);
export const withName = (list: readonly string[], name: string): string[] => (list.includes(name) ? [...list] : [...list, name].sort());
