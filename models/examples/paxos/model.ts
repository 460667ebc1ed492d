import { assign, emit, setup } from 'xstate';
import { always, defineModel, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Lamport's Paxos consensus (tlaplus/Examples, specifications/Paxos/Paxos.tla;
 * the same actions as specifications/PaxosHowToWinATuringAward/Paxos.tla).
 *
 *   maxBal[a], maxVBal[a], maxVal[a]   context of acceptor `a` (-1, -1, null initially; None is null)
 *   msgs                               the persistent network: every message sent stays and may be received again
 *   Phase1a(b)                         request PHASE1A to the process of ballot b (`b0`, `b1`, ...):
 *                                      it sends 1A {bal: b} to every acceptor
 *   Phase1b(a)                         acceptor a receives a 1A with bal > maxBal[a] and sends 1B to ballot bal's process
 *   Phase2a(b, v)                      timeout PHASE2A {val: v} of ballot b's process, `when` the 1B messages
 *                                      in msgs for b satisfy the spec's quorum condition; sends 2A to every acceptor
 *   Phase2b(a)                         acceptor a receives a 2A with bal >= maxBal[a] and sends 2B
 *
 * Nobody receives a 2b message in the spec (votes and chosen are read off msgs);
 * the engine needs a receiver for every message, so they go to `learner`, a
 * process that takes nothing: they stay in flight, as in msgs.
 *
 * Phase2a is not the reception of a message: it is a condition over the set of
 * messages sent, which is what a timeout's `when` can read. The ballot's
 * process never takes the 1B messages (keeping which ones it has seen would be
 * state the spec does not have).
 */

export interface PaxosConfig {
  acceptors: string[];
  values: string[];
  quorums: string[][];
  /** Ballot = 0..maxBallot. */
  maxBallot: number;
}

type OneA = { type: '1A'; from: string; bal: number };
type OneB = { type: '1B'; from: string; bal: number; mbal: number; mval: string | null };
type TwoA = { type: '2A'; from: string; bal: number; val: string };
type TwoB = { type: '2B'; from: string; bal: number; val: string };
type Send = { type: 'send'; to: string | string[]; msg: OneA | OneB | TwoA | TwoB };

export interface AcceptorContext {
  id: string;
  maxBal: number;
  maxVBal: number;
  maxVal: string | null;
}

export const ballotProcess = (b: number) => `b${b}`;
export const LEARNER = 'learner';

export function createAcceptor() {
  return setup({
    types: {} as { context: AcceptorContext; events: OneA | TwoA; input: { id: string }; emitted: Send },
    guards: {
      newerBallot: ({ context, event }) => event.bal > context.maxBal,
      notOlderBallot: ({ context, event }) => event.bal >= context.maxBal,
    },
  }).createMachine({
    id: 'paxos-acceptor',
    context: ({ input }) => ({ id: input?.id ?? '', maxBal: -1, maxVBal: -1, maxVal: null }),
    initial: 'accepting',
    states: {
      accepting: {
        on: {
          // Phase1b(a)
          '1A': {
            guard: 'newerBallot',
            actions: [
              emit(({ context, event }) => ({
                type: 'send' as const,
                to: ballotProcess(event.bal),
                msg: { type: '1B' as const, from: context.id, bal: event.bal, mbal: context.maxVBal, mval: context.maxVal },
              })),
              assign({ maxBal: ({ event }) => event.bal }),
            ],
          },
          // Phase2b(a)
          '2A': {
            guard: 'notOlderBallot',
            actions: [
              assign({ maxBal: ({ event }) => event.bal, maxVBal: ({ event }) => event.bal, maxVal: ({ event }) => event.val }),
              emit(({ context, event }) => ({ type: 'send' as const, to: LEARNER, msg: { type: '2B' as const, from: context.id, bal: event.bal, val: event.val } })),
            ],
          },
        },
      },
    },
  });
}

/** The process of one ballot: it starts the ballot (Phase1a) and proposes at most one value in it (Phase2a). */
export function createBallot() {
  return setup({
    types: {} as {
      context: { id: string; bal: number; acceptors: string[] };
      events: { type: 'PHASE1A' } | { type: 'PHASE2A'; val: string };
      input: { id: string; bal: number; acceptors: string[] };
      emitted: Send;
    },
  }).createMachine({
    id: 'paxos-ballot',
    context: ({ input }) => ({ id: input?.id ?? '', bal: input?.bal ?? 0, acceptors: input?.acceptors ?? [] }),
    initial: 'idle',
    states: {
      // Whether 1a (2a) for this ballot is in msgs: a function of msgs, so no state the spec lacks.
      idle: {
        on: {
          PHASE1A: {
            target: 'started',
            actions: emit(({ context }) => ({ type: 'send' as const, to: context.acceptors, msg: { type: '1A' as const, from: context.id, bal: context.bal } })),
          },
        },
      },
      started: {
        on: {
          // A second Phase1a(b) adds nothing to msgs: a stuttering step, left out.
          PHASE2A: {
            target: 'proposed',
            actions: emit(({ context, event }) => ({ type: 'send' as const, to: context.acceptors, msg: { type: '2A' as const, from: context.id, bal: context.bal, val: event.val } })),
          },
        },
      },
      proposed: {},
    },
  });
}

/** The learner takes nothing: 2b messages stay in the network, which is msgs. */
export function createLearner() {
  return setup({ types: {} as { events: TwoB } }).createMachine({ id: 'paxos-learner', initial: 'listening', states: { listening: {} } });
}

const sent = (w: WorldView) => w.messages().map((m) => m.msg);

/**
 * The enabling condition of Phase2a(b, v), minus "no 2a for b yet" (the ballot
 * process's state says that): some quorum Q has all sent 1b for b, and v is
 * free (no one in Q voted) or is the value of the highest vote among Q.
 */
export function phase2aEnabled(w: WorldView, config: PaxosConfig, bal: number, v: string): boolean {
  const oneB = sent(w).filter((m) => m.type === '1B' && m.bal === bal) as OneB[];
  return config.quorums.some((q) => {
    const q1b = oneB.filter((m) => q.includes(m.from));
    if (!q.every((a) => q1b.some((m) => m.from === a))) return false;
    const q1bv = q1b.filter((m) => m.mbal >= 0);
    return q1bv.length === 0 || q1bv.some((m) => m.mval === v && q1bv.every((mm) => m.mbal >= mm.mbal));
  });
}

export function buildPaxosWorld(config: PaxosConfig): WorldSpec {
  const acceptor = createAcceptor();
  const ballot = createBallot();
  const processes: WorldSpec['processes'] = {};
  for (let b = 0; b <= config.maxBallot; b++) {
    const id = ballotProcess(b);
    processes[id] = {
      machine: ballot,
      input: { id, bal: b, acceptors: config.acceptors },
      role: 'client',
      requests: [{ type: 'PHASE1A' }],
      timeouts: config.values.map((v) => ({ event: { type: 'PHASE2A', val: v }, when: (w: WorldView) => phase2aEnabled(w, config, b, v) })),
    };
  }
  for (const a of config.acceptors) processes[a] = { machine: acceptor, input: { id: a }, role: 'server' };
  processes[LEARNER] = { machine: createLearner(), role: 'authority' };
  return {
    processes,
    network: 'persistent',
    delivery: 'wait',
    budgets: {},
  };
}

/** MCPaxos.cfg of specifications/Paxos: one acceptor, one value, ballots 0..1. */
export const mcPaxos: PaxosConfig = { acceptors: ['a1'], values: ['v1'], quorums: [['a1']], maxBallot: 1 };
/** MCPaxosTiny.cfg of specifications/PaxosHowToWinATuringAward: three acceptors, two values, majority quorums, ballots 0..1. */
export const mcPaxosTiny: PaxosConfig = {
  acceptors: ['a1', 'a2', 'a3'],
  values: ['v1', 'v2'],
  quorums: [
    ['a1', 'a2'],
    ['a1', 'a3'],
    ['a2', 'a3'],
  ],
  maxBallot: 1,
};

const acceptorsOf = (w: WorldView) => w.processNames.filter((n) => /^a\d+$/.test(n));

/**
 * chosen: the values some quorum has voted for in one ballot (V!chosen under
 * the spec's refinement mapping, votes read off the 2b messages). Both
 * configurations use majority quorums.
 */
export function chosen(w: WorldView): string[] {
  const acceptors = acceptorsOf(w);
  const votes = sent(w).filter((m) => m.type === '2B') as TwoB[];
  const out = new Set<string>();
  for (const { bal, val } of votes) {
    const voters = acceptors.filter((a) => votes.some((m) => m.from === a && m.bal === bal && m.val === val));
    if (voters.length * 2 > acceptors.length) out.add(val);
  }
  return [...out].sort();
}

export const consistency = always({
  name: 'consistency',
  statement: 'Consistency (of the Voting spec that Paxos refines): at most one value is chosen.',
  check(w) {
    const values = chosen(w);
    return values.length > 1 ? { message: `both ${values.join(' and ')} are chosen`, processes: [LEARNER] } : undefined;
  },
});

export const paxos = defineModel<PaxosConfig>({
  name: 'paxos',
  summary: 'Paxos consensus from the TLA+ examples: ballots, acceptors and a message set that keeps every message sent.',
  configs: { 'mc-paxos': mcPaxos, 'mc-paxos-tiny': mcPaxosTiny },
  variants: { spec: { summary: 'Paxos.tla as published.', expect: { consistency: 'holds' } } },
  properties: [consistency],
  build: (_variant, config) => buildPaxosWorld(config),
});
