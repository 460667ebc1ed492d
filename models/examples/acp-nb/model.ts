import { assign, setup } from 'xstate';
import { defineModel, type WorldSpec, type WorldView } from '../../../src/index.js';
import { ac1, ac2, ac3_1, COORDINATOR, coord, coordinatorProcess, par, participantNames, participantsOf, VOTES, type AcpConfig, type ParticipantContext, type Vote } from '../acp-sb/model.js';

/*
 * ACP_NB, the non-blocking variant (tlaplus/Examples, specifications/acp/ACP_NB.tla
 * with ACP_NB_TLC.tla / ACP_NB_TLC.cfg: participants = {p0, p1}). The
 * coordinator is ACP_SB's (../acp-sb/model.ts). A participant no longer decides
 * on the coordinator's broadcast directly: it pre-decides on it (or on what
 * another participant forwarded to it), forwards its pre-decision to every other
 * participant, and decides once it has a value from everyone; and it aborts on
 * a timeout when nobody alive can still learn a decision.
 *
 *   participant[i].forward[j]    context `forward[j]` of `p_i`
 *   forward(i, j)                request FORWARD {to: j}
 *   preDecideOnForward(i, j)     timeout PRE_DECIDE_ON_FORWARD {from: j, value}, `when` participant[j].forward[i] = value
 *   preDecide(i)                 timeout PRE_DECIDE {value}, `when` coordinator.broadcast[i] = value
 *   decideNB(i)                  request DECIDE_NB
 *   abortOnTimeout(i)            timeout ABORT_ON_TIMEOUT, `when` its conditions on the coordinator and the others hold
 */

type Forward = 'notsent' | 'commit' | 'abort';
export interface NbParticipantContext extends ParticipantContext {
  id: string;
  forward: Record<string, Forward>;
}

type NbEvent =
  | { type: 'SEND_VOTE' }
  | { type: 'ABORT_ON_VOTE' }
  | { type: 'ABORT_ON_TIMEOUT_REQUEST' }
  | { type: 'FORWARD'; to: string }
  | { type: 'PRE_DECIDE_ON_FORWARD'; from: string; value: 'commit' | 'abort' }
  | { type: 'PRE_DECIDE'; value: 'commit' | 'abort' }
  | { type: 'DECIDE_NB' }
  | { type: 'ABORT_ON_TIMEOUT' }
  | { type: 'DIE' };

export function createNbParticipant() {
  return setup({
    types: {} as { context: NbParticipantContext; events: NbEvent; input: { id: string; vote: Vote; participants: string[] } },
    guards: {
      alive: ({ context }) => context.alive,
      aliveUndecided: ({ context }) => context.alive && context.decision === 'undecided',
      abortOnVote: ({ context }) => context.alive && context.decision === 'undecided' && context.voteSent && context.vote === 'no',
      // forward(i, j): i # j, own pre-decision made, not yet forwarded to j
      mayForward: ({ context, event }) =>
        event.type === 'FORWARD' && context.alive && event.to !== context.id && context.forward[context.id] !== 'notsent' && context.forward[event.to] === 'notsent',
      // preDecide(i), preDecideOnForward(i, j), own part: no pre-decision yet (i # j for the latter)
      undecidedForward: ({ context, event }) =>
        context.alive && context.forward[context.id] === 'notsent' && (event.type !== 'PRE_DECIDE_ON_FORWARD' || event.from !== context.id),
      // decideNB(i): a value from everyone
      heardAll: ({ context }) => context.alive && Object.values(context.forward).every((f) => f !== 'notsent'),
    },
  }).createMachine({
    id: 'acp-nb-participant',
    context: ({ input }) => ({
      id: input?.id ?? '',
      vote: input?.vote ?? 'yes',
      alive: true,
      decision: 'undecided',
      faulty: false,
      voteSent: false,
      forward: Object.fromEntries((input?.participants ?? []).map((p) => [p, 'notsent' as Forward])),
    }),
    initial: 'running',
    states: {
      running: {
        on: {
          SEND_VOTE: { guard: 'alive', actions: assign({ voteSent: true }) },
          ABORT_ON_VOTE: { guard: 'abortOnVote', actions: assign({ decision: 'abort' as const }) },
          ABORT_ON_TIMEOUT_REQUEST: { guard: 'aliveUndecided', actions: assign({ decision: 'abort' as const }) },
          FORWARD: { guard: 'mayForward', actions: assign({ forward: ({ context, event }) => ({ ...context.forward, [event.to]: context.forward[context.id]! }) }) },
          PRE_DECIDE_ON_FORWARD: { guard: 'undecidedForward', actions: assign({ forward: ({ context, event }) => ({ ...context.forward, [context.id]: event.value }) }) },
          PRE_DECIDE: { guard: 'undecidedForward', actions: assign({ forward: ({ context, event }) => ({ ...context.forward, [context.id]: event.value }) }) },
          // decideNB has no "undecided" condition: a repeat changes nothing.
          DECIDE_NB: { guard: 'heardAll', actions: assign({ decision: ({ context }) => context.forward[context.id] as 'commit' | 'abort' }) },
          ABORT_ON_TIMEOUT: { guard: 'aliveUndecided', actions: assign({ decision: 'abort' as const }) },
          DIE: { guard: 'alive', actions: assign({ alive: false, faulty: true }) },
        },
      },
    },
  });
}

const nb = (w: WorldView, p: string) => par(w, p) as NbParticipantContext;

export function buildAcpNbWorld(config: AcpConfig): WorldSpec {
  const participants = participantNames(config.participants);
  const participant = createNbParticipant();
  const processes: WorldSpec['processes'] = { [COORDINATOR]: coordinatorProcess(participants) };
  const values = ['commit', 'abort'] as const;
  participants.forEach((p) => {
    processes[p] = {
      machine: participant,
      inputs: VOTES.map((vote) => ({ id: p, vote, participants })),
      role: 'server',
      requests: [{ type: 'ABORT_ON_VOTE' }, { type: 'DIE' }, { type: 'DECIDE_NB' }, ...participants.filter((q) => q !== p).map((to) => ({ type: 'FORWARD', to }))],
      timeouts: [
        { event: { type: 'SEND_VOTE' }, when: (w) => coord(w).request[p]! },
        { event: { type: 'ABORT_ON_TIMEOUT_REQUEST' }, when: (w) => !coord(w).alive && !coord(w).request[p] },
        ...values.map((value) => ({ event: { type: 'PRE_DECIDE', value }, when: (w: WorldView) => coord(w).broadcast[p] === value })),
        ...participants
          .filter((q) => q !== p)
          .flatMap((from) => values.map((value) => ({ event: { type: 'PRE_DECIDE_ON_FORWARD', from, value }, when: (w: WorldView) => nb(w, from).forward[p] === value }))),
        {
          event: { type: 'ABORT_ON_TIMEOUT' },
          when: (w) => {
            const ps = participantsOf(w);
            return (
              !coord(w).alive &&
              ps.every((j) => !nb(w, j).alive || coord(w).broadcast[j] === 'notsent') &&
              ps.every((j) => nb(w, j).alive || ps.every((k) => !nb(w, k).alive || nb(w, j).forward[k] === 'notsent'))
            );
          },
        },
      ],
    };
  });
  return { processes, network: 'bag', delivery: 'error', budgets: {} };
}

export const acpNb = defineModel<AcpConfig>({
  name: 'acp-nb',
  summary: 'ACP_NB from the TLA+ examples: atomic commitment where participants forward the decision to one another, so that it survives the coordinator.',
  configs: { 'acp-nb-tlc': { participants: 2 } },
  variants: { spec: { summary: 'ACP_NB.tla as published, with ACP_NB_TLC.cfg (two participants) and its 4 initial states.', expect: { ac1: 'holds', ac2: 'holds', 'ac3-1': 'holds' } } },
  properties: [ac1, ac2, ac3_1],
  build: (_variant, config) => buildAcpNbWorld(config),
});
