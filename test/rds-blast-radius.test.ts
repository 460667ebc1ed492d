import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../models/rds-blast-radius/prng.js';
import { impairedCorrelated, impairedIndependent, volumesForIndependent, wilson } from '../models/rds-blast-radius/probability.js';
import { blastRadiusReport, blastRadiusRows, DEFAULT_REPORT } from '../models/rds-blast-radius/report.js';

describe('rds-blast-radius: closed forms', () => {
  test('independent and shared-node forms agree at their limits and keep the per-volume marginal', () => {
    for (let k = 1; k <= 8; k++) {
      expect(impairedCorrelated(0.13, k, 0)).toBeCloseTo(impairedIndependent(0.13, k), 12);
      // All volumes on one node: the database is hit exactly as often as one volume.
      expect(impairedCorrelated(0.13, k, 1)).toBeCloseTo(0.13, 12);
    }
    expect(impairedIndependent(0.13, 1)).toBeCloseTo(0.13, 12);
    expect(impairedIndependent(0.13, volumesForIndependent(0.13, 0.45))).toBeCloseTo(0.45, 12);
  });

  test('Wilson interval of a known case', () => {
    // 50 of 100: centre 0.5, half-width 1.96*sqrt(0.25/100 + 1.96^2/40000)/(1 + 1.96^2/100).
    const { low, high } = wilson(50, 100);
    expect(low).toBeCloseTo(0.4038, 4);
    expect(high).toBeCloseTo(0.5962, 4);
  });
});

describe('rds-blast-radius: simulation', () => {
  test('mulberry32 is deterministic and spread over [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  });

  test('at the published seed, every simulated fraction lies in its interval around the closed form', () => {
    for (const row of blastRadiusRows({ seed: 2011, trials: 20_000 })) {
      for (const e of [row.independent, row.correlated]) {
        expect(e.low).toBeLessThanOrEqual(e.exact);
        expect(e.exact).toBeLessThanOrEqual(e.high);
      }
    }
  });

  test('over many seeds the 95% intervals cover the closed form about 95% of the time (no bias)', () => {
    let covered = 0;
    let total = 0;
    for (let seed = 1; seed <= 12; seed++) {
      for (const row of blastRadiusRows({ seed, trials: 4_000 })) {
        for (const e of [row.independent, row.correlated]) {
          total++;
          if (e.low <= e.exact && e.exact <= e.high) covered++;
        }
      }
    }
    // 192 intervals; coverage below 88% would be a 1-in-10^4 event for an unbiased simulation.
    expect(covered / total).toBeGreaterThan(0.88);
  });
});

describe('rds-blast-radius: the report', () => {
  test('is byte-identical for a seed, and differs for another seed', () => {
    const a = blastRadiusReport({ seed: 2011, trials: 5_000 });
    const b = blastRadiusReport({ seed: 2011, trials: 5_000 });
    expect(a.markdown).toBe(b.markdown);
    expect(a.svg).toBe(b.svg);
    expect(JSON.stringify(a.json)).toBe(JSON.stringify(b.json));
    expect(blastRadiusReport({ seed: 2012, trials: 5_000 }).markdown).not.toBe(a.markdown);
  });

  test('places the postmortem figure between four and five independent volumes', () => {
    const { json } = blastRadiusReport({ seed: 2011, trials: 20_000 });
    expect(json.findings.volumesForTargetIndependent).toBeCloseTo(4.29, 2);
    expect(json.findings.leastVolumesIndependent).toBe(5);
    expect(json.findings.plausibleFromIndependent).toBe(5);
    // Correlation concentrates failures: more volumes are needed for the same fraction.
    expect(json.findings.leastVolumesCorrelated!).toBeGreaterThan(5);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test('the committed docs are what the generator writes', () => {
    const { markdown, svg } = blastRadiusReport(DEFAULT_REPORT);
    expect(readFileSync(new URL('../docs/rds-blast-radius.md', import.meta.url), 'utf8')).toBe(markdown);
    expect(readFileSync(new URL('../docs/rds-blast-radius.svg', import.meta.url), 'utf8')).toBe(svg);
  });
});
