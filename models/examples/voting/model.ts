import { assign, setup } from 'xstate';
import { always, defineModel, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Lamport's Voting (tlaplus/Examples, specifications/PaxosHowToWinATuringAward/Voting.tla,
 * configuration MCVoting.cfg): the abstract algorithm that Paxos refines.
 * Acceptors vote in ballots; there are no messages, and a vote is allowed by a
 * condition on the other acceptors' votes.
 *
 *   votes[a], maxBal[a]     context of acceptor `a` (votes kept sorted: a set of <<b, v>>)
 *   IncreaseMaxBal(a, b)    request INCREASE_MAX_BAL {bal: b}, taken when b > maxBal[a]
 *   VoteFor(a, b, v)        timeout VOTE_FOR {bal: b, val: v}: the machine takes it when
 *                           maxBal[a] =< b and a has not voted in b; its `when` holds the
 *                           conditions on the other acceptors (their votes in b are for v,
 *                           and some quorum ShowsSafeAt(Q, b, v))
 */

export interface VotingConfig {
  acceptors: string[];
  values: string[];
  quorums: string[][];
  /** Ballot = 0..maxBallot. */
  maxBallot: number;
}

export type Vote = [number, string];
export interface VotingContext {
  votes: Vote[];
  maxBal: number;
}

export function createAcceptor() {
  return setup({
    types: {} as { context: VotingContext; events: { type: 'INCREASE_MAX_BAL'; bal: number } | { type: 'VOTE_FOR'; bal: number; val: string } },
    guards: {
      higher: ({ context, event }) => event.type === 'INCREASE_MAX_BAL' && event.bal > context.maxBal,
      mayVote: ({ context, event }) => context.maxBal <= event.bal && context.votes.every(([b]) => b !== event.bal),
    },
  }).createMachine({
    id: 'voting-acceptor',
    context: { votes: [], maxBal: -1 },
    initial: 'voting',
    states: {
      voting: {
        on: {
          INCREASE_MAX_BAL: { guard: 'higher', actions: assign({ maxBal: ({ event }) => event.bal }) },
          VOTE_FOR: {
            guard: 'mayVote',
            actions: assign({
              votes: ({ context, event }) => [...context.votes, [event.bal, event.val] as Vote].sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1])),
              maxBal: ({ event }) => event.bal,
            }),
          },
        },
      },
    },
  });
}

const ctx = (w: WorldView, a: string) => w.process(a).context as VotingContext;
const votedFor = (w: WorldView, a: string, b: number, v: string) => ctx(w, a).votes.some(([vb, vv]) => vb === b && vv === v);
const didNotVoteAt = (w: WorldView, a: string, b: number) => ctx(w, a).votes.every(([vb]) => vb !== b);

/** ShowsSafeAt(Q, b, v) of Voting.tla. */
function showsSafeAt(w: WorldView, q: string[], b: number, v: string): boolean {
  if (!q.every((a) => ctx(w, a).maxBal >= b)) return false;
  for (let c = -1; c <= b - 1; c++) {
    const voted = c === -1 || q.some((a) => votedFor(w, a, c, v));
    let silent = true;
    for (let d = c + 1; d <= b - 1; d++) if (!q.every((a) => didNotVoteAt(w, a, d))) silent = false;
    if (voted && silent) return true;
  }
  return false;
}

export function buildVotingWorld(config: VotingConfig): WorldSpec {
  const machine = createAcceptor();
  const ballots = Array.from({ length: config.maxBallot + 1 }, (_, b) => b);
  const processes: WorldSpec['processes'] = {};
  for (const a of config.acceptors) {
    processes[a] = {
      machine,
      role: 'server',
      requests: ballots.map((b) => ({ type: 'INCREASE_MAX_BAL', bal: b })),
      timeouts: ballots.flatMap((b) =>
        config.values.map((v) => ({
          event: { type: 'VOTE_FOR', bal: b, val: v },
          when: (w: WorldView) =>
            config.acceptors.every((c) => c === a || ctx(w, c).votes.every(([vb, vv]) => vb !== b || vv === v)) &&
            config.quorums.some((q) => showsSafeAt(w, q, b, v)),
        })),
      ),
    };
  }
  return { processes, network: 'bag', delivery: 'error', budgets: {} };
}

/** MCVoting.cfg of PaxosHowToWinATuringAward: three acceptors, two values, majority quorums, ballots 0..2. */
export const mcVoting: VotingConfig = {
  acceptors: ['a1', 'a2', 'a3'],
  values: ['v1', 'v2'],
  quorums: [
    ['a1', 'a2'],
    ['a1', 'a3'],
    ['a2', 'a3'],
  ],
  maxBallot: 2,
};

export function votingInvariant(config: VotingConfig) {
  return always({
    name: 'one-value-per-ballot',
    statement: 'OneValuePerBallot (a conjunct of Inv): no two acceptors vote for different values in the same ballot.',
    check(w) {
      for (const a1 of config.acceptors)
        for (const a2 of config.acceptors)
          for (const [b, v1] of ctx(w, a1).votes)
            for (const [b2, v2] of ctx(w, a2).votes)
              if (b === b2 && v1 !== v2) return { message: `${a1} voted ${v1} and ${a2} voted ${v2} in ballot ${b}`, processes: [a1, a2] };
      return undefined;
    },
  });
}

export function consistency(config: VotingConfig) {
  return always({
    name: 'consistency',
    statement: 'Consistency (of Consensus, which Voting implements): at most one value is chosen.',
    check(w) {
      const chosen = config.values.filter((v) =>
        Array.from({ length: config.maxBallot + 1 }, (_, b) => b).some((b) => config.quorums.some((q) => q.every((a) => votedFor(w, a, b, v)))),
      );
      return chosen.length > 1 ? { message: `${chosen.join(' and ')} are both chosen`, processes: config.acceptors } : undefined;
    },
  });
}

export const voting = defineModel<VotingConfig>({
  name: 'voting',
  summary: 'Voting from the TLA+ examples: the abstract ballot-and-vote algorithm that Paxos implements.',
  configs: { 'mc-voting': mcVoting },
  variants: { spec: { summary: 'Voting.tla as published, with MCVoting.cfg of PaxosHowToWinATuringAward.', expect: { 'one-value-per-ballot': 'holds', consistency: 'holds' } } },
  properties: [votingInvariant(mcVoting), consistency(mcVoting)],
  build: (_variant, config) => buildVotingWorld(config),
});
