/**
 * Greedy delta debugging over a failing sequence: remove chunks (halves, then
 * quarters, down to single steps) while the sequence still fails, until no
 * single step can be removed. The result is 1-minimal: dropping any one step
 * loses the failure (or makes the sequence impossible).
 */
export function reduceSequence<T>(steps: readonly T[], stillFails: (candidate: readonly T[]) => boolean): T[] {
  let current = steps.slice();
  let chunk = Math.max(1, Math.floor(current.length / 2));
  while (current.length > 0) {
    let removedAny = false;
    for (let start = 0; start < current.length; ) {
      const candidate = current.slice(0, start).concat(current.slice(start + chunk));
      if (candidate.length < current.length && stillFails(candidate)) {
        current = candidate;
        removedAny = true;
      } else {
        start += chunk;
      }
    }
    if (chunk === 1 && !removedAny) break;
    if (!removedAny) chunk = Math.max(1, Math.floor(chunk / 2));
  }
  return current;
}
