import { readFileSync } from 'node:fs';
import type { CheckResult } from '../check/result.js';
import { UsageError } from './args.js';

const RANK: Record<string, number> = { error: 0, violated: 1, vacuous: 2, bounded: 3, holds: 4 };

/**
 * Merges the `--json` outputs of sharded runs into one list of rows, in a
 * deterministic way: rows keep the order they first appear in, a counterexample
 * found by any shard wins (the shortest; the earlier file on a tie), work is
 * summed. Exhaustive rows are the same in every shard, so the first is kept.
 */
export function mergeShardOutputs(files: readonly string[]): CheckResult[] {
  const groups = new Map<string, CheckResult[]>();
  for (const file of files) {
    let parsed: { results?: unknown };
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot merge ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not the JSON that --json prints'}`);
    }
    if (!Array.isArray(parsed.results)) throw new UsageError(`cannot merge ${file}: it has no "results" list (was it written with --json?)`);
    for (const r of parsed.results as CheckResult[]) {
      const key = [r.model, r.variant, r.config, r.property, r.mode].join('\u0000');
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  }
  return [...groups.values()].map(mergeRows);
}

function mergeRows(rows: CheckResult[]): CheckResult {
  if (rows.length === 1 || rows[0]!.mode === 'exhaustive') return rows[0]!;
  // For sometimes properties a reached example is the finding; for the rest a violation is.
  const finding = rows[0]!.kind === 'sometimes' ? 'holds' : 'violated';
  const found = rows.filter((r) => r.verdict === finding);
  const decisive = rows.find((r) => r.verdict === 'error') ?? (found.length ? found.reduce((a, b) => ((b.traceLength ?? Infinity) < (a.traceLength ?? Infinity) ? b : a)) : rows.reduce((a, b) => (RANK[b.verdict]! < RANK[a.verdict]! ? b : a)));
  return {
    ...decisive,
    states: rows.reduce((n, r) => n + r.states, 0),
    transitions: rows.reduce((n, r) => n + r.transitions, 0),
    depth: Math.max(...rows.map((r) => r.depth)),
    seconds: rows.reduce((n, r) => n + r.seconds, 0),
    runs: rows.reduce((n, r) => n + (r.runs ?? r.states), 0),
    note: `merged from ${rows.length} shards (seeds ${rows.map((r) => r.seed).join(', ')}); ${decisive.note ?? ''}`.trim(),
  };
}
