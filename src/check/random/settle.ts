import type { WorldAction } from '../../world/actions.js';
import type { Aim, Executor } from './aims.js';

/**
 * Continues a behaviour once its drawn commands are spent, with the
 * protocol's own fair steps only (deliveries, timeouts, ticks, fair internal
 * steps; no faults, no requests), so that a run which stopped mid-way settles where the protocol
 * takes it. The scheduler is least-recently-taken over action ids (ties broken
 * by `rotation`, a number the plan draws), which is weakly fair: an action
 * enabled all along is taken within as many steps as there are fair actions.
 * It stops when nothing fair is enabled (a stutter), when the state returns to
 * one seen since settling began with every fair action enabled all along the
 * way taken on it (a fair cycle: the lasso random mode's liveness judge looks
 * for), or after `maxSteps`.
 */
export function settle(ex: Executor, maxSteps: number, rotation: number): void {
  const lastTaken = new Map<string, number>();
  const firstSeen = new Map<string, number[]>();
  const enabledAt: string[][] = [];
  const taken: string[] = [];
  for (let step = 0; ; step++) {
    const fair = ex.enabled().filter((a) => ex.isFair(a));
    if (fair.length === 0) return;
    enabledAt.push(fair.map((a) => a.id));
    const earlier = firstSeen.get(ex.state);
    if (earlier?.some((j) => fairSegment(enabledAt, taken, j, step))) return;
    if (earlier) earlier.push(step);
    else firstSeen.set(ex.state, [step]);
    if (step === maxSteps) return;
    const next = leastRecentlyTaken(fair, lastTaken, rotation);
    lastTaken.set(next.id, step);
    taken.push(next.id);
    ex.take(next);
  }
}

/** Whether every fair action enabled at each of steps j..k-1 was taken in one of them. */
function fairSegment(enabledAt: readonly string[][], taken: readonly string[], j: number, k: number): boolean {
  const done = new Set(taken.slice(j, k));
  const always = enabledAt[j]!.filter((id) => enabledAt.slice(j + 1, k).every((ids) => ids.includes(id)));
  return always.every((id) => done.has(id));
}

function leastRecentlyTaken(fair: readonly WorldAction[], lastTaken: ReadonlyMap<string, number>, rotation: number): WorldAction {
  let oldest = Infinity;
  let candidates: WorldAction[] = [];
  for (const a of fair) {
    const at = lastTaken.get(a.id) ?? -1;
    if (at < oldest) {
      oldest = at;
      candidates = [a];
    } else if (at === oldest) candidates.push(a);
  }
  return candidates[rotation % candidates.length]!;
}

/**
 * How long a behaviour may settle: a few rounds of every fair action the world
 * declares (a delivery of each message type to each process that handles it,
 * each timer, the clock), so a bigger configuration gets a longer tail.
 */
export function settleStepsOf(aims: readonly Aim[]): number {
  const fair = aims.filter((a) => FAIR_AIMS.has(a.kind)).length;
  return SETTLE_ROUNDS * Math.max(fair, 1);
}
const SETTLE_ROUNDS = 4;
/** The kinds of aims that can be fair steps (an internal step declared `fairness: 'none'` is counted too: the bound only needs to be generous). */
const FAIR_AIMS: ReadonlySet<string> = new Set(['deliver', 'timeout', 'tick', 'internal']);
