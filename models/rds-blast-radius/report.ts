import { impairedCorrelated, impairedIndependent, volumesForIndependent, wilson } from './probability.js';
import { seedFor, simulateImpaired } from './simulate.js';
import { blastRadiusSvg } from './svg.js';

/**
 * The RDS blast-radius check of issue 6, one question per panel: if about 13%
 * (at most 18%) of a zone's EBS volumes are stuck, what fraction of single-AZ
 * databases striped over k volumes is inoperable, and for which k does the
 * postmortem's 45% follow? Does the simulation agree with the closed form? And
 * what does the multi-AZ 2.5%, a share of the whole region, say about the
 * databases whose primary was stuck?
 */

/** The seed and sample size of the committed docs/rds-blast-radius.md. */
export const DEFAULT_REPORT = { seed: 2011, trials: 20_000 } as const;

/** Figures from the postmortem, each with the denominator it states. */
export const POSTMORTEM = {
  /** Of the EBS volumes in the affected Availability Zone: as the re-mirroring storm set in, and again (net) when the cluster stopped degrading. */
  stuckVolumes: 0.13,
  /** Of the EBS volumes in the affected Availability Zone: stuck in between by nodes the race condition crashed, while others recovered. */
  additionalStuck: 0.05,
  /** Of the single-AZ database instances in the affected Availability Zone, at the peak. */
  impairedInstances: 0.45,
  /** Of the multi-AZ database instances in the whole US East Region: did not fail over after their primary's I/O got stuck. */
  failoverMiss: 0.025,
} as const;

/** The denominators as the page states them. */
export const DENOMINATORS = {
  stuckVolumes: 'of the EBS volumes in the affected Availability Zone',
  impairedInstances: 'of the single-AZ database instances in the affected Availability Zone, at the peak',
  failoverMiss: 'of the multi-AZ database instances in the whole US East Region',
} as const;

/** Shares of the region's multi-AZ instances with their primary in the affected zone, for which the multi-AZ panel is drawn (the postmortem does not state it). */
export const PRIMARY_SHARES = [1, 0.5, 0.25] as const;

export interface Estimate {
  exact: number;
  simulated: number;
  /** Wilson 95% interval of the simulated fraction. */
  low: number;
  high: number;
  impaired: number;
  trials: number;
}

export interface BlastRadiusRow {
  k: number;
  /** At the quoted 13% of volumes stuck. */
  independent: Estimate;
  correlated: Estimate;
  /** The exact fractions if the peak was 13% + 5% = 18% of volumes stuck (no stuck volume recovering meanwhile). */
  independentAtMost: number;
  correlatedAtMost: number;
  /**
   * Multi-AZ: of the instances whose primary was stuck (a share f(k) of the
   * zone's, as for single-AZ at 13%), the share that did not fail over, per
   * share z of the region's multi-AZ primaries in the zone (PRIMARY_SHARES):
   * 2.5% of the region / (z × f(k)), capped at 1.
   */
  multiAzMissed: number[];
}

export interface BlastRadiusOptions {
  seed: number;
  trials: number;
  /** Probability that a volume shares its database's common node. */
  rho?: number;
  maxVolumes?: number;
}

export interface BlastRadiusReport {
  rows: BlastRadiusRow[];
  markdown: string;
  svg: string;
  json: BlastRadiusJson;
}

export interface BlastRadiusJson {
  parameters: { seed: number; trials: number; stuckVolumes: number; stuckAtMost: number; rho: number; target: number; failoverMiss: number; primaryShares: number[] };
  rows: BlastRadiusRow[];
  findings: {
    /** The real k at which independent stuck volumes give the postmortem's fraction, at 13% stuck and at the most 18%. */
    volumesForTargetIndependent: number;
    volumesForTargetIndependentAtMost: number;
    /** The least whole k whose exact fraction reaches the target, per placement. */
    leastVolumesIndependent: number | null;
    leastVolumesCorrelated: number | null;
    /** The least whole k whose simulated 95% interval reaches the target: where it becomes plausible, per placement. */
    plausibleFromIndependent: number | null;
    plausibleFromCorrelated: number | null;
  };
}

function estimate(exact: number, impaired: number, trials: number): Estimate {
  const { low, high } = wilson(impaired, trials);
  return { exact: round(exact), simulated: round(impaired / trials), low: round(low), high: round(high), impaired, trials };
}

/** Rounded so the JSON and the text are the same on every platform. */
const round = (v: number) => Math.round(v * 1e6) / 1e6;
const pct = (v: number, digits = 1) => `${(v * 100).toFixed(digits)}%`;

export function blastRadiusRows(options: BlastRadiusOptions): BlastRadiusRow[] {
  const p = POSTMORTEM.stuckVolumes;
  const rho = options.rho ?? 0.5;
  const rows: BlastRadiusRow[] = [];
  for (let k = 1; k <= (options.maxVolumes ?? 8); k++) {
    const independent = simulateImpaired({ seed: seedFor(options.seed, 0, k), trials: options.trials, p, k, rho: 0 });
    const correlated = simulateImpaired({ seed: seedFor(options.seed, 1, k), trials: options.trials, p, k, rho });
    const exact = impairedIndependent(p, k);
    rows.push({
      k,
      independent: estimate(exact, independent, options.trials),
      correlated: estimate(impairedCorrelated(p, k, rho), correlated, options.trials),
      independentAtMost: round(impairedIndependent(p + POSTMORTEM.additionalStuck, k)),
      correlatedAtMost: round(impairedCorrelated(p + POSTMORTEM.additionalStuck, k, rho)),
      multiAzMissed: PRIMARY_SHARES.map((z) => round(Math.min(1, POSTMORTEM.failoverMiss / (z * exact)))),
    });
  }
  return rows;
}

export function blastRadiusReport(options: BlastRadiusOptions): BlastRadiusReport {
  const rho = options.rho ?? 0.5;
  const rows = blastRadiusRows(options);
  const target = POSTMORTEM.impairedInstances;
  const least = (key: 'independent' | 'correlated') => rows.find((r) => r[key].exact >= target)?.k ?? null;
  const plausibleFrom = (key: 'independent' | 'correlated') => rows.find((r) => r[key].high >= target)?.k ?? null;
  const json: BlastRadiusJson = {
    parameters: {
      seed: options.seed,
      trials: options.trials,
      stuckVolumes: POSTMORTEM.stuckVolumes,
      stuckAtMost: round(POSTMORTEM.stuckVolumes + POSTMORTEM.additionalStuck),
      rho,
      target,
      failoverMiss: POSTMORTEM.failoverMiss,
      primaryShares: [...PRIMARY_SHARES],
    },
    rows,
    findings: {
      volumesForTargetIndependent: round(volumesForIndependent(POSTMORTEM.stuckVolumes, target)),
      volumesForTargetIndependentAtMost: round(volumesForIndependent(POSTMORTEM.stuckVolumes + POSTMORTEM.additionalStuck, target)),
      leastVolumesIndependent: least('independent'),
      leastVolumesCorrelated: least('correlated'),
      plausibleFromIndependent: plausibleFrom('independent'),
      plausibleFromCorrelated: plausibleFrom('correlated'),
    },
  };
  const svg = blastRadiusSvg(rows, { p: POSTMORTEM.stuckVolumes, pAtMost: POSTMORTEM.stuckVolumes + POSTMORTEM.additionalStuck, rho, target, failoverMiss: POSTMORTEM.failoverMiss, shares: PRIMARY_SHARES });
  return { rows, markdown: markdown(json), svg, json };
}

function markdown(report: BlastRadiusJson): string {
  const { parameters: P, rows, findings: F } = report;
  const interval = (e: Estimate) => `${pct(e.simulated)} [${pct(e.low)}, ${pct(e.high)}]`;
  const below = Math.floor(F.volumesForTargetIndependent);
  const belowAtMost = Math.floor(F.volumesForTargetIndependentAtMost);
  const kOrBeyond = (k: number | null) => (k === null ? `beyond k = ${rows.length}` : `k = ${k}`);
  const byK = (k: number | null) => (k === null ? undefined : rows.find((r) => r.k === k));
  const share = (z: number) => (z === 1 ? 'z = 1' : `z = 1/${Math.round(1 / z)}`);
  const atK = byK(F.leastVolumesIndependent);
  const lines = [
    '# RDS blast radius in the affected zone: single-AZ and multi-AZ',
    '',
    '<!-- Generated by npm run docs; do not edit by hand. -->',
    '',
    "The postmortem's RDS section gives three percentages, each of a different population:",
    '',
    `- about ${pct(P.stuckVolumes, 0)} ${DENOMINATORS.stuckVolumes} were stuck (as the re-mirroring storm set in, and again, net, when the cluster stopped degrading; in between another ${pct(POSTMORTEM.additionalStuck, 0)} of them got stuck while others recovered, so at the peak between ${pct(P.stuckVolumes, 0)} and ${pct(P.stuckAtMost, 0)});`,
    `- ${pct(P.target, 0)} ${DENOMINATORS.impairedInstances}, were impaired, because a database stripes its data over several volumes and stops when any one of them is stuck;`,
    `- ${pct(P.failoverMiss)} ${DENOMINATORS.failoverMiss} did not fail over automatically after their primary's I/O got stuck.`,
    '',
    'This page asks one question per panel: how many volumes per database make the second figure follow from the first; whether the simulation behind the table agrees with the closed form; and what the third says about the multi-AZ databases whose primary was actually stuck.',
    '',
    '## Model',
    '',
    `- A single-AZ database uses k volumes and is impaired when at least one is stuck. Each volume is stuck with probability p = ${P.stuckVolumes} (and, for the upper edge of the bands, ${P.stuckAtMost}).`,
    '- **Independent**: volumes are stuck independently, so the impaired fraction is exactly 1 - (1 - p)^k.',
    `- **Shared node** (rho = ${P.rho}): each volume of a database lands, with probability rho, on one node the database shares, and otherwise on a node of its own. ` +
      'Nodes fail as a group: all volumes on a node are stuck together, with probability p, so each volume is still stuck with probability p. ' +
      'Exactly: 1 - [(1 - p)(rho + (1 - rho)(1 - p))^k + p((1 - rho)(1 - p))^k].',
    `- **Simulation**: ${P.trials.toLocaleString('en-US')} databases per k and placement at p = ${P.stuckVolumes}, drawn with a seeded mulberry32 generator (seed ${P.seed}); ` +
      'the interval is the Wilson 95% score interval.',
    `- **Multi-AZ**: a multi-AZ primary is striped like a single-AZ database, so a share f(k) of the primaries in the zone got stuck (independent placement, p = ${P.stuckVolumes}). ` +
      `The ${pct(P.failoverMiss)} is a share of all the region's multi-AZ instances, and only those with their primary in the affected zone could get stuck: if that is a share z of them, ` +
      `the share of stuck primaries that did not fail over is ${pct(P.failoverMiss)} / (z × f(k)). The postmortem does not state z; z = 1 gives the least value, and the table and plot also show ${P.primaryShares.filter((z) => z !== 1).map(share).join(' and ')}.`,
    '',
    '## Results',
    '',
    'The multi-AZ columns are the share of multi-AZ instances whose primary was stuck that did not fail over, for each share z.',
    '',
    `| k | independent, exact (${pct(P.stuckVolumes, 0)} … ${pct(P.stuckAtMost, 0)} stuck) | independent, simulated [95%] | shared node, exact (${pct(P.stuckVolumes, 0)} … ${pct(P.stuckAtMost, 0)}) | shared node, simulated [95%] | ${P.primaryShares.map((z) => `multi-AZ, not failed over, ${share(z)}`).join(' | ')} |`,
    `|---:|---:|---:|---:|---:|${P.primaryShares.map(() => '---:|').join('')}`,
    ...rows.map(
      (r) =>
        `| ${r.k} | ${pct(r.independent.exact)} … ${pct(r.independentAtMost)} | ${interval(r.independent)} | ${pct(r.correlated.exact)} … ${pct(r.correlatedAtMost)} | ${interval(r.correlated)} | ${r.multiAzMissed.map((m) => pct(m)).join(' | ')} |`,
    ),
    '',
    '![One panel per question: impaired single-AZ databases against volumes per database; simulation minus closed form; multi-AZ stuck primaries that did not fail over](rds-blast-radius.svg)',
    '',
    '## Findings',
    '',
    `- With independent volumes and ${pct(P.stuckVolumes, 0)} stuck, ${pct(P.target, 0)} is reached at k = ${F.volumesForTargetIndependent.toFixed(2)}: ` +
      `between k = ${below} (${pct(byK(below)?.independent.exact ?? 0)}) and k = ${below + 1} (${pct(byK(below + 1)?.independent.exact ?? 0)}); with ${pct(P.stuckAtMost, 0)} stuck, at k = ${F.volumesForTargetIndependentAtMost.toFixed(2)}. ` +
      `At ${pct(P.stuckVolumes, 0)}, ${pct(P.target, 0)} becomes plausible at ${kOrBeyond(F.plausibleFromIndependent)}, the least k whose simulated 95% interval reaches it.`,
    `- So ${pct(P.target, 0)} follows for databases of about ${belowAtMost} to ${below + 1} volumes with little correlation, from the reported volume figures alone.`,
    `- Correlation shrinks the blast radius: volumes that share a node are stuck together, so fewer databases are touched. With rho = ${P.rho} and ${pct(P.stuckVolumes, 0)} stuck the least k reaching ${pct(P.target, 0)} is ` +
      `${kOrBeyond(F.leastVolumesCorrelated)}, and it becomes plausible at ${kOrBeyond(F.plausibleFromCorrelated)}.`,
    `- The simulation agrees with the closed form (second panel): ${covering(rows)} of its ${rows.length * 2} 95% intervals contain the exact fraction, and no simulated fraction is more than ${maxDeviation(rows)} percentage points from it.`,
    `- Multi-AZ: the ${pct(P.failoverMiss)} is of the whole region's multi-AZ instances, not of those whose primary was stuck, so it understates how often failover failed where it was needed. ` +
      (atK
        ? `At k = ${atK.k}, where f(k) = ${pct(atK.independent.exact)}, at least ${pct(atK.multiAzMissed[0]!)} of the multi-AZ instances whose primary was stuck did not fail over (z = 1), and ${pct(atK.multiAzMissed[atK.multiAzMissed.length - 1]!)} if a ${P.primaryShares[P.primaryShares.length - 1] === 0.25 ? 'quarter' : 'share ' + P.primaryShares[P.primaryShares.length - 1]} of the region's primaries were in the zone. `
        : '') +
      'The failover model in models/rds-failover shows why that share was not zero in 2011 (a partition followed by stuck I/O left the agent unable to tell whether failover was safe) and a design that removes it.',
    '',
    '## Regenerate',
    '',
    '```',
    'npm run docs',
    '```',
    '',
  ];
  return lines.join('\n');
}

/** How many of the simulated intervals contain their closed form. */
function covering(rows: readonly BlastRadiusRow[]): number {
  return rows.flatMap((r) => [r.independent, r.correlated]).filter((e) => e.low <= e.exact && e.exact <= e.high).length;
}

/** The largest distance, in percentage points, between a simulated fraction and its closed form. */
function maxDeviation(rows: readonly BlastRadiusRow[]): string {
  const worst = Math.max(...rows.flatMap((r) => [r.independent, r.correlated].map((e) => Math.abs(e.simulated - e.exact))));
  return (worst * 100).toFixed(2);
}
