import fc from 'fast-check';
import type { CloseVariant } from '../../models/replication-close/types.js';
import type { RaceInvariant } from './invariants.js';
import { scheduleKey, scheduleOf } from './schedule.js';
import { DEFAULT_RUNS, RaceFound, REPLAY_PATH, raceProperty } from './suite.js';

/** What identifies a failing run: its commands as fast-check prints them, its schedule, and where it broke. */
function failingRun<Ts>(details: fc.RunDetails<Ts>): string | undefined {
  if (!details.failed) return undefined;
  const error = details.errorInstance;
  if (!(error instanceof RaceFound)) throw error instanceof Error ? error : new Error(String(error));
  const commands = String((details.counterexample as readonly unknown[] | null)?.[1] ?? '').replace(/\s*\/\*replayPath=.*\*\//, '');
  return JSON.stringify([commands, scheduleKey(scheduleOf(error.journal)), error.violation]);
}

/**
 * Searches (with shrinking) on one seed, then replays the full counterexample path with endOnFailure (and,
 * `withReplayPath`, the replayPath fast-check printed for the commands): tells
 * whether the replayed failing run is the shrunk one, another, or the path cannot be walked at all. Undefined when the seed finds nothing.
 */
export async function measureFullPathReplay(variant: CloseVariant, invariant: RaceInvariant, seed: number, withReplayPath: boolean): Promise<{ path: string; outcome: 'same' | 'differs' | 'unreplayable' } | undefined> {
  const search = await fc.check(raceProperty(variant, invariant, () => {}), { seed, numRuns: DEFAULT_RUNS });
  const shrunk = failingRun(search);
  if (shrunk === undefined) return undefined;
  const path = search.counterexamplePath!;
  const replayPath = withReplayPath ? REPLAY_PATH.exec(String(search.counterexample?.[1] ?? ''))?.[1] : undefined;
  try {
    const replay = await fc.check(raceProperty(variant, invariant, () => {}, replayPath), { seed, path, endOnFailure: true });
    return { path, outcome: failingRun(replay) === shrunk ? 'same' : 'differs' };
  } catch (error) {
    // fast-check walks the path through the shrink trees before running anything.
    if (error instanceof Error && error.message.startsWith('Unable to replay')) return { path, outcome: 'unreplayable' };
    throw error;
  }
}
