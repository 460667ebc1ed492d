import type { CheckResult } from '../check/result.js';
import { Behaviour } from './behaviours.js';
import { ModelCheck } from './check.js';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

const label = (r: CheckResult) => `${r.model}/${r.variant} ${r.property} (${r.mode})`;

/** One row in a sentence, then its story when it has a trace: what a failing test prints. */
function explain(check: ModelCheck, r: CheckResult): string {
  const how =
    r.verdict === 'violated' && r.traceLength !== null
      ? `violated in ${r.traceLength} steps`
      : r.verdict === 'holds' && r.kind === 'sometimes' && r.traceLength !== null
        ? `reached in ${r.traceLength} steps`
        : r.verdict === 'holds' && r.mode === 'exhaustive'
          ? `holds in all ${r.states} reachable states`
          : r.verdict;
  const story = check.story(r);
  return [`  ${label(r)}: ${how}${r.note ? ` (${r.note})` : ''}`, ...story.map((line) => `    ${line}`)].join('\n');
}

/** Matchers take what `check` resolves to; a forgotten `await` is the usual mistake, so say so. */
function asCheck(received: unknown, matcher: string): ModelCheck {
  if (received instanceof ModelCheck) return received;
  if (received instanceof Promise) throw new TypeError(`${matcher}: received a promise; write expect(await check(model)).${matcher}(…)`);
  throw new TypeError(`${matcher}: expected the result of check(model, …) or a behaviour, got ${typeof received}`);
}

function rowsOf(check: ModelCheck, property: string | undefined, matcher: string): CheckResult[] {
  const rows = property === undefined ? check.results : check.of(property);
  if (rows.length === 0) {
    const known = [...new Set(check.results.map((r) => r.property))].join(', ');
    throw new Error(`${matcher}: no result for ${property ?? 'any property'} (checked: ${known || 'nothing'})`);
  }
  return rows;
}

function toHoldBehaviour(behaviour: Behaviour, property: string | undefined): MatcherResult {
  if (property !== undefined && !behaviour.instance.properties.some((p) => p.name === property)) {
    throw new Error(`toHold: ${behaviour.instance.model.name}/${behaviour.instance.variant} checks no property ${property}`);
  }
  const broken = behaviour.firstViolation(property);
  return {
    pass: broken === undefined,
    message: () =>
      broken
        ? [`expected ${property ?? 'every property'} to hold along this behaviour, but ${label(broken)} is violated (${broken.note}):`, ...behaviour.story(broken).map((l) => `    ${l}`)].join('\n')
        : `expected some property to be violated along this behaviour of ${behaviour.steps.length} steps, but all held`,
  };
}

export const matchers = {
  /** Every checked property (or the one named) got the verdict `holds`: proven, reached, or not broken by random runs. */
  toHold(received: unknown, property?: string): MatcherResult {
    if (received instanceof Behaviour) return toHoldBehaviour(received, property);
    const check = asCheck(received, 'toHold');
    const rows = rowsOf(check, property, 'toHold');
    const failing = rows.filter((r) => r.verdict !== 'holds');
    return {
      pass: failing.length === 0,
      message: () =>
        failing.length
          ? [`expected ${property ?? 'every property'} to hold, but:`, ...failing.map((r) => explain(check, r))].join('\n')
          : [`expected ${property ?? 'some property'} not to hold, but:`, ...rows.map((r) => explain(check, r))].join('\n'),
    };
  },

  /** The named property got the verdict `violated` in every variant and mode checked. */
  toBeViolatedBy(received: unknown, property: string): MatcherResult {
    const check = asCheck(received, 'toBeViolatedBy');
    const rows = rowsOf(check, property, 'toBeViolatedBy');
    const notViolated = rows.filter((r) => r.verdict !== 'violated');
    return {
      pass: notViolated.length === 0,
      message: () =>
        notViolated.length
          ? [`expected ${property} to be violated, but:`, ...notViolated.map((r) => explain(check, r))].join('\n')
          : [`expected ${property} not to be violated, but:`, ...rows.map((r) => explain(check, r))].join('\n'),
    };
  },

  /** Every row got the verdict its variant declares in `expect`: the same test as the command line's exit code. */
  toBeAsExpected(received: unknown): MatcherResult {
    const check = asCheck(received, 'toBeAsExpected');
    const off = check.results.filter((r) => r.verdict !== r.expected);
    return {
      pass: off.length === 0,
      message: () =>
        off.length
          ? ['expected every verdict as declared, but:', ...off.map((r) => `${explain(check, r)}\n    (declared: ${r.expected})`)].join('\n')
          : `expected some verdict to differ from the declared one, but all ${check.results.length} are as declared`,
    };
  },
};

/** The matchers as vitest sees them once `outage-checker/testing` is imported. */
export interface OutageMatchers {
  /** Every property checked (or the one named) holds; on failure the message tells the counterexample's story. */
  toHold(property?: string): void;
  /** The named property is violated; on failure the message says how far the search went. */
  toBeViolatedBy(property: string): void;
  /** Every verdict is the one the model's variants declare. */
  toBeAsExpected(): void;
}
