import type { ActionDescriptor } from '../world/actions.js';
import type { Property, Witness } from '../spec/property.js';
import type { Coverage } from './coverage.js';
import type { Verdict } from '../spec/model.js';

export type Mode = 'exhaustive' | 'random' | 'scheduler';
/** `vacuous`: it held, but a `sometimes` property was never reached or a declared fault never struck. */
export type Outcome = Verdict | 'bounded' | 'vacuous' | 'error';

/** One row of a check: a model, variant, property and mode, with its verdict and evidence. */
export interface CheckResult {
  model: string;
  variant: string;
  /** What the variant claims to be: "as in 2011", "without a safeguard", "fixed", … ('-' when unlabelled). */
  variantKind?: string;
  config: string;
  property: string;
  kind: Property['kind'];
  mode: Mode;
  expected: Verdict;
  verdict: Outcome;
  states: number;
  transitions: number;
  depth: number;
  complete: boolean;
  traceLength: number | null;
  seconds: number;
  /** Why the verdict is what it is, when that needs saying (bounds, random runs, errors). */
  note?: string;
  /** A random row that missed a violation the variant declares random search cannot find yet: why (the variant's `randomSearchGaps`). */
  knownGap?: string;
  /** The steps to the counterexample (always/deadlock) or the example (sometimes). */
  trace?: ActionDescriptor[];
  witness?: Witness;
  /**
   * Liveness counterexamples are lassos: the steps from `loopFrom` to the end
   * repeat forever. Equal to the trace length when the behaviour stutters at
   * its last state (nothing fair can happen there).
   */
  loopFrom?: number;
  /** What the exploration exercised: machine states and transitions, faults fired. */
  coverage?: Coverage;
  /** A story rendered by the suite itself, for results that do not come from a world of machines. */
  story?: string[];
  /** Random mode: how it can be re-run by fast-check. */
  seed?: number;
  runs?: number;
}

/** Whether a row came out as its variant promised. */
export function asExpected(result: CheckResult): boolean {
  return result.verdict === result.expected && result.knownGap === undefined;
}

/** A random row that missed a violation declared out of random search's reach: neither as expected nor a failure. */
export function isKnownGap(result: CheckResult): boolean {
  return result.knownGap !== undefined;
}
