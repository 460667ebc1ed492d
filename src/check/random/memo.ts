/**
 * A memo of a pure function of a world state, for random search: runs revisit
 * the same states again and again (every run starts from the initial state,
 * and settling walks the protocol's own paths), so enabled actions and
 * property verdicts are asked for far more often than there are distinct
 * states. Bounded: past `capacity` entries it starts afresh, which keeps
 * memory flat on large configurations and changes no answer.
 */
export class StateMemo<V> {
  private readonly answers = new Map<string, V>();

  constructor(private readonly capacity = 100_000) {}

  get(state: string, compute: (state: string) => V): V {
    const known = this.answers.get(state);
    if (known !== undefined || this.answers.has(state)) return known as V;
    const answer = compute(state);
    if (this.answers.size >= this.capacity) this.answers.clear();
    this.answers.set(state, answer);
    return answer;
  }
}
