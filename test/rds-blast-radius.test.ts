import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../models/rds-blast-radius/prng.js';
import { impairedCorrelated, impairedIndependent, volumesForIndependent, wilson } from '../models/rds-blast-radius/probability.js';
import { blastRadiusReport, blastRadiusRows, DEFAULT_REPORT, DENOMINATORS, POSTMORTEM, PRIMARY_SHARES } from '../models/rds-blast-radius/report.js';
import { postmortemSections } from '../src/docs/postmortem.js';

/** The SVG of one panel, and its frame. */
function panel(svg: string, k: number): { body: string; top: number; height: number } {
  const m = new RegExp(`<g id="panel-${k}" data-top="([\\d.]+)" data-height="([\\d.]+)">([\\s\\S]*?)</g>`).exec(svg);
  expect(m, `panel ${k}`).not.toBeNull();
  return { top: Number(m![1]), height: Number(m![2]), body: m![3]! };
}
const numbers = (text: string, attribute: string) => [...text.matchAll(new RegExp(`${attribute}="([\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

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

  test('has a title for both kinds of database and one panel per question', () => {
    const { markdown, svg } = blastRadiusReport(DEFAULT_REPORT);
    expect(markdown.split('\n')[0]).toBe('# RDS blast radius in the affected zone: single-AZ and multi-AZ');
    expect(svg).toContain('>RDS blast radius in the affected zone: single-AZ and multi-AZ databases</text>');
    const titles = [1, 2, 3].map((k) => new RegExp(`<text[^>]*>(${k}\\. [^<]*)</text>`).exec(panel(svg, k).body)?.[1]);
    expect(titles.every((t) => t !== undefined && t.includes('?'))).toBe(true);
    expect(svg).not.toMatch(/<g id="panel-4"/);
  });

  test('draws every 95% interval tall enough to see where simulation is compared with the closed form', () => {
    const { svg, rows } = blastRadiusReport(DEFAULT_REPORT);
    const bars = [...panel(svg, 2).body.matchAll(/<line class="interval" x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)"/g)].map((m) => Math.abs(Number(m[2]) - Number(m[1])));
    expect(bars).toHaveLength(rows.length * 2);
    expect(Math.min(...bars)).toBeGreaterThan(20);
    // In the first panel too, each interval is drawn (beside its curve, with caps), if small.
    expect([...panel(svg, 1).body.matchAll(/class="interval"/g)]).toHaveLength(rows.length * 2);
  });

  test('gives the multi-AZ lines a panel and a log scale of their own, so they are not flattened', () => {
    const { svg } = blastRadiusReport(DEFAULT_REPORT);
    const { body, height } = panel(svg, 3);
    const lines = [...body.matchAll(/<polyline class="multi-az" data-share="[\d.]+" points="([^"]+)"/g)].map((m) => m[1]!.split(' ').map((p) => Number(p.split(',')[1])));
    expect(lines).toHaveLength(PRIMARY_SHARES.length);
    for (const ys of lines) expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(height / 4);
    expect(panel(svg, 1).body).not.toContain('multi-az');
  });

  test('reads each percentage against the denominator the postmortem states', () => {
    const rds = postmortemSections().map((s) => s.text).join('\n');
    const sentenceWith = (figure: string) => rds.split(/(?<=\.)\s+/).find((s) => s.includes(figure))!;
    // The postmortem's own words for each population.
    expect(sentenceWith('2.5%')).toMatch(/Of multi-AZ database instances in the US East Region, 2\.5%/);
    expect(sentenceWith('45%')).toMatch(/In the primary affected Availability Zone, a peak of 45% of single-AZ instances/);
    expect(sentenceWith('about 13%')).toMatch(/13% of the volumes in the affected Availability Zone/);
    expect(sentenceWith('additional 5%')).toMatch(/additional 5% of the volumes in the affected Availability Zone/);
    const { markdown, json, rows } = blastRadiusReport(DEFAULT_REPORT);
    for (const phrase of Object.values(DENOMINATORS)) expect(markdown).toContain(phrase);
    expect(DENOMINATORS.failoverMiss).toContain('whole US East Region');
    // The 2.5% is of the region, so of the stuck primaries a larger share missed failover: 2.5% / (z × f(k)).
    for (const r of rows) {
      PRIMARY_SHARES.forEach((z, i) => expect(r.multiAzMissed[i]).toBeCloseTo(Math.min(1, POSTMORTEM.failoverMiss / (z * r.independent.exact)), 5));
      expect(r.multiAzMissed[0]).toBeGreaterThan(POSTMORTEM.failoverMiss);
    }
    expect(markdown).not.toContain('read here as the share of impaired primaries');
    // The peak of stuck volumes lies between 13% and 13% + 5%: the band's upper edge.
    expect(json.parameters.stuckAtMost).toBeCloseTo(0.18, 9);
    expect(rows[0]!.independentAtMost).toBeCloseTo(0.18, 6);
    expect(json.findings.volumesForTargetIndependentAtMost).toBeCloseTo(Math.log(0.55) / Math.log(0.82), 5);
  });
});
