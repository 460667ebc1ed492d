import { createNodeHarness } from '../../models/replication-close/harness.js';
import { ManualCalls, settle } from '../../models/replication-close/manual-calls.js';
import type { CloseVariant, DepCall, JournalEntry, Op, SessionId } from '../../models/replication-close/types.js';
import type { RaceInvariant, Violation } from './invariants.js';

/**
 * One step of a schedule: a request arrives, or the awaited call of a request
 * returns. Between steps every continuation that can run does; the schedule
 * is therefore the whole story of an interleaving.
 */
export type ScheduleStep =
  | { kind: 'request'; req: number; op: Op; session: SessionId }
  | { kind: 'return'; req: number; call: DepCall };

/** The schedule a run followed, read off its journal. */
export function scheduleOf(journal: readonly JournalEntry[]): ScheduleStep[] {
  const steps: ScheduleStep[] = [];
  for (const e of journal) {
    if (e.kind === 'received') steps.push({ kind: 'request', req: e.req, op: e.op, session: e.session });
    if (e.kind === 'resumed') steps.push({ kind: 'return', req: e.req, call: e.after });
  }
  return steps;
}

export const stepLabel = (s: ScheduleStep): string =>
  s.kind === 'request' ? `${s.op}#${s.req}(${s.session})` : `${s.call}>${s.req}`;

/** A compact key of a schedule: equal keys, same interleaving. */
export const scheduleKey = (steps: readonly ScheduleStep[]): string => steps.map(stepLabel).join(' ');

export interface Replay {
  journal: JournalEntry[];
  /** Nothing left in flight after the last step. */
  quiescent: boolean;
  /** Steps that could not be taken: a return whose call was never made (its request was removed). */
  skipped: number[];
}

/**
 * Runs exactly these steps against a fresh node, one at a time, letting the
 * microtasks settle after each. Calls the schedule does not complete stay
 * pending, so a race that needs a later return does not happen by accident.
 */
export async function replaySchedule(variant: CloseVariant, steps: readonly ScheduleStep[]): Promise<Replay> {
  const calls = new ManualCalls();
  const harness = createNodeHarness(variant, calls);
  const skipped: number[] = [];
  for (const [i, step] of steps.entries()) {
    if (harness.down) break;
    if (step.kind === 'request') harness.send({ req: step.req, op: step.op, session: step.session });
    else if (!calls.complete(step.req)) skipped.push(i);
    await settle();
  }
  return { journal: [...harness.journal], quiescent: calls.pending.length === 0, skipped };
}

export async function violationIn(variant: CloseVariant, invariant: RaceInvariant, steps: readonly ScheduleStep[]): Promise<Violation | undefined> {
  const replay = await replaySchedule(variant, steps);
  return invariant.violation(replay.journal, replay.quiescent);
}

/**
 * Greedy delta debugging over the schedule: drop chunks of steps, then single
 * steps, keeping every removal after which the invariant still breaks, until
 * no single step can go. The result is 1-minimal by construction; the tests
 * check it again by removing each step and replaying.
 */
export async function minimizeSchedule(variant: CloseVariant, invariant: RaceInvariant, steps: readonly ScheduleStep[]): Promise<ScheduleStep[]> {
  let current = [...steps];
  const breaks = async (candidate: ScheduleStep[]) => (await violationIn(variant, invariant, candidate)) !== undefined;
  if (!(await breaks(current))) throw new Error('minimizeSchedule: the schedule does not break the invariant');
  for (let chunk = Math.max(1, current.length >> 1); chunk >= 1; chunk = chunk === 1 ? 0 : Math.max(1, chunk >> 1)) {
    let removedAny = true;
    while (removedAny) {
      removedAny = false;
      for (let start = 0; start + chunk <= current.length; ) {
        const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
        if (await breaks(candidate)) {
          current = candidate;
          removedAny = true;
        } else {
          start += 1;
        }
      }
    }
  }
  return renumber(current);
}

/** Renumbers requests 1, 2, … in order of arrival; handlers do not depend on the numbers, only on their order. */
export function renumber(steps: readonly ScheduleStep[]): ScheduleStep[] {
  const map = new Map<number, number>();
  for (const s of steps) if (s.kind === 'request') map.set(s.req, map.size + 1);
  return steps.map((s) => ({ ...s, req: map.get(s.req) ?? s.req }));
}
