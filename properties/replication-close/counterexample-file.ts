import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CloseVariant } from '../../models/replication-close/types.js';
import type { RaceInvariantName, Violation } from './invariants.js';
import type { ScheduleStep } from './schedule.js';

/**
 * A found race as a replay file: the fast-check coordinates that find it
 * again (seed, path, replayPath; see `searchRace`) and the minimal schedule, which
 * `replaySchedule` runs without fast-check at all.
 */
export interface CounterexampleFile {
  model: 'replication-close';
  variant: CloseVariant;
  invariant: RaceInvariantName;
  seed: number;
  path: string;
  /** fc.commands' replay data: with seed and path, `searchRace` runs the shrunk run itself, once. */
  replayPath: string;
  violation: Violation;
  schedule: ScheduleStep[];
  story: string[];
}

export const COUNTEREXAMPLE_DIR = fileURLToPath(new URL('../../counterexamples/replication-close/', import.meta.url));

export const counterexamplePath = (variant: CloseVariant, invariant: RaceInvariantName): string => `${COUNTEREXAMPLE_DIR}${variant}-${invariant}.json`;

export function readCounterexample(variant: CloseVariant, invariant: RaceInvariantName): CounterexampleFile {
  return JSON.parse(readFileSync(counterexamplePath(variant, invariant), 'utf8')) as CounterexampleFile;
}
