import type { WorldView } from '../../src/index.js';
import type { AgentContext } from './agent.js';
import type { DatabaseContext } from './database.js';
import { AGENT, PRIMARY, STANDBY, STORAGE_AND_REPLICATION, VOLUME, type StandbyRecord } from './messages.js';
import type { VolumeContext } from './volume.js';

/**
 * What the environment lets processes observe, and the facts properties read.
 * Timers are guarded by these conditions: a failure detector that is accurate
 * but may be slow (the explorer chooses when the timer fires).
 */

/** The primary's host is down with its zone, or came back from that without its memory and is out of service. */
function primaryHostLost(w: WorldView): boolean {
  return w.process(PRIMARY).crashed || w.process(PRIMARY).is('recovering');
}

/** The primary can no longer serve: its zone is lost, its volume is stuck, or the agent cannot reach it. */
export function primaryImpaired(w: WorldView): boolean {
  return primaryHostLost(w) || w.process(VOLUME).crashed || !w.connected(AGENT, PRIMARY);
}

/** The zone fault the liveness property is about: the primary's volume stuck or its host lost with the zone. */
export function primaryZoneImpaired(w: WorldView): boolean {
  return primaryHostLost(w) || w.process(VOLUME).crashed;
}

/** The primary's host answers the agent from its memory (and can be fenced). */
export function primaryReachable(w: WorldView): boolean {
  return !primaryHostLost(w) && w.connected(AGENT, PRIMARY);
}

/**
 * What the agent can learn about the standby: the primary's host answers from
 * memory (its mode); failing that, the volume's metadata is read (the host is
 * gone but the volume still serves); failing that, nothing.
 */
export function standbyRecord(w: WorldView): StandbyRecord {
  if (primaryReachable(w)) {
    const mode = (w.process(PRIMARY).context as DatabaseContext).mode;
    // A primary still writing the marker may already have it on disk: it cannot vouch for the standby.
    return mode === 'sync' ? 'standby-current' : 'standby-outdated';
  }
  const volume = w.process(VOLUME);
  if (!volume.crashed && w.connected(AGENT, VOLUME)) return (volume.context as VolumeContext).peerOutdated ? 'standby-outdated' : 'standby-current';
  return 'unknown';
}

/**
 * What the agent would learn once it can read the primary's side again (the cut
 * healed): the truth it is missing. The primary's memory if its host lives,
 * else the volume's metadata, stuck or not.
 */
export function recordOnceReadable(w: WorldView): Exclude<StandbyRecord, 'unknown'> {
  if (!primaryHostLost(w)) return (w.process(PRIMARY).context as DatabaseContext).mode === 'sync' ? 'standby-current' : 'standby-outdated';
  return (w.process(VOLUME).context as VolumeContext).peerOutdated ? 'standby-outdated' : 'standby-current';
}

/** The primary has lost its standby: the only time its peer-loss timer fires. */
export function lostStandby(w: WorldView): boolean {
  return !w.connected(PRIMARY, STANDBY);
}

/** No storage or replication message to or from the replica is in flight: waiting on one more is pointless. */
export function nothingInFlight(w: WorldView, db: string): boolean {
  return !w.messages().some((m) => STORAGE_AND_REPLICATION.has(m.msg.type) && (m.from === db || m.to === db));
}

/** The commits a replica holds: the primary's are on its volume (kept while stuck), the standby's on its own storage. */
export function commitsHeldBy(w: WorldView, db: string): number[] {
  if (db === PRIMARY) return (w.process(VOLUME).context as VolumeContext).blocks;
  return (w.process(db).context as DatabaseContext).log;
}

/**
 * A replica is writable when a commit reaching it now would be acknowledged:
 * it serves, its volume answers, and (in `sync`) its standby would accept the
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
    case 'sync':
      return self.peer !== null && w.connected(db, self.peer) && w.process(self.peer).can({ type: 'REPLICATE', id: 0, epoch: self.epoch, from: db });
  }
}

export function agentOf(w: WorldView): AgentContext {
  return w.process(AGENT).context as AgentContext;
}
