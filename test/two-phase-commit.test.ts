import { describe, expect, test } from 'vitest';
import { checkExhaustive, instantiate, type ModelInstance } from '../src/index.js';
import { WorldView } from '../src/world/world-view.js';
import type { TransactionManagerContext } from '../models/examples/two-phase-commit/machines.js';
import { resourceManagerNames } from '../models/examples/two-phase-commit/world.js';
import { twoPhaseCommit } from '../properties/two-phase-commit.js';

/*
 * The reference: TLA+ TwoPhase transcribed by hand into a plain breadth-first
 * search, with no xstate and no engine. A state is one string:
 *   rmState per RM (w/p/c/a) | tmState (i/c/a) | tmPrepared bits | msgs: Prepared bits, Commit, Abort
 */
type Spec = { rm: string[]; tm: string; tmPrepared: boolean[]; prepared: boolean[]; commit: boolean; abort: boolean };

const encodeSpec = (s: Spec): string =>
  `${s.rm.join('')}|${s.tm}|${s.tmPrepared.map(Number).join('')}|${s.prepared.map(Number).join('')}${Number(s.commit)}${Number(s.abort)}`;

function specSuccessors(s: Spec): Spec[] {
  const next: Spec[] = [];
  const with_ = (change: Partial<Spec>) => next.push({ ...s, ...change });
  const setAt = <T>(xs: T[], i: number, v: T) => xs.map((x, j) => (j === i ? v : x));
  if (s.tm === 'i' && s.tmPrepared.every(Boolean)) with_({ tm: 'c', commit: true }); // TMCommit
  if (s.tm === 'i') with_({ tm: 'a', abort: true }); // TMAbort
  s.rm.forEach((state, i) => {
    if (s.tm === 'i' && s.prepared[i]) with_({ tmPrepared: setAt(s.tmPrepared, i, true) }); // TMRcvPrepared
    if (state === 'w') with_({ rm: setAt(s.rm, i, 'p'), prepared: setAt(s.prepared, i, true) }); // RMPrepare
    if (state === 'w') with_({ rm: setAt(s.rm, i, 'a') }); // RMChooseToAbort
    if (s.commit) with_({ rm: setAt(s.rm, i, 'c') }); // RMRcvCommitMsg
    if (s.abort) with_({ rm: setAt(s.rm, i, 'a') }); // RMRcvAbortMsg
  });
  return next;
}

function referenceStates(rms: number): Set<string> {
  const none = Array<boolean>(rms).fill(false);
  const init: Spec = { rm: Array<string>(rms).fill('w'), tm: 'i', tmPrepared: none, prepared: none, commit: false, abort: false };
  const seen = new Set([encodeSpec(init)]);
  const queue = [init];
  for (let at = 0; at < queue.length; at++) {
    for (const s of specSuccessors(queue[at]!)) {
      const key = encodeSpec(s);
      if (!seen.has(key)) seen.add(key), queue.push(s);
    }
  }
  return seen;
}

/** The model at any size, not only the declared configurations. */
const instanceWith = (rms: number, variant = 'correct'): ModelInstance =>
  instantiate({ ...twoPhaseCommit, configs: { [`rm${rms}`]: { rms } } }, variant);

/** Reads the TLA+ variables off an engine state; Commit and Abort must be all-or-none across RMs. */
function projectToSpec(view: WorldView, rms: string[]): string {
  const letter = { working: 'w', prepared: 'p', committed: 'c', aborted: 'a', init: 'i' } as Record<string, string>;
  const tm = view.process('tm');
  const tmPrepared = (tm.context as TransactionManagerContext).prepared;
  const messages = view.messages();
  const broadcast = (type: string) => {
    const to = messages.filter((m) => m.msg.type === type).map((m) => m.to);
    if (to.length !== 0 && to.length !== rms.length) throw new Error(`${type} reached only ${to.join(', ')}`);
    return to.length > 0;
  };
  return encodeSpec({
    rm: rms.map((rm) => letter[view.process(rm).value as string]!),
    tm: letter[tm.value as string]!,
    tmPrepared: rms.map((rm) => tmPrepared.includes(rm)),
    prepared: rms.map((rm) => messages.some((m) => m.msg.type === 'PREPARED' && m.from === rm)),
    commit: broadcast('COMMIT'),
    abort: broadcast('ABORT'),
  });
}

/** Every reachable engine state, projected: a plain search over the world's own transition system. */
function engineStatesProjected(instance: ModelInstance, rms: string[]): { engine: number; projected: Set<string> } {
  const world = instance.world;
  const seen = new Set(world.initialStates());
  const queue = [...seen];
  for (let at = 0; at < queue.length; at++) {
    for (const action of world.actions(queue[at]!)) {
      const next = world.nextState(queue[at]!, action);
      if (!seen.has(next)) seen.add(next), queue.push(next);
    }
  }
  return { engine: seen.size, projected: new Set(queue.map((s) => projectToSpec(new WorldView(world, s), rms))) };
}

describe('two-phase commit against the TLA+ TwoPhase spec', () => {
  test('the hand-written reference reproduces the counts Stateright publishes', () => {
    expect(referenceStates(3).size).toBe(288);
    expect(referenceStates(5).size).toBe(8_832);
  });

  test.each([1, 2, 3, 4, 5])('with %i RMs the engine reaches exactly as many states as the reference', (rms) => {
    const [invariant] = checkExhaustive(instanceWith(rms));
    expect(invariant!.property).toBe('tc-consistent');
    expect(invariant!.complete).toBe(true);
    expect(invariant!.states).toBe(referenceStates(rms).size);
  });

  test('with 3 RMs the engine states and the spec states correspond one to one', () => {
    const rms = resourceManagerNames(3);
    const { engine, projected } = engineStatesProjected(instanceWith(3), rms);
    const reference = referenceStates(3);
    expect(projected.size).toBe(engine); // no two engine states stand for the same spec state
    expect([...projected].sort()).toEqual([...reference].sort());
  });
});

describe('two-phase commit verdicts', () => {
  test('correct: consistency holds over every reachable state, and both outcomes happen', () => {
    const results = checkExhaustive(instantiate(twoPhaseCommit, 'correct'));
    expect(results.map((r) => [r.property, r.verdict])).toEqual([
      ['tc-consistent', 'holds'],
      ['commit-happens', 'holds'],
      ['abort-happens', 'holds'],
    ]);
  });

  test('tm-commits-early: exploration finds an RM committed beside an aborted one, in the fewest steps', () => {
    const [consistency] = checkExhaustive(instantiate(twoPhaseCommit, 'tm-commits-early'));
    expect(consistency!.verdict).toBe('violated');
    // Two RMs prepare and are heard (4), the TM commits (5), one RM hears it (6), the third aborts (7).
    expect(consistency!.traceLength).toBe(7);
    expect(consistency!.trace).toContainEqual({ kind: 'request', process: 'tm', event: { type: 'COMMIT_DECISION' } });
    expect(consistency!.trace!.filter((a) => a.kind === 'request' && a.event.type === 'PREPARE')).toHaveLength(2);
    expect(consistency!.witness!.message).toMatch(/^rm\d committed the transaction while rm\d aborted it$/);
  });
});
