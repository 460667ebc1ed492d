import { checkLinearizable, registerSpec, unorderable, type LinearizabilityResult, type Operation } from '../../src/spec/linearizability.js';
import type { VolumeOp } from './client.js';

type RegisterOperation = Operation<{ type: 'read' } | { type: 'write'; value: number }, number | 'ok'>;

/**
 * An instance's operations on its volume as a history of a register holding
 * the volume's version (0 before the model starts; the write makes it 1). The
 * instance issues one operation at a time, so operation i is called at 2i and,
 * once answered, returns at 2i + 1; one never answered stays pending.
 */
export function asRegisterHistory(process: string, history: ReadonlyArray<VolumeOp>): RegisterOperation[] {
  return history.map((o, i) => ({
    process,
    input: o.op === 'write' ? { type: 'write' as const, value: 1 } : { type: 'read' as const },
    call: 2 * i,
    ...(o.output === undefined ? {} : { ret: 2 * i + 1, output: o.output }),
  }));
}

const spec = registerSpec(0);
// Many states share one history: each distinct one is judged once (the cache is as small as the set of histories).
const verdicts = new Map<string, LinearizabilityResult>();

export function judgeVolumeHistory(history: ReadonlyArray<VolumeOp>): LinearizabilityResult {
  const key = JSON.stringify(history);
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = checkLinearizable(asRegisterHistory('instance', history), spec);
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** For a history that is not linearizable: the operation no order can place, and the ones it came after. */
export function volumeConflict(history: ReadonlyArray<VolumeOp>): { op: number; after: number[] } | undefined {
  const verdict = judgeVolumeHistory(history);
  return verdict.linearizable ? undefined : unorderable(asRegisterHistory('instance', history), verdict);
}

/** An operation as stories name it: "the write", "read 1". */
export function nameVolumeOp(history: ReadonlyArray<VolumeOp>, i: number): string {
  if (history[i]!.op === 'write') return 'the write';
  return `read ${history.slice(0, i + 1).filter((x) => x.op === 'read').length}`;
}

export function describeVolumeOp(o: VolumeOp): string {
  const output = o.output === undefined ? 'pending' : o.op === 'read' ? `version ${o.output}` : o.output;
  return `${o.op}: ${output}`;
}
