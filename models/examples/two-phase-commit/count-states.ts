/**
 * Counts the reachable states of the correct two-phase commit model and
 * compares them with the counts TLC and Stateright publish for the same spec.
 *
 *   npx tsx models/examples/two-phase-commit/count-states.ts            # rm3..rm7
 *   npx tsx models/examples/two-phase-commit/count-states.ts rm7 rm8
 *
 * Exits non-zero when a count differs from the published one.
 */
import { checkExhaustive, instantiate } from '../../../src/index.js';
import { twoPhaseCommit } from '../../../properties/two-phase-commit.js';

/** Distinct states by number of RMs: Stateright's 2pc test (3, 5), TwoPhase.tla's comment (6), TLC and Stateright runs (7, 8). */
export const PUBLISHED_STATE_COUNTS: Readonly<Record<number, number>> = { 3: 288, 5: 8_832, 6: 50_816, 7: 296_448, 8: 1_745_408 };

function main(configs: string[]): number {
  let mismatches = 0;
  for (const config of configs) {
    const started = performance.now();
    const results = checkExhaustive(instantiate(twoPhaseCommit, 'correct', config));
    const seconds = (performance.now() - started) / 1000;
    const invariant = results.find((r) => r.property === 'tc-consistent')!;
    const rms = twoPhaseCommit.configs[config as keyof typeof twoPhaseCommit.configs]!.rms;
    const published = PUBLISHED_STATE_COUNTS[rms];
    const agrees = published === undefined ? 'no published count' : published === invariant.states ? 'matches published' : `DIFFERS from published ${published}`;
    if (published !== undefined && published !== invariant.states) mismatches++;
    console.log(
      `${config}: ${invariant.states} states, ${invariant.transitions} transitions, depth ${invariant.depth}, ` +
        `tc-consistent ${invariant.verdict}, ${seconds.toFixed(1)} s (${agrees})`,
    );
  }
  return mismatches;
}

const requested = process.argv.slice(2);
process.exitCode = main(requested.length > 0 ? requested : ['rm3', 'rm4', 'rm5', 'rm6', 'rm7']) === 0 ? 0 : 1;
