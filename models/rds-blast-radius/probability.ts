/**
 * Closed forms for the single-AZ blast radius: a database striped over k EBS
 * volumes is inoperable when any one of them is stuck.
 */

/** Volumes stuck independently, each with probability p. */
export function impairedIndependent(p: number, k: number): number {
  return 1 - (1 - p) ** k;
}

/**
 * Node-correlated placement: each of the k volumes lands, with probability rho,
 * on one node the database shares (so those volumes stick together), otherwise
 * on a node of its own; every node's volumes are stuck with probability p, so
 * each volume alone is still stuck with probability p. With j volumes on the
 * shared node the database is healthy with probability
 * (1-p)^(k-j) * (1-p)^[j>0]; summing over j ~ Binomial(k, rho) gives
 *   P(healthy) = (1-p) * (rho + (1-rho)(1-p))^k + p * ((1-rho)(1-p))^k.
 */
export function impairedCorrelated(p: number, k: number, rho: number): number {
  const healthy = (1 - p) * (rho + (1 - rho) * (1 - p)) ** k + p * ((1 - rho) * (1 - p)) ** k;
  return 1 - healthy;
}

/** The (real) number of independent volumes at which the impaired fraction reaches `target`. */
export function volumesForIndependent(p: number, target: number): number {
  return Math.log(1 - target) / Math.log(1 - p);
}

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for a binomial proportion (z = 1.96: 95%). */
export function wilson(successes: number, trials: number, z = 1.96): Interval {
  if (trials === 0) return { low: 0, high: 1 };
  const phat = successes / trials;
  const z2 = z * z;
  const centre = (phat + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((phat * (1 - phat)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
