import { describe, expect, it } from 'vitest';
import { replicaElection } from '../../properties/replica-election.js';
import { checkExhaustive, instantiate, type CheckResult } from '../../src/index.js';
import { checkRandom } from '../../src/check/random.js';
import { renderStory } from '../../src/report/story.js';

const exhaustive = (variant: string, config?: string) => checkExhaustive(instantiate(replicaElection, variant, config));
const row = (rows: CheckResult[], property: string) => rows.find((r) => r.property === property)!;

describe('replica election, exhaustively', () => {
  it('catches two primaries in the 2011 election and says who they are', () => {
    const r = row(exhaustive('buggy'), 'single-primary');
    expect(r.verdict).toBe('violated');
    expect(r.witness!.message).toMatch(/r1 as primary of epoch 1 .* r2 as primary of epoch 2/);
    expect(r.trace!.some((s) => s.kind === 'partition')).toBe(true);
  });

  it('finds a shortest trace: no violation exists at any smaller depth', () => {
    const r = row(exhaustive('buggy'), 'single-primary');
    const shallower = checkExhaustive(instantiate(replicaElection, 'buggy'), { maxDepth: r.traceLength! - 1 });
    expect(row(shallower, 'single-primary').verdict).toBe('bounded');
    expect(r.depth).toBe(r.traceLength);
  });

  it('verifies the fixed election completely and reaches a re-election', () => {
    for (const config of ['two-replicas', 'two-replicas-crash']) {
      const rows = exhaustive('fixed', config);
      expect(rows.map((r) => [r.property, r.verdict])).toEqual([
        ['single-primary', 'holds'],
        ['acked-writes-on-primary', 'holds'],
        ['reelection-happens', 'holds'],
      ]);
      expect(row(rows, 'single-primary').complete).toBe(true);
    }
  });

  it('loses acknowledged writes in the 2011 election', () => {
    expect(row(exhaustive('buggy'), 'acked-writes-on-primary').verdict).toBe('violated');
  });

  it('tells a two-primaries story in under 25 lines', () => {
    const instance = instantiate(replicaElection, 'buggy');
    const story = renderStory(instance, row(checkExhaustive(instance), 'single-primary'));
    expect(story.length).toBeLessThanOrEqual(25);
    expect(story.join('\n')).toMatchInlineSnapshot(`
      "replica-election/buggy breaks single-primary in 5 steps (exhaustive):
       1. fault: partition "r1 isolated"
       2. timeout: PEER_LOST fires at r1
            r1: members [r2] → []
       3. timeout: PEER_LOST fires at r2
            r2: secondary → negotiating
            r2 → cp: REQUEST_PRIMACY {epoch: 1}
       4. cp receives REQUEST_PRIMACY {epoch: 1} from r2
            cp: epoch 1 → 2, primary r1 → r2, members [r1, r2] → [r2]
            cp → r2: GRANT {epoch: 2}
            cp → instance: NEW_PRIMARY {primary: r2, epoch: 2}
            cp → r1: NEW_PRIMARY {primary: r2, epoch: 2}  (lost: no network between cp and r1)
            [designated primary] r1 (epoch 1) → r2 (epoch 2)
       5. r2 receives GRANT {epoch: 2} from cp
            r2: negotiating → primary, epoch 1 → 2, primary r1 → r2
      Broken: single-primary: two primaries: r1 as primary of epoch 1 (alone, without the control plane designating it) and r2 as primary of epoch 2 (as the control plane designated) both serve writes. (r1 unchanged since step 2, r2 since step 5)"
    `);
  });
});

describe('replica election, randomly', () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('catches the buggy election within 1,000 runs for every seed, and the fixed one survives them', () => {
    for (const seed of seeds.slice(0, 3)) {
      const buggy = checkRandom(instantiate(replicaElection, 'buggy'), { seed, runs: 1000 });
      expect(row(buggy, 'single-primary').verdict).toBe('violated');
      const fixed = checkRandom(instantiate(replicaElection, 'fixed'), { seed, runs: 1000 });
      expect(fixed.map((r) => r.verdict)).toEqual(['holds', 'holds', 'holds']);
    }
  });

  it('reduces its counterexamples to at most one step more than the shortest, in at least 9 of 10 seeds', () => {
    for (const property of ['single-primary', 'acked-writes-on-primary']) {
      const shortest = row(exhaustive('buggy'), property).traceLength!;
      const lengths = seeds.map((seed) => row(checkRandom(instantiate(replicaElection, 'buggy'), { seed, runs: 1000 }), property).traceLength);
      expect(lengths.every((n) => n !== null && n >= shortest)).toBe(true);
      expect(lengths.filter((n) => n! <= shortest + 1).length).toBeGreaterThanOrEqual(9);
    }
  });

  it('is deterministic for a seed', () => {
    const strip = (rows: CheckResult[]) => rows.map(({ seconds, ...rest }) => rest);
    const a = checkRandom(instantiate(replicaElection, 'buggy'), { seed: 7, runs: 500 });
    const b = checkRandom(instantiate(replicaElection, 'buggy'), { seed: 7, runs: 500 });
    expect(strip(a)).toEqual(strip(b));
  });
});
