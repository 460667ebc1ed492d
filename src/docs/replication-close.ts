import { CLOSE_VARIANT_DECLARATIONS, expectedVerdict, raceInvariants } from '../../properties/replication-close/index.js';
import type { CloseVariant } from '../../models/replication-close/types.js';
import { citePassage, endSentence } from './postmortem.js';

/**
 * The replication-close suite checks real code with a scheduler rather than a
 * model, so its invariants have no exhaustive rows; they are listed with the
 * variants expected to break each (whose counterexamples the corpus keeps).
 */
export function replicationClosePropertiesSection(): string[] {
  const variants = Object.keys(CLOSE_VARIANT_DECLARATIONS) as CloseVariant[];
  const out = [
    '## Invariants of the replication-close scheduler suite',
    '',
    'Checked by `npm run check -- --model replication-close` over schedules fast-check chooses (not exhaustively): the variants expected to break an invariant must break it; every other variant must keep it on every run.',
    '',
  ];
  for (const invariant of raceInvariants) {
    const breakers = variants.filter((v) => expectedVerdict(v, invariant.name) === 'violated');
    out.push(`### \`${invariant.name}\` (replication-close)`, '', invariant.statement, '', endSentence(`Guards ${citePassage(invariant.guards, 0)}`), '');
    out.push(
      breakers.length
        ? `Expected broken by ${breakers.map((v) => `[\`${v}\`](../counterexamples/replication-close/${v}-${invariant.name}.json)`).join(', ')}; kept by the ${variants.length - breakers.length} other variants.`
        : `Kept by all ${variants.length} variants.`,
      '',
    );
  }
  return out;
}
