import { and, assign, emit, setup } from 'xstate';
import { always, defineModel, send, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Raynal's non-blocking atomic commitment with crashes and a failure detector,
 * as Konnov, Tran and Widder encode it (tlaplus/Examples,
 * specifications/nbacc_ray97/nbacc_ray97.tla with nbacc_ray97.cfg: N = 2).
 *
 *   Proc = 1..N               processes p1..pN
 *   pc[i]                     context `pc`: YES, NO, SENT, ABORT, COMMIT, CRASH
 *   rcvd[i]                   context `rcvd`: the messages i has received, as "p1:YES", sorted
 *   fd[i]                     context `fd`: whether i's failure detector suspects a crash
 *   sent                      the persistent network: the votes sent, each once, to every process
 *   Step(self)                internal steps of `self`, one per choice the step makes:
 *                               r (Receive's new rcvd[self], any set of messages with
 *                                 rcvd[self] \subseteq r \subseteq sent; `when` checks r \subseteq sent),
 *                               fd'[self] (UpdateFailureDetector: FALSE or TRUE),
 *                               and the action: UponYes, UponNo, UponCrash, each disjunct of
 *                               UponSent, or the step that leaves pc and sent alone
 *
 * Step is open to every process, a crashed one too, as in the spec (Next == \E self \in Proc).
 * Init has 16 states (pc \in [Proc -> {YES, NO}], fd \in [Proc -> BOOLEAN]): each
 * process declares its four inputs, and the world explores every combination in one run.
 */

export interface NbaccConfig {
  /** N: the processes are p1..pN. */
  n: number;
}

type Pc = 'YES' | 'NO' | 'SENT' | 'ABORT' | 'COMMIT' | 'CRASH';
/** The disjunct of Step's third conjunct a step takes. */
export type Action = 'UPON_YES' | 'UPON_NO' | 'UPON_CRASH' | 'UPON_SENT_SUSPECT' | 'UPON_SENT_NO' | 'UPON_SENT_COMMIT' | 'UNCHANGED_PC';
export const ACTIONS: readonly Action[] = ['UPON_YES', 'UPON_NO', 'UPON_CRASH', 'UPON_SENT_SUSPECT', 'UPON_SENT_NO', 'UPON_SENT_COMMIT', 'UNCHANGED_PC'];

type StepEvent = { type: Action; r: string[]; fd: boolean };
type Vote = { type: 'VOTE'; from: string; vote: 'YES' | 'NO' };

export interface ProcessContext {
  id: string;
  /** Every process, itself included: a vote goes to all. */
  procs: string[];
  pc: Pc;
  rcvd: string[];
  fd: boolean;
}

export const procNames = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);
const message = (p: string, m: 'YES' | 'NO') => `${p}:${m}`;

export function createProcess() {
  return setup({
    types: {} as { context: ProcessContext; events: StepEvent; input: Omit<ProcessContext, 'rcvd'>; emitted: ReturnType<typeof send<Vote>> },
    guards: {
      // Receive: rcvd[self] \subseteq r
      keepsReceived: ({ context, event }) => context.rcvd.every((m) => event.r.includes(m)),
      uponYes: ({ context }) => context.pc === 'YES',
      uponNo: ({ context }) => context.pc === 'NO',
      uponCrash: ({ context }) => context.pc !== 'CRASH',
      // UponSent, first disjunct: fd'[self] = TRUE
      sentSuspect: ({ context, event }) => context.pc === 'SENT' && event.fd,
      // UponSent, second disjunct: \E msg \in rcvd[self] : msg[2] = "NO" (rcvd before this step's receive)
      sentNo: ({ context }) => context.pc === 'SENT' && context.rcvd.some((m) => m.endsWith(':NO')),
      // UponSent, third disjunct: fd'[self] = FALSE and a YES from every process in rcvd'[self]
      sentCommit: ({ context, event }) => context.pc === 'SENT' && !event.fd && context.procs.every((p) => event.r.includes(message(p, 'YES'))),
    },
    actions: {
      receiveAndUpdateFd: assign({ rcvd: ({ event }) => event.r, fd: ({ event }) => event.fd }),
      sendVote: emit(({ context }) => send<Vote>(context.procs, { type: 'VOTE', from: context.id, vote: context.pc as 'YES' | 'NO' })),
    },
  }).createMachine({
    id: 'nbacc-ray97-process',
    context: ({ input }) => ({ ...input, rcvd: [] }),
    initial: 'running',
    states: {
      running: {
        on: {
          // sendVote reads pc, so it runs before pc changes.
          UPON_YES: { guard: and(['keepsReceived', 'uponYes']), actions: ['sendVote', 'receiveAndUpdateFd', assign({ pc: 'SENT' as const })] },
          UPON_NO: { guard: and(['keepsReceived', 'uponNo']), actions: ['sendVote', 'receiveAndUpdateFd', assign({ pc: 'SENT' as const })] },
          UPON_CRASH: { guard: and(['keepsReceived', 'uponCrash']), actions: ['receiveAndUpdateFd', assign({ pc: 'CRASH' as const })] },
          UPON_SENT_SUSPECT: { guard: and(['keepsReceived', 'sentSuspect']), actions: ['receiveAndUpdateFd', assign({ pc: 'ABORT' as const })] },
          UPON_SENT_NO: { guard: and(['keepsReceived', 'sentNo']), actions: ['receiveAndUpdateFd', assign({ pc: 'ABORT' as const })] },
          UPON_SENT_COMMIT: { guard: and(['keepsReceived', 'sentCommit']), actions: ['receiveAndUpdateFd', assign({ pc: 'COMMIT' as const })] },
          // pc' = pc /\ sent' = sent: only the receive and the failure detector move.
          UNCHANGED_PC: { guard: 'keepsReceived', actions: 'receiveAndUpdateFd' },
        },
      },
    },
  });
}

const proc = (w: WorldView, p: string) => w.process(p).context as ProcessContext;

/** Every subset of the messages, each sorted: the values of r. */
function subsets(items: readonly string[]): string[][] {
  return items.reduce<string[][]>((all, x) => [...all, ...all.map((s) => [...s, x])], [[]]).map((s) => s.sort());
}

/** sent, as messages: kept for the last state asked about, since every step's `when` of a state asks. */
function sentIn(): (w: WorldView) => Set<string> {
  let last: { state: string; sent: Set<string> } | undefined;
  return (w) => {
    if (last?.state !== w.state) last = { state: w.state, sent: new Set(w.messages().filter((m) => m.msg.type === 'VOTE').map((m) => message(m.msg.from as string, m.msg.vote as 'YES' | 'NO'))) };
    return last.sent;
  };
}

export function buildNbaccWorld(config: NbaccConfig): WorldSpec {
  const procs = procNames(config.n);
  const machine = createProcess();
  const sent = sentIn();
  // r \subseteq sent
  const within = (r: readonly string[]) => (w: WorldView) => {
    const s = sent(w);
    return r.every((m) => s.has(m));
  };
  const messages = procs.flatMap((p) => [message(p, 'YES'), message(p, 'NO')]);
  const steps = subsets(messages).flatMap((r) =>
    [false, true].flatMap((fd) =>
      ACTIONS.map((type) => ({ event: { type, r, fd }, name: `${type.toLowerCase().replace(/_/g, '-')}, receiving {${r.join(', ')}}, fd ${fd}`, when: within(r), fairness: 'none' as const })),
    ),
  );
  const inputs = (p: string) => (['YES', 'NO'] as const).flatMap((pc) => [false, true].map((fd) => ({ id: p, procs, pc, fd })));
  return {
    processes: Object.fromEntries(procs.map((p) => [p, { machine, role: 'server' as const, inputs: inputs(p), internal: steps }])),
    // sent: a vote once sent stays, and nobody takes it off the network (Receive reads it).
    network: 'persistent',
    delivery: 'wait',
    budgets: {},
  };
}

const PCS = new Set(['NO', 'YES', 'ABORT', 'COMMIT', 'SENT', 'CRASH']);

/** TypeOK, with rcvd[i] read against what was sent (the spec only asks rcvd \in [Proc -> SUBSET (Proc \X M)]). */
export const typeOk = always({
  name: 'type-ok',
  statement: 'TypeOK: every pc is one of NO, YES, ABORT, COMMIT, SENT, CRASH, and every message received was sent.',
  check(w) {
    const sent = new Set(w.messages().map((m) => message(m.msg.from as string, m.msg.vote as 'YES' | 'NO')));
    for (const p of w.processNames) {
      const c = proc(w, p);
      if (!PCS.has(c.pc)) return { message: `${p} has pc ${c.pc}`, processes: [p] };
      const unsent = c.rcvd.find((m) => !sent.has(m));
      if (unsent !== undefined) return { message: `${p} received ${unsent}, which nobody sent`, processes: [p] };
    }
    return undefined;
  },
});

export const nbaccRay97 = defineModel<NbaccConfig>({
  name: 'nbacc-ray97',
  summary: 'nbacc_ray97 from the TLA+ examples: Raynal\'s non-blocking atomic commitment with crashes and a failure detector.',
  configs: { 'nbacc-ray97-cfg': { n: 2 } },
  variants: { spec: { summary: 'nbacc_ray97.tla as published, with nbacc_ray97.cfg (N = 2) and its 16 initial states.', expect: { 'type-ok': 'holds' } } },
  properties: [typeOk],
  build: (_variant, config) => buildNbaccWorld(config),
});
