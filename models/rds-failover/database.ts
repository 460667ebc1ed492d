import { enqueueActions, setup } from 'xstate';
import type { FailoverDesign } from './design.js';
import { AGENT, CLIENT, send, type Emitted } from './messages.js';

/**
 * One RDS database replica. The primary writes each commit to its EBS volume
 * and, synchronously, to the standby in the other Availability Zone; it
 * acknowledges the commit once both hold it. The standby applies what the
 * primary of its epoch replicates and waits to be promoted by the agent.
 *
 * `mode` says what the primary waits for before acknowledging:
 * - `sync`: its volume and the standby;
 * - `outdating-peer`: it lost the standby and is writing "peer out of date" to
 *   its volume's metadata; nothing is acknowledged until that is on disk;
 * - `alone`: its volume only (the 2011 primary: availability over redundancy);
 * - `solo`: a promoted standby, writable by the agent's decision in a new epoch.
 */
export type Mode = 'sync' | 'outdating-peer' | 'alone' | 'solo';

export interface Pending {
  id: number;
  written: boolean;
  replicated: boolean;
}

export interface DatabaseContext {
  id: string;
  epoch: number;
  /** The EBS volume holding this replica's data, or null when its storage is not modelled (the standby's own, always healthy). */
  volume: string | null;
  /** While primary in `sync`: the standby every commit must reach. */
  peer: string | null;
  /** While standby: the primary whose replication it applies. */
  follows: string | null;
  mode: Mode;
  /** Commits held on the replica's own storage (the standby's); the primary's are on its volume. */
  log: number[];
  pending: Pending | null;
  /** The last commit acknowledged: a commit id is never started twice. */
  lastAcked: number;
  /** The replica's rule for replication from an older epoch once promoted (see `acceptsReplication`). */
  refusesStaleEpoch: boolean;
}

/** What survives a crash of the standby's host: its own storage. */
export interface DatabaseDurable {
  log: number[];
  epoch: number;
  promoted: boolean;
}

export interface DatabaseInput {
  id: string;
  role: 'primary' | 'standby';
  volume: string | null;
  /** The other replica. */
  peer: string;
  durable?: DatabaseDurable;
}

export type DatabaseEvent =
  | { type: 'COMMIT'; id: number; from: string }
  | { type: 'WRITTEN'; id: number; from: string }
  | { type: 'MARKED'; from: string }
  | { type: 'REPLICATE'; id: number; epoch: number; from: string }
  | { type: 'REPL_ACK'; id: number; epoch: number; from: string }
  | { type: 'PROMOTE'; epoch: number; from: string }
  | { type: 'FENCE'; epoch: number; from: string }
  | { type: 'PEER_LOST' }
  | { type: 'RETRY' }
  | { type: 'READ'; op: number; from: string };

/**
 * Whether a replica in `state` applies replication of `epoch` from `from`: a
 * standby only from its primary in its own epoch; a promoted one, from an older
 * epoch, only when it does not refuse stale epochs. Shared by the machine and
 * by `single-writer`, which asks whether a primary could still get a commit acknowledged.
 */
export function acceptsReplication(state: 'standby' | 'serving' | string, self: DatabaseContext, epoch: number, from: string): boolean {
  if (state === 'standby') return epoch === self.epoch && from === self.follows;
  if (state === 'serving') return self.mode === 'solo' && epoch < self.epoch && !self.refusesStaleEpoch;
  return false;
}

interface Step {
  context: DatabaseContext;
  sends: Emitted[];
}

/** Acknowledges the pending commit once everything its mode waits for holds it. */
function acknowledgeIfDone(step: Step): Step {
  const { context } = step;
  const p = context.pending;
  if (!p || !p.written) return step;
  const standbyDone = p.replicated || context.mode === 'alone' || context.mode === 'solo';
  if (!standbyDone) return step;
  return { context: { ...context, pending: null, lastAcked: p.id }, sends: [...step.sends, send(CLIENT, { type: 'ACK', id: p.id, from: context.id })] };
}

function startCommit(context: DatabaseContext, id: number): Step {
  const sends: Emitted[] = [];
  let log = context.log;
  if (context.volume) sends.push(send(context.volume, { type: 'WRITE', id, from: context.id }));
  else log = log.includes(id) ? log : [...log, id];
  const replicating = context.mode === 'sync' && context.peer !== null;
  if (replicating) sends.push(send(context.peer!, { type: 'REPLICATE', id, epoch: context.epoch, from: context.id }));
  const pending = { id, written: context.volume === null, replicated: !replicating && context.mode !== 'outdating-peer' };
  return acknowledgeIfDone({ context: { ...context, log, pending }, sends });
}

/** Sends again whatever the primary is still waiting for: any of it may have been lost. */
function retry(context: DatabaseContext): Step {
  const sends: Emitted[] = [];
  if (context.mode === 'outdating-peer' && context.volume) sends.push(send(context.volume, { type: 'MARK_PEER_OUTDATED', from: context.id }));
  const p = context.pending;
  if (p && !p.written && context.volume) sends.push(send(context.volume, { type: 'WRITE', id: p.id, from: context.id }));
  if (p && !p.replicated && context.mode === 'sync' && context.peer) {
    sends.push(send(context.peer, { type: 'REPLICATE', id: p.id, epoch: context.epoch, from: context.id }));
  }
  return { context, sends };
}

/**
 * What a serving replica answers a read with: its committed transactions. The
 * primary's are the ones it acknowledged (ids run from 1, one at a time), from
 * its buffer cache; a promoted standby's are the ones on its own storage, all of
 * which its promotion commits.
 */
export function committedLog(context: DatabaseContext): number[] {
  if (context.volume === null) return context.log;
  return Array.from({ length: context.lastAcked }, (_, i) => i + 1);
}

/** Applies a pure step: assigns its context and emits its sends. */
function run(enqueue: { assign(c: DatabaseContext): void; emit(e: Emitted): void }, step: Step): void {
  enqueue.assign(step.context);
  for (const s of step.sends) enqueue.emit(s);
}

function initialContext(input: DatabaseInput, design: FailoverDesign): DatabaseContext {
  const promoted = input.durable?.promoted ?? false;
  const standby = input.role === 'standby' && !promoted;
  return {
    id: input.id,
    epoch: input.durable?.epoch ?? 1,
    volume: input.volume,
    peer: input.role === 'primary' ? input.peer : null,
    follows: standby ? input.peer : null,
    mode: promoted ? 'solo' : 'sync',
    log: input.durable?.log ?? [],
    pending: null,
    lastAcked: 0,
    refusesStaleEpoch: design.refusesStaleEpoch,
  };
}

export function createDatabaseMachine(design: FailoverDesign) {
  return setup({
    types: {} as { context: DatabaseContext; events: DatabaseEvent; input: DatabaseInput; emitted: Emitted },
    actions: {
      commit: enqueueActions(({ context, event, enqueue }) => run(enqueue, startCommit(context, (event as { id: number }).id))),
      written: enqueueActions(({ context, enqueue }) =>
        run(enqueue, acknowledgeIfDone({ context: { ...context, pending: { ...context.pending!, written: true } }, sends: [] })),
      ),
      replicated: enqueueActions(({ context, enqueue }) =>
        run(enqueue, acknowledgeIfDone({ context: { ...context, pending: { ...context.pending!, replicated: true } }, sends: [] })),
      ),
      startMarking: enqueueActions(({ context, enqueue }) =>
        run(enqueue, { context: { ...context, mode: 'outdating-peer' }, sends: [send(context.volume!, { type: 'MARK_PEER_OUTDATED', from: context.id })] }),
      ),
      // The marker is on disk: from now on commits are acknowledged without the standby.
      goAlone: enqueueActions(({ context, enqueue }) => run(enqueue, acknowledgeIfDone({ context: { ...context, mode: 'alone', peer: null }, sends: [] }))),
      retry: enqueueActions(({ context, enqueue }) => run(enqueue, retry(context))),
      // Fenced in a new epoch, the primary acknowledges nothing more, so its report can no longer change.
      beFenced: enqueueActions(({ context, event, enqueue }) => {
        const epoch = (event as { epoch: number }).epoch;
        run(enqueue, { context: { ...context, epoch }, sends: [send(AGENT, { type: 'FENCED', epoch, standbyCurrent: context.mode === 'sync', from: context.id })] });
      }),
      // A resent FENCE of the epoch already taken: the report was lost, so it is sent again.
      reportAgain: enqueueActions(({ context, enqueue }) =>
        enqueue.emit(send(AGENT, { type: 'FENCED', epoch: context.epoch, standbyCurrent: context.mode === 'sync', from: context.id })),
      ),
      apply: enqueueActions(({ context, event, enqueue }) => {
        const { id, epoch, from } = event as { id: number; epoch: number; from: string };
        run(enqueue, { context: { ...context, log: context.log.includes(id) ? context.log : [...context.log, id] }, sends: [send(from, { type: 'REPL_ACK', id, epoch, from: context.id })] });
      }),
      // Fencing by epoch: nothing the old primary replicates is applied or acknowledged, so it can never acknowledge a commit again.
      refuse: () => {},
      becomePrimary: enqueueActions(({ context, event, enqueue }) => {
        const epoch = (event as { epoch: number }).epoch;
        run(enqueue, { context: { ...context, epoch, follows: null, peer: null, mode: 'solo' }, sends: [send(AGENT, { type: 'PROMOTED', epoch, from: context.id })] });
      }),
      answerRead: enqueueActions(({ context, event, enqueue }) => {
        const { op, from } = event as { op: number; from: string };
        enqueue.emit(send(from, { type: 'READ_RESULT', op, log: committedLog(context), from: context.id }));
      }),
      // A resent PROMOTE of the epoch already taken: its acknowledgement was lost, so it is sent again.
      confirmPromotion: enqueueActions(({ context, enqueue }) => enqueue.emit(send(AGENT, { type: 'PROMOTED', epoch: context.epoch, from: context.id }))),
    },
    guards: {
      isStandby: ({ context }) => context.follows !== null,
      newCommit: ({ context, event }) => event.type === 'COMMIT' && context.pending === null && event.id > context.lastAcked,
      writtenNow: ({ context, event }) => event.type === 'WRITTEN' && context.pending?.id === event.id && !context.pending.written,
      replicatedNow: ({ context, event }) =>
        event.type === 'REPL_ACK' &&
        event.epoch === context.epoch &&
        context.pending !== null &&
        !context.pending.replicated &&
        (!design.acksMatchCommitId || context.pending.id === event.id),
      canGoAlone: ({ context }) => design.primaryGoesAlone && context.mode === 'sync' && context.peer !== null,
      marking: ({ context }) => context.mode === 'outdating-peer',
      stalled: ({ context }) => {
        const p = context.pending;
        return context.mode === 'outdating-peer' || (p !== null && (!p.written || (!p.replicated && context.mode === 'sync')));
      },
      accepted: ({ context, event }) => event.type === 'REPLICATE' && acceptsReplication('standby', context, event.epoch, event.from),
      acceptedStale: ({ context, event }) => event.type === 'REPLICATE' && acceptsReplication('serving', context, event.epoch, event.from),
      staleReplication: ({ context, event }) => event.type === 'REPLICATE' && event.epoch < context.epoch,
      newerEpoch: ({ context, event }) => (event.type === 'PROMOTE' || event.type === 'FENCE') && event.epoch > context.epoch,
      sameEpoch: ({ context, event }) => (event.type === 'PROMOTE' || event.type === 'FENCE') && event.epoch === context.epoch,
    },
  }).createMachine({
    id: 'database',
    context: ({ input }) => initialContext(input, design),
    initial: 'starting',
    states: {
      starting: { always: [{ guard: 'isStandby', target: 'standby' }, { target: 'serving' }] },
      serving: {
        on: {
          COMMIT: { guard: 'newCommit', actions: 'commit' },
          WRITTEN: { guard: 'writtenNow', actions: 'written' },
          REPL_ACK: { guard: 'replicatedNow', actions: 'replicated' },
          PEER_LOST: { guard: 'canGoAlone', actions: 'startMarking' },
          MARKED: { guard: 'marking', actions: 'goAlone' },
          RETRY: { guard: 'stalled', actions: 'retry' },
          FENCE: { guard: 'newerEpoch', target: 'fenced', actions: 'beFenced' },
          // Only a promoted standby is reached by these: a stale replication, a resent promotion.
          REPLICATE: [
            { guard: 'acceptedStale', actions: 'apply' },
            { guard: 'staleReplication', actions: 'refuse' },
          ],
          PROMOTE: { guard: 'sameEpoch', actions: 'confirmPromotion' },
          // A standby not yet promoted and a fenced primary serve no reads: the read waits for a replica that does.
          READ: { actions: 'answerRead' },
        },
      },
      standby: {
        on: {
          REPLICATE: { guard: 'accepted', actions: 'apply' },
          PROMOTE: { guard: 'newerEpoch', target: 'serving', actions: 'becomePrimary' },
        },
      },
      // Stopped by the agent, it only tells the agent again what it knows.
      fenced: { on: { FENCE: { guard: 'sameEpoch', actions: 'reportAgain' } } },
    },
  });
}
