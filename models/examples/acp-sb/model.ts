import { assign, setup } from 'xstate';
import { always, defineModel, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Sanz's atomic commitment protocol with simple broadcast, ACP_SB
 * (tlaplus/Examples, specifications/acp/ACP_SB.tla with ACP_SB_TLC.tla /
 * ACP_SB_TLC.cfg: participants = {p0, p1, p2}, no symmetry).
 *
 * The spec has no messages: the coordinator and the participants read one
 * another's record. Each record is the context of its process; a step that
 * reads another process is a timeout whose `when` does the reading (one
 * timeout per value it copies, as getVote copies a vote and decide a
 * broadcast); a step that reads only its own record is a request. The two
 * "die" steps set `alive` to FALSE and `faulty` to TRUE: plain steps of the
 * spec, not the engine's crashes (the record stays readable).
 *
 * Init lets each participant's vote be yes or no: each participant declares
 * both inputs, and the world explores the 8 initial states in one run.
 */

export type Vote = 'yes' | 'no';
type Decision = 'undecided' | 'commit' | 'abort';
type Broadcast = 'notsent' | 'commit' | 'abort';

export interface AcpConfig {
  /** How many participants: p0, p1, ... */
  participants: number;
}

/** participant[i].vote \in {yes, no}: both inputs, for the world to start from each. */
export const VOTES: readonly Vote[] = ['yes', 'no'];

export interface ParticipantContext {
  vote: Vote;
  alive: boolean;
  decision: Decision;
  faulty: boolean;
  voteSent: boolean;
}

export interface CoordinatorContext {
  request: Record<string, boolean>;
  vote: Record<string, 'waiting' | Vote>;
  broadcast: Record<string, Broadcast>;
  decision: Decision;
  alive: boolean;
  faulty: boolean;
}

export const COORDINATOR = 'coordinator';
const participantName = (i: number) => `p${i}`;
export const participantsOf = (w: WorldView) => w.processNames.filter((n) => n !== COORDINATOR);
export const par = (w: WorldView, p: string) => w.process(p).context as ParticipantContext;
export const coord = (w: WorldView) => w.process(COORDINATOR).context as CoordinatorContext;

type CoordEvent =
  | { type: 'REQUEST'; p: string }
  | { type: 'GET_VOTE'; p: string; vote: Vote }
  | { type: 'DETECT_FAULT'; p: string }
  | { type: 'MAKE_DECISION' }
  | { type: 'BROADCAST'; p: string }
  | { type: 'DIE' };

export function createCoordinator() {
  return setup({
    types: {} as { context: CoordinatorContext; events: CoordEvent; input: { participants: string[] } },
    guards: {
      // request(i)
      mayRequest: ({ context, event }) => context.alive && event.type === 'REQUEST' && !context.request[event.p],
      // getVote(i) and detectFault(i), the coordinator's own part
      collecting: ({ context, event }) =>
        context.alive && context.decision === 'undecided' && Object.values(context.request).every(Boolean) && 'p' in event && context.vote[event.p] === 'waiting',
      // makeDecision
      allVoted: ({ context }) => context.alive && context.decision === 'undecided' && Object.values(context.vote).every((v) => v !== 'waiting'),
      // coordBroadcast(i)
      mayBroadcast: ({ context, event }) => context.alive && context.decision !== 'undecided' && event.type === 'BROADCAST' && context.broadcast[event.p] === 'notsent',
      alive: ({ context }) => context.alive,
    },
  }).createMachine({
    id: 'acp-coordinator',
    context: ({ input }) => {
      const ps = input?.participants ?? [];
      const each = <T>(v: T) => Object.fromEntries(ps.map((p) => [p, v])) as Record<string, T>;
      return { request: each(false), vote: each<'waiting' | Vote>('waiting'), broadcast: each<Broadcast>('notsent'), decision: 'undecided', alive: true, faulty: false };
    },
    initial: 'running',
    states: {
      running: {
        on: {
          REQUEST: { guard: 'mayRequest', actions: assign({ request: ({ context, event }) => ({ ...context.request, [event.p]: true }) }) },
          GET_VOTE: { guard: 'collecting', actions: assign({ vote: ({ context, event }) => ({ ...context.vote, [event.p]: event.vote }) }) },
          DETECT_FAULT: { guard: 'collecting', actions: assign({ decision: 'abort' as Decision }) },
          MAKE_DECISION: {
            guard: 'allVoted',
            actions: assign({ decision: ({ context }) => (Object.values(context.vote).every((v) => v === 'yes') ? 'commit' : 'abort') as Decision }),
          },
          BROADCAST: { guard: 'mayBroadcast', actions: assign({ broadcast: ({ context, event }) => ({ ...context.broadcast, [event.p]: context.decision as Broadcast }) }) },
          DIE: { guard: 'alive', actions: assign({ alive: false, faulty: true }) },
        },
      },
    },
  });
}

type ParEvent = { type: 'SEND_VOTE' } | { type: 'ABORT_ON_VOTE' } | { type: 'ABORT_ON_TIMEOUT_REQUEST' } | { type: 'DECIDE'; decision: 'commit' | 'abort' } | { type: 'DIE' };

export function createParticipant() {
  return setup({
    types: {} as { context: ParticipantContext; events: ParEvent; input: { vote: Vote } },
    guards: {
      alive: ({ context }) => context.alive,
      aliveUndecided: ({ context }) => context.alive && context.decision === 'undecided',
      abortOnVote: ({ context }) => context.alive && context.decision === 'undecided' && context.voteSent && context.vote === 'no',
    },
  }).createMachine({
    id: 'acp-participant',
    context: ({ input }) => ({ vote: input?.vote ?? 'yes', alive: true, decision: 'undecided', faulty: false, voteSent: false }),
    initial: 'running',
    states: {
      running: {
        on: {
          // sendVote(i): may repeat; a repeat changes nothing.
          SEND_VOTE: { guard: 'alive', actions: assign({ voteSent: true }) },
          ABORT_ON_VOTE: { guard: 'abortOnVote', actions: assign({ decision: 'abort' as Decision }) },
          ABORT_ON_TIMEOUT_REQUEST: { guard: 'aliveUndecided', actions: assign({ decision: 'abort' as Decision }) },
          DECIDE: { guard: 'aliveUndecided', actions: assign({ decision: ({ event }) => event.decision }) },
          DIE: { guard: 'alive', actions: assign({ alive: false, faulty: true }) },
        },
      },
    },
  });
}

/** The coordinator's process: its own steps are requests, the steps that read a participant are timeouts. */
export function coordinatorProcess(participants: string[]): WorldSpec['processes'][string] {
  return {
    machine: createCoordinator(),
    input: { participants },
    role: 'authority',
    requests: [...participants.map((p) => ({ type: 'REQUEST', p })), { type: 'MAKE_DECISION' }, ...participants.map((p) => ({ type: 'BROADCAST', p })), { type: 'DIE' }],
    timeouts: participants.flatMap((p) => [
      // getVote(i): participant[i].voteSent, and the vote copied is participant[i].vote.
      ...(['yes', 'no'] as const).map((vote) => ({ event: { type: 'GET_VOTE', p, vote }, when: (w: WorldView) => par(w, p).voteSent && par(w, p).vote === vote })),
      // detectFault(i): ~participant[i].alive /\ ~participant[i].voteSent
      { event: { type: 'DETECT_FAULT', p }, when: (w: WorldView) => !par(w, p).alive && !par(w, p).voteSent },
    ]),
  };
}

export const participantNames = (n: number) => Array.from({ length: n }, (_, i) => participantName(i));

export function buildAcpWorld(config: AcpConfig): WorldSpec {
  const participants = participantNames(config.participants);
  const participant = createParticipant();
  const processes: WorldSpec['processes'] = { [COORDINATOR]: coordinatorProcess(participants) };
  participants.forEach((p) => {
    processes[p] = {
      machine: participant,
      inputs: VOTES.map((vote) => ({ vote })),
      role: 'server',
      requests: [{ type: 'ABORT_ON_VOTE' }, { type: 'DIE' }],
      timeouts: [
        { event: { type: 'SEND_VOTE' }, when: (w) => coord(w).request[p]! },
        { event: { type: 'ABORT_ON_TIMEOUT_REQUEST' }, when: (w) => !coord(w).alive && !coord(w).request[p] },
        ...(['commit', 'abort'] as const).map((decision) => ({ event: { type: 'DECIDE', decision }, when: (w: WorldView) => coord(w).broadcast[p] === decision })),
      ],
    };
  });
  return { processes, network: 'bag', delivery: 'error', budgets: {} };
}

export const ac1 = always({
  name: 'ac1',
  statement: 'AC1: no participant decides commit while another decides abort.',
  check(w) {
    const ps = participantsOf(w);
    const c = ps.find((p) => par(w, p).decision === 'commit');
    const a = ps.find((p) => par(w, p).decision === 'abort');
    return c && a ? { message: `${c} committed while ${a} aborted`, processes: [c, a] } : undefined;
  },
});

export const ac2 = always({
  name: 'ac2',
  statement: 'AC2: a participant decides commit only if every participant voted yes.',
  check(w) {
    const ps = participantsOf(w);
    const c = ps.find((p) => par(w, p).decision === 'commit');
    const no = ps.find((p) => par(w, p).vote === 'no');
    return c && no ? { message: `${c} committed though ${no} voted no`, processes: [c, no] } : undefined;
  },
});

export const ac3_1 = always({
  name: 'ac3-1',
  statement: 'AC3_1: a participant decides abort only if some participant voted no, or some participant or the coordinator is faulty.',
  check(w) {
    const ps = participantsOf(w);
    const a = ps.find((p) => par(w, p).decision === 'abort');
    if (!a) return undefined;
    const excused = ps.some((p) => par(w, p).vote === 'no' || par(w, p).faulty) || coord(w).faulty;
    return excused ? undefined : { message: `${a} aborted with every vote yes and nobody faulty`, processes: [a] };
  },
});

export const acpSb = defineModel<AcpConfig>({
  name: 'acp-sb',
  summary: 'ACP_SB from the TLA+ examples: atomic commitment with a coordinator that may die, participants that may die, simple broadcast.',
  configs: { 'acp-sb-tlc': { participants: 3 } },
  variants: { spec: { summary: 'ACP_SB.tla as published, with ACP_SB_TLC.cfg (three participants) and its 8 initial states.', expect: { ac1: 'holds', ac2: 'holds', 'ac3-1': 'holds' } } },
  properties: [ac1, ac2, ac3_1],
  build: (_variant, config) => buildAcpWorld(config),
});
