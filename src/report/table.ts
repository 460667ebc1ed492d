import type { CheckResult } from '../check/result.js';
import { asExpected } from '../check/result.js';
import { summarizeCoverage } from '../check/coverage.js';

const COLUMNS: Array<[string, (r: CheckResult) => string, 'left' | 'right']> = [
  ['model', (r) => r.model, 'left'],
  ['variant', (r) => r.variant, 'left'],
  ['kind', (r) => r.variantKind ?? '-', 'left'],
  ['config', (r) => r.config, 'left'],
  ['property', (r) => r.property, 'left'],
  ['mode', (r) => r.mode, 'left'],
  ['expected', (r) => r.expected, 'left'],
  ['verdict', (r) => (r.knownGap !== undefined ? `${r.verdict} (known gap)` : asExpected(r) ? r.verdict : `${r.verdict} ✗`), 'left'],
  ['states', (r) => r.states.toLocaleString('en-US'), 'right'],
  ['transitions', (r) => r.transitions.toLocaleString('en-US'), 'right'],
  ['depth', (r) => String(r.depth), 'right'],
  ['trace', (r) => (r.traceLength === null ? '-' : String(r.traceLength)), 'right'],
  ['time', (r) => `${r.seconds.toFixed(2)}s`, 'right'],
  ['coverage', (r) => (r.coverage ? summarizeCoverage(r.coverage) : '-'), 'left'],
];

/** The results as an aligned plain-text table, one row per model × variant × property × mode. */
export function renderTable(results: readonly CheckResult[]): string[] {
  const cells = results.map((r) => COLUMNS.map(([, get]) => get(r)));
  const widths = COLUMNS.map(([title], c) => Math.max(title.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (COLUMNS[c]![2] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS.map(([title]) => title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}
