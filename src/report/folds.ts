import { canonicalJson } from '../world/canonical-json.js';

/**
 * A trace cut into what a reader is told: single steps, and blocks of 1 to 4
 * steps taken again and again in a row (a retry loop, a counter saturating),
 * told once and summed up. Story, Mermaid diagram and HTML page fold alike.
 */
export type Segment = { kind: 'step'; index: number } | { kind: 'repeat'; start: number; length: number; times: number };

/** Folds the steps before `loopFrom` (a lasso's loop is told as it is) and, inside the loop, repeats too. */
export function foldTrace(steps: readonly unknown[], loopFrom?: number): Segment[] {
  const keys = steps.map((s) => canonicalJson(s));
  const segments: Segment[] = [];
  for (let i = 0; i < steps.length; ) {
    const end = loopFrom !== undefined && i < loopFrom ? loopFrom : steps.length;
    const repeat = repeatedBlock(keys, i, end);
    if (repeat) {
      segments.push({ kind: 'repeat', start: i, ...repeat });
      i += repeat.length * repeat.times;
    } else {
      segments.push({ kind: 'step', index: i });
      i++;
    }
  }
  return segments;
}

/** Whether the steps from `start` begin a block taken at least three times in a row before `end`. */
function repeatedBlock(keys: readonly string[], start: number, end: number): { length: number; times: number } | undefined {
  for (let length = 1; length <= 4; length++) {
    let times = 1;
    while (start + (times + 1) * length <= end && keys.slice(start + times * length, start + (times + 1) * length).join() === keys.slice(start, start + length).join()) times++;
    if (times >= 3) return { length, times };
  }
  return undefined;
}

/** "5–8. the same step again, 3 more times": the line after a block told once (1-based step numbers). */
export function repeatLine(segment: Extract<Segment, { kind: 'repeat' }>): string {
  const first = segment.start + segment.length + 1;
  const last = segment.start + segment.length * segment.times;
  const what = segment.length === 1 ? 'step' : `${segment.length} steps`;
  return `${first}–${last}. the same ${what} again, ${segment.times - 1} more time${segment.times > 2 ? 's' : ''}`;
}
