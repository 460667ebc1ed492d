import { assign, setup } from 'xstate';
import { always, defineModel, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Demirbas's 2PCwithBTM (tlaplus/Examples, specifications/transaction_commit/2PCwithBTM.tla,
 * a PlusCal algorithm; configuration 2PCwithBTM.cfg): resource managers, a
 * transaction manager (TM) that may fail, and a backup TM (BTM) that takes over.
 *
 * The spec has no messages: processes read and write two global variables.
 * `rmState[rm]` is written only by `rm`, so it is `rm`'s context, and the
 * others read it in `when` conditions. `tmState` is written by *both* the TM
 * and the BTM; the engine has no variables shared between processes, so the two
 * PlusCal processes are folded into one process `tm`, whose context holds
 * tmState and both program counters:
 *
 *   rmState[rm], pc[rm]   context `rmState` and state (RS, Done) of machine `rm`
 *   tmState, pc[0], pc[10]   context `tmState`, `tmPc`, `btmPc` of machine `tm`
 *   RS(rm)                Prepare: request PREPARE; Decide (commit / abort) and Fail:
 *                         timeouts COMMIT, ABORT, FAIL, `when` their conditions on tmState
 *                         and the other RMs hold; the loop exit: request EXIT
 *   TS, BTS               timeouts TS_COMMIT, TS_ABORT, BTS_COMMIT, BTS_ABORT of `tm`, `when`
 *                         canCommit / canAbort hold
 *   TC, F1, TA, F2, BTC, BTA   requests of `tm`, each taken at its own label
 */

type RmState = 'working' | 'prepared' | 'committed' | 'aborted' | 'failed';
type TmState = 'init' | 'commit' | 'abort' | 'hidden';

export interface BtmConfig {
  rms: number;
  rmMayFail: boolean;
  tmMayFail: boolean;
}

const rmNames = (n: number) => Array.from({ length: n }, (_, i) => `rm${i + 1}`);
const rmsOf = (w: WorldView) => w.processNames.filter((n) => n !== 'tm');
const rmState = (w: WorldView, rm: string) => w.process(rm).context.rmState as RmState;
const tmState = (w: WorldView) => w.process('tm').context.tmState as TmState;

/** canCommit == \A rmc \in RM: rmState[rmc] \in {"prepared"} \/ \E rm \in RM : rmState[rm] \in {"committed"} */
const canCommit = (w: WorldView) => rmsOf(w).every((rm) => rmState(w, rm) === 'prepared') || rmsOf(w).some((rm) => rmState(w, rm) === 'committed');
/** canAbort == \E rm \in RM : rmState[rm] \in {"aborted","failed"} /\ ~\E rmc \in RM : rmState[rmc] = "committed" */
const canAbort = (w: WorldView) =>
  rmsOf(w).some((rm) => rmState(w, rm) === 'aborted' || rmState(w, rm) === 'failed') && !rmsOf(w).some((rm) => rmState(w, rm) === 'committed');

type RmEvent = { type: 'PREPARE' } | { type: 'COMMIT' } | { type: 'ABORT' } | { type: 'FAIL' } | { type: 'EXIT' };

export function createResourceManager() {
  return setup({
    types: {} as { context: { rmState: RmState }; events: RmEvent },
    guards: {
      undecided: ({ context }) => context.rmState === 'working' || context.rmState === 'prepared',
      working: ({ context }) => context.rmState === 'working',
    },
  }).createMachine({
    id: 'btm-rm',
    context: { rmState: 'working' },
    initial: 'RS',
    states: {
      RS: {
        on: {
          PREPARE: { guard: 'working', actions: assign({ rmState: 'prepared' as RmState }) },
          COMMIT: { guard: 'undecided', actions: assign({ rmState: 'committed' as RmState }) },
          ABORT: { guard: 'undecided', actions: assign({ rmState: 'aborted' as RmState }) },
          FAIL: { guard: 'undecided', actions: assign({ rmState: 'failed' as RmState }) },
          EXIT: { guard: ({ context }) => context.rmState !== 'working' && context.rmState !== 'prepared', target: 'Done' },
        },
      },
      Done: {},
    },
  });
}

type TmPc = 'TS' | 'TC' | 'F1' | 'TA' | 'F2' | 'Done';
type BtmPc = 'BTS' | 'BTC' | 'BTA' | 'Done';
type TmContext = { tmState: TmState; tmPc: TmPc; btmPc: BtmPc };

export function createTransactionManagers(config: BtmConfig) {
  const at = (pc: TmPc) => ({ context }: { context: TmContext }) => context.tmPc === pc;
  const btmAt = (pc: BtmPc) => ({ context }: { context: TmContext }) => context.btmPc === pc;
  return setup({
    types: {} as {
      context: TmContext;
      events: { type: 'TS_COMMIT' | 'TS_ABORT' | 'TC' | 'F1' | 'TA' | 'F2' | 'BTS_COMMIT' | 'BTS_ABORT' | 'BTC' | 'BTA' };
    },
  }).createMachine({
    id: 'btm-tm-and-backup',
    context: { tmState: 'init', tmPc: 'TS', btmPc: 'BTS' },
    initial: 'running',
    states: {
      running: {
        on: {
          TS_COMMIT: { guard: at('TS'), actions: assign({ tmPc: 'TC' as TmPc }) },
          TS_ABORT: { guard: at('TS'), actions: assign({ tmPc: 'TA' as TmPc }) },
          TC: { guard: at('TC'), actions: assign({ tmState: 'commit' as TmState, tmPc: 'F1' as TmPc }) },
          F1: { guard: at('F1'), actions: assign(({ context }) => ({ tmState: config.tmMayFail ? ('hidden' as TmState) : context.tmState, tmPc: 'Done' as TmPc })) },
          TA: { guard: at('TA'), actions: assign({ tmState: 'abort' as TmState, tmPc: 'F2' as TmPc }) },
          F2: { guard: at('F2'), actions: assign(({ context }) => ({ tmState: config.tmMayFail ? ('hidden' as TmState) : context.tmState, tmPc: 'Done' as TmPc })) },
          BTS_COMMIT: { guard: ({ context }) => context.btmPc === 'BTS' && context.tmState === 'hidden', actions: assign({ btmPc: 'BTC' as BtmPc }) },
          BTS_ABORT: { guard: ({ context }) => context.btmPc === 'BTS' && context.tmState === 'hidden', actions: assign({ btmPc: 'BTA' as BtmPc }) },
          BTC: { guard: btmAt('BTC'), actions: assign({ tmState: 'commit' as TmState, btmPc: 'Done' as BtmPc }) },
          BTA: { guard: btmAt('BTA'), actions: assign({ tmState: 'abort' as TmState, btmPc: 'Done' as BtmPc }) },
        },
      },
    },
  });
}

export function buildBtmWorld(config: BtmConfig): WorldSpec {
  const rm = createResourceManager();
  const processes: WorldSpec['processes'] = {
    tm: {
      machine: createTransactionManagers(config),
      role: 'authority',
      requests: [{ type: 'TC' }, { type: 'F1' }, { type: 'TA' }, { type: 'F2' }, { type: 'BTC' }, { type: 'BTA' }],
      timeouts: [
        { event: { type: 'TS_COMMIT' }, when: canCommit },
        { event: { type: 'TS_ABORT' }, when: canAbort },
        { event: { type: 'BTS_COMMIT' }, when: canCommit },
        { event: { type: 'BTS_ABORT' }, when: canAbort },
      ],
    },
  };
  for (const name of rmNames(config.rms)) {
    processes[name] = {
      machine: rm,
      role: 'server',
      requests: [{ type: 'PREPARE' }, { type: 'EXIT' }],
      timeouts: [
        { event: { type: 'COMMIT' }, when: (w) => tmState(w) === 'commit' },
        { event: { type: 'ABORT' }, when: (w) => rmState(w, name) === 'working' || tmState(w) === 'abort' },
        // Fail(p): with someone failed already, the `if` does nothing: a stuttering step, left out.
        { event: { type: 'FAIL' }, when: (w) => config.rmMayFail && !rmsOf(w).some((r) => rmState(w, r) === 'failed') },
      ],
    };
  }
  return { processes, network: 'bag', delivery: 'error', budgets: {} };
}

export const consistency = always({
  name: 'consistency',
  statement: 'Consistency: no resource manager has aborted while another has committed.',
  check(w) {
    const aborted = rmsOf(w).filter((rm) => rmState(w, rm) === 'aborted');
    const committed = rmsOf(w).filter((rm) => rmState(w, rm) === 'committed');
    return aborted.length > 0 && committed.length > 0 ? { message: `${committed[0]} committed while ${aborted[0]} aborted`, processes: [committed[0]!, aborted[0]!] } : undefined;
  },
});

export const twoPhaseBtm = defineModel<BtmConfig>({
  name: 'two-phase-btm',
  summary: '2PCwithBTM from the TLA+ examples: two-phase commit whose transaction manager may fail and a backup takes over.',
  configs: { '2pc-with-btm-cfg': { rms: 3, rmMayFail: true, tmMayFail: true } },
  variants: { spec: { summary: '2PCwithBTM.tla as published, with 2PCwithBTM.cfg; the TM and the BTM folded into one process because they share tmState.', expect: { consistency: 'holds' } } },
  properties: [consistency],
  build: (_variant, config) => buildBtmWorld(config),
});
