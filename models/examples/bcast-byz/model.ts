import { assign, emit, setup } from 'xstate';
import { always, defineModel, send, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Srikanth and Toueg's one-round reliable broadcast with Byzantine faults, as
 * Konnov, Tran and Widder encode it (tlaplus/Examples, specifications/bcastByz/bcastByz.tla
 * with bcastByz.cfg: Spec, N = 4, T = 1, F = 1; and bcastByzNoBcast.cfg: SpecNoBcast, N = 10, T = 3, F = 2).
 *
 *   Proc = 1..N            processes p1..pN
 *   Corr, Faulty           context `correct` of each process (chosen initially, never changes)
 *   pc[i]                  context `pc`: V0, V1, SE, AC
 *   rcvd[i]                context `rcvd`: the senders whose ECHO i has received (sorted)
 *   sent                   the persistent network: an ECHO from each correct process that has sent one
 *   ByzMsgs                an ECHO from each faulty process, always there to be received (faulty
 *                          processes take no step; the spec's Next only moves correct ones)
 *   Step(self)             internal steps of `self`, one per Upon action and per set of new messages:
 *                          Receive's \E newMessages \in SUBSET (sent \cup ByzMsgs) is the step's
 *                          `newMessages` (senders), which `when` checks against the network and the
 *                          faulty processes; the machine checks pc and Cardinality(rcvd'[self])
 *
 * Init has 64 states (which process is faulty, 4 ways, times pc \in [Proc -> {V0, V1}],
 * 16 ways, faulty processes included), given as the world's initial list and explored in one run;
 * InitNoBcast (variant no-bcast) fixes every pc at V0.
 * The stuttering step (UNCHANGED vars) adds no state and is left out.
 */

export interface BcastByzConfig {
  /** N processes, T the resilience bound, F the faulty ones (N > 3T, T >= F). */
  n: number;
  t: number;
  f: number;
}

type Pc = 'V0' | 'V1' | 'SE' | 'AC';
export type Upon = 'UPON_V1' | 'UPON_NON_FAULTY' | 'UPON_ACCEPT_NOT_SENT_BEFORE' | 'UPON_ACCEPT_SENT_BEFORE';
export const UPONS: readonly Upon[] = ['UPON_V1', 'UPON_NON_FAULTY', 'UPON_ACCEPT_NOT_SENT_BEFORE', 'UPON_ACCEPT_SENT_BEFORE'];

type StepEvent = { type: Upon; newMessages: string[] };
type Echo = { type: 'ECHO'; from: string };

export interface ProcessContext {
  id: string;
  /** Every process, itself included: the ECHO goes to all. */
  procs: string[];
  n: number;
  t: number;
  correct: boolean;
  pc: Pc;
  rcvd: string[];
}

export const procNames = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();
/** Cardinality(rcvd'[self]) for the step's new messages. */
const received = (context: ProcessContext, event: StepEvent) => union(context.rcvd, event.newMessages).length;

export function createProcess() {
  return setup({
    types: {} as { context: ProcessContext; events: StepEvent; input: Omit<ProcessContext, 'rcvd'>; emitted: ReturnType<typeof send<Echo>> },
    guards: {
      // UponV1: pc[self] = "V1"
      uponV1: ({ context }) => context.correct && context.pc === 'V1',
      // UponNonFaulty: pc[self] \in {V0, V1}, N - 2T <= Cardinality(rcvd'[self]) < N - T
      uponNonFaulty: ({ context, event }) =>
        context.correct && (context.pc === 'V0' || context.pc === 'V1') && received(context, event) >= context.n - 2 * context.t && received(context, event) < context.n - context.t,
      // UponAcceptNotSentBefore: pc[self] \in {V0, V1}, Cardinality(rcvd'[self]) >= N - T
      uponAcceptNotSentBefore: ({ context, event }) => context.correct && (context.pc === 'V0' || context.pc === 'V1') && received(context, event) >= context.n - context.t,
      // UponAcceptSentBefore: pc[self] = "SE", Cardinality(rcvd'[self]) >= N - T
      uponAcceptSentBefore: ({ context, event }) => context.correct && context.pc === 'SE' && received(context, event) >= context.n - context.t,
    },
    actions: {
      receive: assign({ rcvd: ({ context, event }) => union(context.rcvd, event.newMessages) }),
      // sent' = sent \cup {<<self, "ECHO">>}
      echo: emit(({ context }) => send<Echo>(context.procs, { type: 'ECHO', from: context.id })),
    },
  }).createMachine({
    id: 'bcast-byz-process',
    context: ({ input }) => ({ ...input, rcvd: [] }),
    initial: 'running',
    states: {
      running: {
        on: {
          UPON_V1: { guard: 'uponV1', actions: ['receive', assign({ pc: 'SE' as const }), 'echo'] },
          UPON_NON_FAULTY: { guard: 'uponNonFaulty', actions: ['receive', assign({ pc: 'SE' as const }), 'echo'] },
          UPON_ACCEPT_NOT_SENT_BEFORE: { guard: 'uponAcceptNotSentBefore', actions: ['receive', assign({ pc: 'AC' as const }), 'echo'] },
          UPON_ACCEPT_SENT_BEFORE: { guard: 'uponAcceptSentBefore', actions: ['receive', assign({ pc: 'AC' as const })] },
        },
      },
    },
  });
}

const proc = (w: WorldView, p: string) => w.process(p).context as ProcessContext;
/** The senders of the messages in sent (correct processes' ECHOs, on the network). */
const sentBy = (w: WorldView) => new Set(w.messages().filter((m) => m.msg.type === 'ECHO').map((m) => m.msg.from as string));
/** The senders of ByzMsgs: the faulty processes. */
const faulty = (w: WorldView) => w.processNames.filter((p) => !proc(w, p).correct);

/** Every subset of the processes, each sorted: the values of newMessages. */
function subsets(procs: readonly string[]): string[][] {
  return procs.reduce<string[][]>((all, p) => [...all, ...all.map((s) => [...s, p])], [[]]).map((s) => s.sort());
}

/** What may be received in a state, sent \cup ByzMsgs, by sender; kept for the last state asked about, since every step's `when` of a state asks. */
function receivable(): (w: WorldView) => Set<string> {
  let last: { state: string; senders: Set<string> } | undefined;
  return (w) => {
    if (last?.state !== w.state) last = { state: w.state, senders: new Set([...sentBy(w), ...faulty(w)]) };
    return last.senders;
  };
}

/** Init's pc \in [Proc -> {"V0", "V1"}] (Spec), or pc \in [Proc -> {"V0"}] (SpecNoBcast: InitNoBcast). */
export type InitialPcs = 'V0 or V1' | 'V0';

export function buildBcastByzWorld(config: BcastByzConfig, initialPcs: InitialPcs = 'V0 or V1'): WorldSpec {
  const procs = procNames(config.n);
  const machine = createProcess();
  // newMessages \in SUBSET (sent \cup ByzMsgs)
  const inState = receivable();
  const available = (newMessages: readonly string[]) => (w: WorldView) => {
    const senders = inState(w);
    return newMessages.every((q) => senders.has(q));
  };
  const steps = subsets(procs).flatMap((newMessages) =>
    UPONS.map((upon) => ({ event: { type: upon, newMessages }, name: `${upon.toLowerCase().replace(/_/g, '-')} receiving {${newMessages.join(', ')}}`, when: available(newMessages), fairness: 'none' as const })),
  );
  // Init: Corr \in SUBSET Proc with Cardinality(Corr) = N - F, and pc \in [Proc -> {V0, V1}].
  const corrs = subsets(procs).filter((s) => s.length === config.n - config.f);
  const choices: Pc[] = initialPcs === 'V0' ? ['V0'] : ['V0', 'V1'];
  const pcs = procs.reduce<Pc[][]>((all) => all.flatMap((row) => choices.map((pc) => [...row, pc])), [[]]);
  const initial = corrs.flatMap((corr) =>
    pcs.map((pc) => ({
      name: `correct ${corr.join(',')}; pc ${pc.join(',')}`,
      inputs: Object.fromEntries(procs.map((p, i) => [p, { id: p, procs, n: config.n, t: config.t, correct: corr.includes(p), pc: pc[i]! }])),
    })),
  );
  return {
    processes: Object.fromEntries(procs.map((p) => [p, { machine, role: 'server' as const, internal: steps }])),
    initial,
    // sent: a message once sent stays, and nobody takes it off the network (Receive reads it).
    network: 'persistent',
    delivery: 'wait',
    budgets: {},
  };
}

const PCS = new Set(['V0', 'V1', 'SE', 'AC']);

/** TypeOK: pc in its four values, rcvd[i] \subseteq sent \cup ByzMsgs. */
export const typeOk = always({
  name: 'type-ok',
  statement: 'TypeOK: every pc is V0, V1, SE or AC, and a process has received only ECHOs that were sent or that faulty processes can make up.',
  check(w) {
    const sent = sentBy(w);
    const byz = faulty(w);
    for (const p of w.processNames) {
      const c = proc(w, p);
      if (!PCS.has(c.pc)) return { message: `${p} has pc ${c.pc}`, processes: [p] };
      const forged = c.rcvd.find((q) => !sent.has(q) && !byz.includes(q));
      if (forged !== undefined) return { message: `${p} received an ECHO from ${forged}, which is correct and sent none`, processes: [p, forged] };
    }
    return undefined;
  },
});

/** FCConstraints: Corr and Faulty split Proc, with at least N - T correct and at most T faulty. */
export const fcConstraints = always({
  name: 'fc-constraints',
  statement: 'FCConstraints: at least N - T processes are correct and at most T faulty.',
  check(w) {
    const { n, t } = proc(w, w.processNames[0]!);
    const bad = faulty(w);
    return w.processNames.length !== n || bad.length > t ? { message: `${bad.length} of ${w.processNames.length} processes are faulty`, processes: bad } : undefined;
  },
});

/** Unforg: no correct process accepts (the invariant of bcastByzNoBcast.cfg, where no correct process starts with the broadcaster's value). */
export const unforg = always({
  name: 'unforg',
  statement: 'Unforg: no correct process accepts.',
  check(w) {
    const accepted = w.processNames.find((p) => proc(w, p).correct && proc(w, p).pc === 'AC');
    return accepted === undefined ? undefined : { message: `${accepted} is correct and accepted`, processes: [accepted] };
  },
});

export const bcastByz = defineModel<BcastByzConfig>({
  name: 'bcast-byz',
  summary: 'bcastByz from the TLA+ examples: one round of reliable broadcast (Srikanth and Toueg) among processes of which some are Byzantine.',
  configs: { 'bcast-byz-cfg': { n: 4, t: 1, f: 1 }, 'bcast-byz-no-bcast': { n: 10, t: 3, f: 2 } },
  variants: {
    spec: {
      summary: 'bcastByz.tla\'s Spec, with bcastByz.cfg (N = 4, T = 1, F = 1) and its 64 initial states.',
      expect: { 'type-ok': 'holds', 'fc-constraints': 'holds' },
      configs: ['bcast-byz-cfg'],
    },
    'no-bcast': {
      summary: 'bcastByz.tla\'s SpecNoBcast (every process starts at V0), with bcastByzNoBcast.cfg (N = 10, T = 3, F = 2) and its 45 initial states.',
      expect: { 'type-ok': 'holds', 'fc-constraints': 'holds', unforg: 'holds' },
      configs: ['bcast-byz-no-bcast'],
    },
  },
  properties: [typeOk, fcConstraints, unforg],
  build: (variant, config) => buildBcastByzWorld(config, variant === 'no-bcast' ? 'V0' : 'V0 or V1'),
});
