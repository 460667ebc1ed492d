import { describe, expect, it } from 'vitest';
import { controlPlane } from '../properties/control-plane.js';
import { reMirror } from '../properties/re-mirror.js';
import { rdsFailover } from '../properties/rds-failover.js';
import { replicaElection } from '../properties/replica-election.js';
import { checkRandom, checkedConfigs, instantiate, type CheckResult, type ModelDefinition } from '../src/index.js';
import { replayOnVariant } from '../src/check/replay.js';
import { parseArgs } from '../src/cli/args.js';
import type { Executor } from '../src/check/random/aims.js';
import { settle } from '../src/check/random/settle.js';
import type { WorldAction } from '../src/world/actions.js';

// What a user gets from `npm run check` without options.
const DEFAULTS = parseArgs([]);
const SEEDS = [1, 2, 3, 4, 5];

/** Every (variant, checked configuration, property) a model's variants are expected to break, `sometimes` aside. */
function mustBreak(model: ModelDefinition<any>) {
  return Object.entries(model.variants).flatMap(([variant, v]) =>
    Object.entries(v.expect)
      .filter(([property, verdict]) => verdict === 'violated' && model.properties.find((p) => p.name === property)!.kind !== 'sometimes')
      .flatMap(([property]) => checkedConfigs(model, variant).map((config) => ({ variant, config, property }))),
  );
}

const randomRows = (model: ModelDefinition<any>, variant: string, config: string, seed: number, property?: string) => {
  const instance = instantiate(model, variant, config);
  if (property) instance.properties = instance.properties.filter((p) => p.name === property);
  return checkRandom(instance, { seed, runs: DEFAULTS.runs, strategy: DEFAULTS.strategy });
};

/**
 * Rows the default random search may miss on some seed: none today. The
 * mechanism stays so that a model can declare a gap (`randomSearchGaps`) and
 * this test holds the declaration to the truth: a row missed on every seed
 * tried goes in NEVER_FOUND, one found on some seeds in NOT_ON_EVERY_SEED
 * (this test then asks that some seed of 1–5 still finds it). Remove a row
 * once the search finds it on every seed.
 */
const NEVER_FOUND = new Set<string>([]);
const NOT_ON_EVERY_SEED = new Set<string>([]);
const KNOWN_MISSES = new Set([...NEVER_FOUND, ...NOT_ON_EVERY_SEED]);

describe('the default random search', () => {
  // re-mirror holds the hardest ones (lassos after four faults); rds-failover, control-plane and replica-election the rest of the kinds.
  for (const model of [reMirror, rdsFailover, controlPlane, replicaElection]) {
    it(`finds every violation ${model.name}'s variants must have, on seeds ${SEEDS.join(', ')}, and each replays`, () => {
      const missed: string[] = [];
      for (const { variant, config, property } of mustBreak(model)) {
        const row = `${model.name}/${variant}@${config}/${property}`;
        if (NEVER_FOUND.has(row)) continue;
        if (NOT_ON_EVERY_SEED.has(row)) {
          if (!SEEDS.some((seed) => randomRows(model, variant, config, seed, property)[0]!.verdict === 'violated')) missed.push(`${row}: found on none of seeds ${SEEDS.join(', ')}`);
          continue;
        }
        for (const seed of SEEDS) {
          const row = randomRows(model, variant, config, seed, property)[0]!;
          if (row.verdict !== 'violated') {
            missed.push(`${variant}@${config}/${property} seed ${seed}: ${row.verdict}`);
            continue;
          }
          const replayed = replayOnVariant(model, variant, { config, property, steps: row.trace!, loopFrom: row.loopFrom });
          if (replayed.outcome !== 'breaks') missed.push(`${variant}@${config}/${property} seed ${seed}: its trace does not replay (${replayed.outcome})`);
        }
      }
      expect(mustBreak(model).length).toBeGreaterThan(0);
      // The model declares exactly these rows as random-search gaps (so `npm run check` shows them as gaps, not passes).
      const declared = Object.entries(model.variants).flatMap(([variant, v]) => Object.keys(v.randomSearchGaps ?? {}).flatMap((property) => checkedConfigs(model, variant).map((config) => `${model.name}/${variant}@${config}/${property}`)));
      expect(declared.sort()).toEqual([...KNOWN_MISSES].filter((k) => k.startsWith(`${model.name}/`)).sort());
      // A known miss that the model no longer declares is stale: the list must say what is true today.
      for (const known of KNOWN_MISSES) if (known.startsWith(`${model.name}/`)) expect(mustBreak(model).map((r) => `${model.name}/${r.variant}@${r.config}/${r.property}`)).toContain(known);
      expect(missed).toEqual([]);
    }, 300_000);
  }
});

describe('random search determinism', () => {
  const withoutTime = (rows: CheckResult[]) => rows.map(({ seconds: _seconds, ...rest }) => JSON.stringify(rest));

  it('gives byte-identical rows and counterexamples for the same seed and options', () => {
    const first = randomRows(reMirror, 'ownership-by-request', 'writes', 7);
    const second = randomRows(reMirror, 'ownership-by-request', 'writes', 7);
    expect(first.some((r) => r.verdict === 'violated' && r.trace && r.trace.length > 0)).toBe(true);
    expect(withoutTime(second)).toEqual(withoutTime(first));
  });

  it('draws different behaviours for different seeds', () => {
    const a = randomRows(reMirror, 'ownership-by-request', 'writes', 7);
    const b = randomRows(reMirror, 'ownership-by-request', 'writes', 8);
    expect(withoutTime(b)).not.toEqual(withoutTime(a));
  });
});

describe('settling a behaviour with fair protocol steps', () => {
  // A hand-made executor: a counter modulo `period` that one timer advances; a message can only be dropped (unfair, never settled on).
  const action = (kind: WorldAction['kind'], tag: string): WorldAction => ({ kind, process: 'p', tag, id: `${kind}:${tag}`, descriptor: { kind: 'tick' }, code: 0, arg: 0 });
  const counter = (period: number, stopAt?: number) => {
    let state = 0;
    const taken: string[] = [];
    const executor: Executor = {
      get state() {
        return String(state);
      },
      enabled: () => (state === stopAt ? [action('drop', 'm')] : [action('drop', 'm'), action('timeout', 'T')]),
      isFair: (a) => a.kind === 'timeout',
      unseen: () => [],
      pathToReached: () => [],
      take(a) {
        taken.push(a.id);
        state = (state + 1) % period;
      },
    };
    return { executor, taken };
  };

  it('goes round a cycle until it closes, taking only fair actions', () => {
    const { executor, taken } = counter(3);
    settle(executor, 100, 0);
    expect(taken).toEqual(['timeout:T', 'timeout:T', 'timeout:T']);
  });

  it('stops where nothing fair is enabled, and after its bound', () => {
    const stuck = counter(10, 4);
    settle(stuck.executor, 100, 0);
    expect(stuck.taken.length).toBe(4);
    const bounded = counter(1000);
    settle(bounded.executor, 7, 0);
    expect(bounded.taken.length).toBe(7);
  });
});
