import type { LocalFacts } from '../spec/property.js';
import type { World } from './world.js';
import { processView } from './world-view.js';

/**
 * A property's `LocalFacts` compiled against one world: per chosen process, a
 * table from local state id to the bit mask of the facts that hold in it,
 * filled the first time each local state is met. Judging a state is then a
 * table read per chosen process and one call of `finds`.
 */
export class LocalFactTable {
  private readonly chosen: number[];
  private readonly names: string[];
  private readonly tests: Array<LocalFacts['facts'][string]>;
  /** Per chosen process (by position in `chosen`), per local state: the facts' bits, or undefined before first asked. */
  private readonly masks: number[][];
  private readonly tally: Int32Array;
  private readonly counts: Record<string, number> = {};

  constructor(
    private readonly world: World,
    private readonly spec: LocalFacts,
  ) {
    const all = world.processNames;
    this.chosen = (spec.processes ? spec.processes(all) : all).map((name) => world.indexOf(name, 'a property'));
    this.names = Object.keys(spec.facts);
    if (this.names.length > 30) throw new Error('a property declares more than 30 local facts');
    this.tests = this.names.map((name) => spec.facts[name]!);
    this.masks = this.chosen.map(() => []);
    this.tally = new Int32Array(this.names.length);
    for (const name of this.names) this.counts[name] = 0;
  }

  /** What `finds` says of the state whose local state ids are `data[start + p]`. */
  finds(data: Uint16Array | string, start = 0): boolean {
    const tally = this.tally;
    tally.fill(0);
    for (let c = 0; c < this.chosen.length; c++) {
      const p = this.chosen[c]!;
      const local = typeof data === 'string' ? data.charCodeAt(start + p) : data[start + p]!;
      const row = this.masks[c]!;
      let mask = row[local];
      if (mask === undefined) row[local] = mask = this.maskOf(p, local);
      for (let f = 0; mask !== 0; f++, mask >>>= 1) if (mask & 1) tally[f]!++;
    }
    for (let f = 0; f < this.names.length; f++) this.counts[this.names[f]!] = tally[f]!;
    return this.spec.finds(this.counts, this.chosen.length);
  }

  private maskOf(p: number, local: number): number {
    const view = processView(this.world, p, local);
    let mask = 0;
    for (let f = 0; f < this.tests.length; f++) if (this.tests[f]!(view)) mask |= 1 << f;
    return mask;
  }
}
