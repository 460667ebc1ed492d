/**
 * Message chains: runs of consecutive steps in which each step after the
 * first delivers a message an earlier step of the run sent (a request, its
 * grant, the copy the grant starts, its acknowledgement…). A long story tells
 * such a run as one line, the messages named in turn and the run's effects
 * summed up, since what the reader needs is where the exchange led.
 */

/** A step as the chain finder sees it: the key of the message it delivers, if it delivers one, and the keys of those it sent that can still arrive. */
export interface ChainStep {
  delivers?: string;
  sends: readonly string[];
}

/** The steps cut into runs (start index, length), in order, covering every step; a step that continues no chain is a run of one. */
export function messageChains(steps: readonly ChainStep[]): Array<{ start: number; length: number }> {
  const runs: Array<{ start: number; length: number }> = [];
  let inFlight: string[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const at = step.delivers === undefined ? -1 : inFlight.indexOf(step.delivers);
    if (runs.length > 0 && at >= 0) {
      inFlight.splice(at, 1);
      runs[runs.length - 1]!.length++;
      inFlight.push(...step.sends);
    } else {
      runs.push({ start: i, length: 1 });
      inFlight = [...step.sends];
    }
  }
  return runs;
}

/**
 * A headline and its effects in as few lines as read well: on the headline's
 * line when all fit in `width`, else on indented lines below it, each effect
 * on the first of them with room for it (joined by "; "), a new line when none has.
 */
export function packLines(head: string, effects: readonly string[], width: number, indent = '      '): string[] {
  if (effects.length === 0) return [head];
  const joined = `${head} — ${effects.join('; ')}`;
  if (joined.length <= width) return [joined];
  const lines: string[] = [];
  for (const effect of effects) {
    const room = lines.findIndex((line) => indent.length + line.length + 2 + effect.length <= width);
    if (room >= 0) lines[room] = `${lines[room]}; ${effect}`;
    else lines.push(effect);
  }
  return [head, ...lines.map((line) => indent + line)];
}

/** Turns of a chain with a block of one or two taken again and again in a row told once: "(BALL a → b, BALL b → a) × 15". */
export function foldTurns(turns: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < turns.length; ) {
    let folded = false;
    for (const length of [1, 2]) {
      let times = 1;
      const block = turns.slice(i, i + length).join(', ');
      while (i + (times + 1) * length <= turns.length && turns.slice(i + times * length, i + (times + 1) * length).join(', ') === block) times++;
      if (times >= 3) {
        out.push(`${length === 1 ? block : `(${block})`} × ${times}`);
        i += times * length;
        folded = true;
        break;
      }
    }
    if (!folded) out.push(turns[i++]!);
  }
  return out;
}
