import { enqueueActions, setup } from 'xstate';
import { AGENT, CLIENT, type Emitted, type FailoverVariant } from './messages.js';

/**
 * One RDS database replica. The primary writes each commit to its EBS volume
 * and, synchronously, to the standby in the other Availability Zone; it
 * acknowledges the commit once both hold it. The standby applies what the
 * primary replicates and waits to be promoted by the monitoring agent.
 *
 * `mode` says what the primary waits for before acknowledging:
 * - `sync`: its volume and the standby;
 * - `outdating-peer`: it lost the standby and is writing "peer out of date" to
 *   its volume's metadata; nothing is acknowledged until that is on disk;
 * - `alone`: its volume only (buggy and naive-failover designs: availability over redundancy);
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
  /** The EBS volume holding this replica's data, or null when its storage is not modelled (the standby's own volume, always healthy). */
  volume: string | null;
  /** While primary in `sync`: the standby every commit must reach. */
  peer: string | null;
  /** While standby: the primary whose replication it applies. */
  follows: string | null;
  mode: Mode;
  /** Commits held on unmodelled local storage (the standby's, and the promoted standby's). */
  log: number[];
  pending: Pending | null;
  /** Came back from a crash of its zone: it may have missed commits and must not serve. */
  restarted: boolean;
}

export interface DatabaseInput {
  id: string;
  role: 'primary' | 'standby';
  volume: string | null;
  /** The other replica. */
  peer: string;
  /** Present after a crash: the replica comes back out of service. */
  durable?: unknown;
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
  | { type: 'RETRY' };

interface Step {
  context: DatabaseContext;
  sends: Emitted[];
}

const send = (to: string, msg: Emitted['msg']): Emitted => ({ type: 'send', to, msg });

/** Acknowledges the pending commit once everything its mode waits for holds it. */
function acknowledgeIfDone(step: Step): Step {
  const { context } = step;
  const p = context.pending;
  if (!p || !p.written) return step;
  const standbyDone = p.replicated || context.mode === 'alone' || context.mode === 'solo';
  if (!standbyDone) return step;
  return { context: { ...context, pending: null }, sends: [...step.sends, send(CLIENT, { type: 'ACK', id: p.id, from: context.id })] };
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

/** Sends again whatever the primary is still waiting for: a message sent to a stuck volume or across a cut is lost. */
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

/** Applies a pure step: assigns its context and emits its sends. */
function run(enqueue: { assign(c: DatabaseContext): void; emit(e: Emitted): void }, step: Step): void {
  enqueue.assign(step.context);
  for (const s of step.sends) enqueue.emit(s);
}

export function createDatabaseMachine(variant: FailoverVariant) {
  // Buggy and naive-failover: a primary that loses its standby goes on alone after marking it out of date.
  // Fixed: it never does; commits block until the standby answers or the agent fails over.
  const goesAloneOnPeerLoss = variant !== 'fixed';
  return setup({
    types: {} as { context: DatabaseContext; events: DatabaseEvent; input: DatabaseInput; emitted: Emitted },
    actions: {
      commit: enqueueActions(({ context, event, enqueue }) => run(enqueue, startCommit(context, (event as { id: number }).id))),
      written: enqueueActions(({ context, enqueue }) => run(enqueue, acknowledgeIfDone({ context: { ...context, pending: { ...context.pending!, written: true } }, sends: [] }))),
      replicated: enqueueActions(({ context, enqueue }) =>
        run(enqueue, acknowledgeIfDone({ context: { ...context, pending: { ...context.pending!, replicated: true } }, sends: [] })),
      ),
      startMarking: enqueueActions(({ context, enqueue }) =>
        run(enqueue, { context: { ...context, mode: 'outdating-peer' }, sends: [send(context.volume!, { type: 'MARK_PEER_OUTDATED', from: context.id })] }),
      ),
      // The marker is on disk: from now on commits are acknowledged without the standby.
      goAlone: enqueueActions(({ context, enqueue }) => run(enqueue, acknowledgeIfDone({ context: { ...context, mode: 'alone', peer: null }, sends: [] }))),
      // Once fenced the replica's record can no longer change, so it reports it with the confirmation.
      confirmFence: enqueueActions(({ context, enqueue }) =>
        run(enqueue, { context, sends: [send(AGENT, { type: 'FENCED', standbyOutdated: context.mode !== 'sync', from: context.id })] }),
      ),
      retry: enqueueActions(({ context, enqueue }) => run(enqueue, retry(context))),
      apply: enqueueActions(({ context, event, enqueue }) => {
        const { id, epoch } = event as { id: number; epoch: number };
        run(enqueue, { context: { ...context, log: context.log.includes(id) ? context.log : [...context.log, id] }, sends: [send(context.follows!, { type: 'REPL_ACK', id, epoch, from: context.id })] });
      }),
      becomePrimary: enqueueActions(({ context, event, enqueue }) =>
        run(enqueue, { context: { ...context, epoch: (event as { epoch: number }).epoch, follows: null, peer: null, mode: 'solo' }, sends: [] }),
      ),
    },
    guards: {
      restarted: ({ context }) => context.restarted,
      isPrimary: ({ context }) => context.follows === null,
      idle: ({ context }) => context.pending === null,
      writtenNow: ({ context, event }) => event.type === 'WRITTEN' && context.pending?.id === event.id && !context.pending.written,
      replicatedNow: ({ context, event }) =>
        event.type === 'REPL_ACK' && event.epoch === context.epoch && context.pending?.id === event.id && !context.pending.replicated,
      canGoAlone: ({ context }) => goesAloneOnPeerLoss && context.mode === 'sync' && context.peer !== null,
      marking: ({ context }) => context.mode === 'outdating-peer',
      stalled: ({ context }) => {
        const p = context.pending;
        return context.mode === 'outdating-peer' || (p !== null && (!p.written || (!p.replicated && context.mode === 'sync')));
      },
      fromMyPrimary: ({ context, event }) => event.type === 'REPLICATE' && event.epoch === context.epoch && event.from === context.follows,
      newerEpoch: ({ context, event }) => (event.type === 'PROMOTE' || event.type === 'FENCE') && event.epoch > context.epoch,
    },
  }).createMachine({
    id: 'database',
    context: ({ input }) => ({
      id: input.id,
      epoch: 1,
      volume: input.volume,
      peer: input.role === 'primary' ? input.peer : null,
      follows: input.role === 'standby' ? input.peer : null,
      mode: 'sync',
      log: [],
      pending: null,
      restarted: input.durable !== undefined,
    }),
    initial: 'starting',
    states: {
      starting: {
        always: [{ guard: 'restarted', target: 'recovering' }, { guard: 'isPrimary', target: 'serving' }, { target: 'standby' }],
      },
      serving: {
        on: {
          COMMIT: { guard: 'idle', actions: 'commit' },
          WRITTEN: { guard: 'writtenNow', actions: 'written' },
          REPL_ACK: { guard: 'replicatedNow', actions: 'replicated' },
          PEER_LOST: { guard: 'canGoAlone', actions: 'startMarking' },
          MARKED: { guard: 'marking', actions: 'goAlone' },
          FENCE: { guard: 'newerEpoch', target: 'fenced', actions: 'confirmFence' },
          RETRY: { guard: 'stalled', actions: 'retry' },
        },
      },
      standby: {
        on: {
          REPLICATE: { guard: 'fromMyPrimary', actions: 'apply' },
          PROMOTE: { guard: 'newerEpoch', target: 'serving', actions: 'becomePrimary' },
        },
      },
      // Stopped by the agent before it promoted the standby.
      fenced: {},
      // Back from a crash of its Availability Zone: out of service until a person rebuilds it.
      recovering: {},
    },
  });
}
