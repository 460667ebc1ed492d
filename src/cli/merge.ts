import { readFileSync } from 'node:fs';
import { markVacuous, mergeCoverage } from '../check/coverage.js';
import type { CheckResult } from '../check/result.js';
import type { ModelDefinition } from '../spec/model.js';
import { UsageError } from './args.js';

const RANK: Record<string, number> = { error: 0, violated: 1, vacuous: 2, bounded: 3, holds: 4 };
const VERDICTS = new Set(Object.keys(RANK));
const MODES = new Set(['exhaustive', 'random', 'scheduler']);

/**
 * Merges the `--json` outputs of sharded runs into one list of rows, in a
 * deterministic way: rows keep the order they first appear in, a counterexample
 * found by any shard wins (the shortest; the earlier file on a tie), work is
 * summed. Exhaustive rows are the same in every shard, so the first is kept.
 * Vacuity is decided again on the merged coverage: a fault one shard never
 * fired but another did was exercised. Shards must be of one run: the same
 * rows, each seed once.
 */
export function mergeShardOutputs(files: readonly string[], models: ReadonlyArray<ModelDefinition<any>> = []): CheckResult[] {
  const groups = new Map<string, CheckResult[]>();
  let firstKeys: string | undefined;
  const seeds = new Map<number | undefined, string>();
  for (const file of files) {
    let parsed: { results?: unknown };
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot merge ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not the JSON that --json prints'}`);
    }
    if (!Array.isArray(parsed.results)) throw new UsageError(`cannot merge ${file}: it has no "results" list (was it written with --json?)`);
    const rows = parsed.results as unknown[];
    rows.forEach((row, i) => validateRow(row, `${file}, result ${i + 1}`));
    const keys = (rows as CheckResult[]).map(rowKey);
    const signature = keys.join('\n');
    if (firstKeys === undefined) firstKeys = signature;
    else if (signature !== firstKeys) throw new UsageError(`cannot merge ${file}: it checked other models, variants, configurations or properties than ${files[0]} (shards of one run check the same rows)`);
    const seed = (rows as CheckResult[]).find((r) => r.mode !== 'exhaustive')?.seed;
    if (seed !== undefined && seeds.has(seed)) throw new UsageError(`cannot merge ${file}: it is the same shard as ${seeds.get(seed)} (both seed ${seed}); each shard once`);
    seeds.set(seed, file);
    for (const r of rows as CheckResult[]) groups.set(rowKey(r), [...(groups.get(rowKey(r)) ?? []), r]);
  }
  return revisitVacuity([...groups.values()].map(mergeRows), models);
}

const rowKey = (r: Pick<CheckResult, 'model' | 'variant' | 'config' | 'property' | 'mode'>) => [r.model, r.variant, r.config, r.property, r.mode].join('\u0000');

/** A row of another shape would crash the merge later: name the first field that is wrong. */
function validateRow(row: unknown, where: string): void {
  const r = row as Record<string, unknown>;
  const text = (k: string) => typeof r?.[k] === 'string';
  const count = (k: string) => typeof r?.[k] === 'number' && Number.isFinite(r[k]);
  const problem =
    typeof row !== 'object' || row === null ? 'it is not an object'
    : !['model', 'variant', 'config', 'property', 'kind'].every(text) ? `one of model, variant, config, property, kind is missing or not text`
    : !MODES.has(r.mode as string) ? `mode '${String(r.mode)}' is not exhaustive, random or scheduler`
    : !VERDICTS.has(r.verdict as string) ? `verdict '${String(r.verdict)}' is not one the checker gives`
    : !['states', 'transitions', 'depth', 'seconds'].every(count) ? 'one of states, transitions, depth, seconds is not a number'
    : undefined;
  if (problem) throw new UsageError(`cannot merge ${where}: ${problem}`);
}

function mergeRows(rows: CheckResult[]): CheckResult {
  if (rows.length === 1 || rows[0]!.mode === 'exhaustive') return rows[0]!;
  // A shard's `vacuous` is its own coverage speaking; the merged coverage decides again below.
  const plain = rows.map((r) => (r.verdict === 'vacuous' ? { ...r, verdict: 'holds' as const } : r));
  // For sometimes properties a reached example is the finding; for the rest a violation is.
  const finding = plain[0]!.kind === 'sometimes' ? 'holds' : 'violated';
  const found = plain.filter((r) => r.verdict === finding);
  const decisive = plain.find((r) => r.verdict === 'error') ?? (found.length ? found.reduce((a, b) => ((b.traceLength ?? Infinity) < (a.traceLength ?? Infinity) ? b : a)) : plain.reduce((a, b) => (RANK[b.verdict]! < RANK[a.verdict]! ? b : a)));
  const coverages = rows.map((r) => r.coverage).filter((c) => c !== undefined);
  return {
    ...decisive,
    states: rows.reduce((n, r) => n + r.states, 0),
    transitions: rows.reduce((n, r) => n + r.transitions, 0),
    depth: Math.max(...rows.map((r) => r.depth)),
    seconds: rows.reduce((n, r) => n + r.seconds, 0),
    runs: rows.reduce((n, r) => n + (r.runs ?? r.states), 0),
    coverage: coverages.length === rows.length && coverages.length > 0 ? mergeCoverage(coverages) : decisive.coverage,
    note: `merged from ${rows.length} shards (seeds ${rows.map((r) => r.seed).join(', ')}); ${(decisive.note ?? '').replace(/^vacuous: .*/, '')}`.replace(/; $/, '').trim(),
  };
}

/** Each merged instance (model, variant, configuration, mode) judged for vacuity on its merged coverage. */
function revisitVacuity(rows: CheckResult[], models: ReadonlyArray<ModelDefinition<any>>): CheckResult[] {
  const instances = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (r.mode !== 'random' || !r.coverage) return;
    const key = [r.model, r.variant, r.config].join('\u0000');
    instances.set(key, [...(instances.get(key) ?? []), i]);
  });
  const out = [...rows];
  for (const indices of instances.values()) {
    const group = indices.map((i) => rows[i]!);
    const variant = models.find((m) => m.name === group[0]!.model)?.variants[group[0]!.variant];
    markVacuous(group, group[0]!.coverage!, variant).forEach((r, k) => (out[indices[k]!] = r));
  }
  return out;
}
