import type { WorldView } from '../../src/index.js';
import type { AgentContext } from './agent.js';
import { acceptsReplication, type DatabaseContext } from './database.js';
import { AGENT, PRIMARY, STANDBY, VOLUME } from './messages.js';
import type { VolumeContext } from './volume.js';

/**
 * Facts the properties read from the whole world. The only `when` conditions
 * are the 2011 variants' own: the primary's broken link (`lostStandby`) and
 * their accurate failure detector (`volumeStuck`); no fixed variant uses one.
 */

/** The 2011 primary's replication link is down: the passage's network interruption. */
export function lostStandby(w: WorldView): boolean {
  return !w.connected(PRIMARY, STANDBY);
}

/** The primary's EBS volume is stuck: I/O sent to it is lost. */
export function volumeStuck(w: WorldView): boolean {
  return w.process(VOLUME).crashed;
}

/** A crash that liveness must wait out: the standby's host or the agent is down (the stuck volume and the zone cut are not excused). */
export function faultInForce(w: WorldView): boolean {
  return w.process(STANDBY).crashed || w.process(AGENT).crashed;
}

/** The commits a replica holds: the primary's are on its volume (kept while stuck), the standby's on its own storage. */
export function commitsHeldBy(w: WorldView, db: string): number[] {
  if (db === PRIMARY) return (w.process(VOLUME).context as VolumeContext).blocks;
  // A crashed standby's view holds what survived: its own storage, log included.
  return (w.process(db).context as Pick<DatabaseContext, 'log'>).log;
}

/**
 * A replica is writable when a commit reaching it now would be acknowledged:
 * it serves, its volume answers, and (in `sync`) its standby would apply the
 * replication. This is what two clients writing to two replicas would need to
 * diverge, so it is what `single-writer` counts.
 */
export function writable(w: WorldView, db: string): boolean {
  const replica = w.process(db);
  if (replica.crashed || !replica.is('serving')) return false;
  const self = replica.context as DatabaseContext;
  if (self.volume && (w.process(self.volume).crashed || !w.connected(db, self.volume))) return false;
  switch (self.mode) {
    case 'solo':
    case 'alone':
      return true;
    case 'outdating-peer':
      return false;
    case 'sync': {
      if (self.peer === null || !w.connected(db, self.peer)) return false;
      const peer = w.process(self.peer);
      return !peer.crashed && acceptsReplication(String(peer.value), peer.context as DatabaseContext, self.epoch, db);
    }
  }
}

/** The agent's state; while it is down, its durable record (undefined when it keeps none). */
export function agentOf(w: WorldView): AgentContext | undefined {
  return (w.process(AGENT).context as AgentContext | null) ?? undefined;
}
