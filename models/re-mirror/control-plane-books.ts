/**
 * The control plane's books and the pure decisions it takes on them: where
 * free slots are, which nodes it will not place replicas on, and when a node
 * may be reclaimed. Kept apart from the machine so that properties and views
 * can read the same definitions.
 */

/** A re-mirror the control plane has granted: `source` copies to `target`, which will take `lost`'s place. */
export interface RemirrorGrant {
  source: string;
  lost: string;
  target: string;
  epoch: number;
}

export interface ControlPlaneContext {
  /** Each volume's two replicas as the control plane knows them (sorted; the authority on membership). */
  members: Record<string, string[]>;
  /** The epoch of each volume's current pairing. */
  epoch: Record<string, number>;
  /** The last epoch each volume's counter handed out (grants and rejoins). */
  counter: Record<string, number>;
  grants: Record<string, RemirrorGrant>;
  /** Volumes answered "no space", with the replicas that asked (sorted): offered a grant once space frees up. */
  waiting: Record<string, string[]>;
  /** Nodes a peer reported lost: candidates for reclaiming once nothing names them (until erased or rejoined). */
  suspected: string[];
  /** Reclaimed nodes asked to erase their disk, with the reclaim number, not yet confirmed. */
  wiping: Record<string, number>;
  /**
   * Volume → the member that answered it holds no replica of it (its disk was lost): its slot is free, and the
   * volume's new copy may go there. Cleared when the volume is granted a new node.
   */
  emptied: Record<string, string>;
  /** Volume → the member asked whether it still holds its copy, not yet answered (the question is resent). */
  questions: Record<string, string>;
  /** The last reclaim number issued per node. */
  reclaims: Record<string, number>;
  /** Searches for space that found none since a slot was last taken or freed, saturating at limit + 1. */
  negotiations: number;
  /** Constants kept here so properties can read them: slots per node (buffer included), the initial placement and the load limit. */
  capacity: Record<string, number>;
  placement: Record<string, string[]>;
  negotiationLimit: number;
}

/** Whether `node` holds (or is being sent) a replica of `vol` as the books know: a member that said it holds none does not. */
function holdsInBooks(context: ControlPlaneContext, vol: string, node: string): boolean {
  return (context.members[vol]!.includes(node) && context.emptied[vol] !== node) || context.grants[vol]?.target === node;
}

/** Slots of `node` not taken by a replica the books list or by a re-mirror under way (one per volume at most). */
export function freeSlots(context: ControlPlaneContext, node: string): number {
  let used = 0;
  for (const vol of Object.keys(context.members)) if (holdsInBooks(context, vol, node)) used++;
  return context.capacity[node]! - used;
}

/** A node the control plane will not place replicas on: being replaced by a pending grant, or reclaimed and not yet erased. */
export function failed(context: ControlPlaneContext, node: string): boolean {
  return node in context.wiping || Object.values(context.grants).some((g) => g.lost === node);
}

/** Free slots on nodes the control plane would place a replica on. */
export function usableFreeSlots(context: ControlPlaneContext): number {
  return Object.keys(context.capacity)
    .filter((n) => !failed(context, n))
    .reduce((sum, n) => sum + Math.max(0, freeSlots(context, n)), 0);
}

/** The search for space: the first healthy node that does not hold the volume and has a free slot (a member that said it holds none may be it). */
export function findTarget(context: ControlPlaneContext, vol: string): string | undefined {
  return Object.keys(context.capacity).find((n) => !holdsInBooks(context, vol, n) && !failed(context, n) && freeSlots(context, n) > 0);
}

/**
 * The member a volume waiting for space is replacing, when the control plane may ask it whether it still holds
 * its copy: a peer reported it lost, it is not itself waiting, and it has not answered yet.
 */
export function replacedReplica(context: ControlPlaneContext, vol: string): string | undefined {
  const askers = context.waiting[vol];
  if (askers === undefined || context.grants[vol] !== undefined || context.emptied[vol] !== undefined) return undefined;
  const source = askers.find((n) => context.members[vol]!.includes(n));
  if (source === undefined) return undefined;
  const other = otherMember(context, vol, source);
  return askers.includes(other) || !context.suspected.includes(other) ? undefined : other;
}

/** Whether some volume's members or some pending grant names the node. */
export function named(context: ControlPlaneContext, node: string, { countGrants }: { countGrants: boolean }): boolean {
  if (Object.values(context.members).some((nodes) => nodes.includes(node))) return true;
  return countGrants && Object.values(context.grants).some((g) => g.source === node || g.target === node || g.lost === node);
}

export const without = <T>(record: Record<string, T>, key: string): Record<string, T> => {
  const { [key]: _gone, ...rest } = record;
  return rest;
};

export const sortedPair = (a: string, b: string): string[] => [a, b].sort();

export const otherMember = (context: ControlPlaneContext, vol: string, node: string): string => context.members[vol]!.find((n) => n !== node)!;
