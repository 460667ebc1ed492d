import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replicaElection } from '../../properties/replica-election.js';
import { asExpected, checkedConfigs, checkExhaustive, instantiate, type CheckResult } from '../../src/index.js';
import { checkRandom } from '../../src/check/random.js';

const variants = Object.keys(replicaElection.variants);
const cache = new Map<string, CheckResult[]>();
/** One exhaustive check per (variant, configuration), shared by the tests below. */
const exhaustive = (variant: string, config: string) => {
  const key = `${variant}/${config}`;
  if (!cache.has(key)) cache.set(key, checkExhaustive(instantiate(replicaElection, variant, config)));
  return cache.get(key)!;
};
const mustBreak = (variant: string) => ['as-it-happened', 'without-safeguard', 'ablation', 'failed-fix'].includes(replicaElection.variants[variant]!.kind!);
const row = (rows: CheckResult[], property: string) => rows.find((r) => r.property === property)!;

describe('replica election: every variant gets its expected verdicts on the configurations it is checked on', () => {
  for (const variant of variants) {
    for (const config of checkedConfigs(replicaElection, variant)) {
      it(`${variant} on ${config}, exhaustively`, () => {
        const rows = exhaustive(variant, config);
        const expected = replicaElection.variants[variant]!.expect;
        expect(Object.fromEntries(rows.map((r) => [r.property, r.verdict]))).toEqual(expected);
        expect(rows.filter((r) => !asExpected(r)).map((r) => `${r.property}: ${r.note ?? r.verdict}`)).toEqual([]);
        if (replicaElection.variants[variant]!.kind === 'fixed') expect(rows.every((r) => r.complete)).toBe(true);
      }, 120_000);
    }
  }
});

describe('replica election: random search finds every expected violation', () => {
  for (const variant of variants.filter(mustBreak)) {
    it(`${variant}`, () => {
      for (const config of checkedConfigs(replicaElection, variant)) {
        const rows = checkRandom(instantiate(replicaElection, variant, config), { seed: 1, runs: 1000 });
        const broken = Object.entries(replicaElection.variants[variant]!.expect).filter(([, v]) => v === 'violated').map(([p]) => p);
        for (const property of broken) expect(row(rows, property).verdict, `${variant}/${config} ${property}`).toBe('violated');
      }
    }, 120_000);
  }
});

describe('replica election: the fixed election is exercised, not vacuous', () => {
  const fixed = replicaElection.variants.fixed!;
  const configs = checkedConfigs(replicaElection, 'fixed');

  it('fires every declared fault in every configuration it is verified on', () => {
    for (const config of configs) {
      const coverage = exhaustive('fixed', config)[0]!.coverage!;
      expect(coverage.faults.never, config).toEqual([]);
    }
    const fired = configs.flatMap((c) => exhaustive('fixed', c)[0]!.coverage!.faults.fired);
    expect(fired).toEqual(expect.arrayContaining(['message loss', 'crash r1', 'partition "r1 isolated"']));
  });

  it('takes every transition its safeguards add, in each configuration', () => {
    for (const config of configs) {
      const machines = exhaustive('fixed', config)[0]!.coverage!.machines;
      for (const [name, safeguard] of Object.entries(fixed.safeguards!)) {
        for (const { machine, transition } of safeguard.transitions ?? []) {
          const m = machines.find((x) => x.machine === machine)!;
          expect(m.transitions.missed, `${config}: ${name} (${machine} ${transition})`).not.toContain(transition);
        }
      }
    }
  });

  it('elects a new primary that has a secondary, and fences a stale write, in each configuration', () => {
    for (const config of configs) {
      const rows = exhaustive('fixed', config);
      expect(row(rows, 'reelection-happens').verdict).toBe('holds');
      expect(row(rows, 'stale-write-refused').verdict).toBe('holds');
    }
  });

  it('suspects a live peer: a suspicion fires while the peer is up and connected', () => {
    const rows = exhaustive('fixed', 'three-replicas');
    // The shortest re-election starts with a suspicion and no fault before it.
    const trace = row(rows, 'reelection-happens').trace!;
    const firstSuspicion = trace.findIndex((s) => s.kind === 'request' && s.event.type === 'PEER_LOST');
    expect(firstSuspicion).toBeGreaterThanOrEqual(0);
    expect(trace.slice(0, firstSuspicion).some((s) => ['crash', 'partition', 'drop'].includes(s.kind))).toBe(false);
  });
});

describe('replica election: what the counterexamples say', () => {
  it('the counterfactual without the authority lets two primaries serve', () => {
    const r = row(exhaustive('buggy', 'two-suspicions'), 'single-primary');
    expect(r.witness!.message).toMatch(/^two primaries: r\d \(epoch \d.*\) and r\d \(epoch \d.*\) both serve writes$/);
  });

  it('in 2011 the election stays safe but a volume stays stuck once the control plane is cut off', () => {
    const rows = exhaustive('stuck-2011', 'three-replicas');
    const stuck = row(rows, 'eventually-writable');
    expect(stuck.verdict).toBe('violated');
    expect(stuck.trace!.some((s) => s.kind === 'partition' && s.partition === 'cluster cut off from the control plane')).toBe(true);
    expect(['single-primary', 'primary-granted-by-authority', 'acked-writes-on-primary'].map((p) => row(rows, p).verdict)).toEqual(['holds', 'holds', 'holds']);
  });

  it('the first attempt at the fix breaks through a crash between asking and being granted', () => {
    const r = row(exhaustive('fixed-forgets-its-request', 'two-replicas-crash'), 'primary-granted-by-authority');
    expect(r.trace!.some((s) => s.kind === 'crash')).toBe(true);
    expect(r.trace!.some((s) => s.kind === 'restart')).toBe(true);
  });

  it('cites every passage word for word from the postmortem', () => {
    const postmortem = readFileSync(new URL('../../../shared/domain/aws-2011-ebs-rds-postmortem.md', import.meta.url), 'utf8');
    const quotes = [
      ...Object.values(replicaElection.variants).flatMap((v) => (v.passage ? [v.passage.quote] : [])),
      ...replicaElection.properties.flatMap((p) => (p.guards ? [p.guards.quote] : [])),
    ];
    for (const quote of quotes) expect(postmortem.includes(quote), quote).toBe(true);
  });
});
