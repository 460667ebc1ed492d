import { checkLinearizable, logSpec, unorderable, type LinearizabilityResult, type Operation } from '../../src/spec/linearizability.js';
import { CLIENT } from './messages.js';
import type { ClientOp } from './client.js';

type LogOperation = Operation<{ type: 'append'; value: number } | { type: 'read' }, number[] | 'ok'>;

/**
 * The application's operations as a history of the committed-transactions log:
 * a commit appends its id, a read returns the log. The application issues one
 * operation at a time, so operation i is called at 2i and, once answered,
 * returns at 2i + 1; one never answered stays pending.
 */
export function asLogHistory(history: ReadonlyArray<ClientOp>): LogOperation[] {
  return history.map((o, i) => ({
    process: CLIENT,
    input: o.op === 'commit' ? { type: 'append' as const, value: o.id } : { type: 'read' as const },
    call: 2 * i,
    ...(o.output === undefined ? {} : { ret: 2 * i + 1, output: o.output }),
  }));
}

const spec = logSpec<number>();
// Many states share one history: each distinct history is judged once (the cache is as small as the set of histories).
const verdicts = new Map<string, LinearizabilityResult>();

export function judgeHistory(history: ReadonlyArray<ClientOp>): LinearizabilityResult {
  const key = JSON.stringify(history);
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = checkLinearizable(asLogHistory(history), spec);
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** The operations no order can reconcile, for a history that is not linearizable: the culprit, and the ones it came after. */
export function conflictIn(history: ReadonlyArray<ClientOp>): { op: number; after: number[] } | undefined {
  return unorderable(asLogHistory(history), judgeHistory(history));
}

/** An operation named as the story tells it: "commit 1", "read 2" (the application's second read). */
export function nameOp(history: ReadonlyArray<ClientOp>, i: number): string {
  const o = history[i]!;
  if (o.op === 'commit') return `commit ${o.id}`;
  return `read ${history.slice(0, i + 1).filter((x) => x.op === 'read').length}`;
}
