import { mulberry32 } from './prng.js';

/**
 * Draws `trials` single-AZ databases of k volumes each and counts those with at
 * least one stuck volume. `rho` = 0 is independent placement; otherwise each
 * volume shares the database's common node with probability rho (see
 * `impairedCorrelated` for the model).
 */
export function simulateImpaired(options: { seed: number; trials: number; p: number; k: number; rho: number }): number {
  const random = mulberry32(options.seed);
  const { trials, p, k, rho } = options;
  let impaired = 0;
  for (let t = 0; t < trials; t++) {
    // The shared node's fate is drawn for every database so the stream of draws does not depend on placement.
    const sharedStuck = random() < p;
    let stuck = false;
    for (let v = 0; v < k; v++) {
      const onShared = rho > 0 && random() < rho;
      const volumeStuck = onShared ? sharedStuck : random() < p;
      if (volumeStuck) stuck = true;
    }
    if (stuck) impaired++;
  }
  return impaired;
}

/** A seed per (series, k), derived from the report's seed, so adding a row does not shift the others. */
export function seedFor(seed: number, series: number, k: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(series + 1, 0xc2b2ae35) + Math.imul(k, 0x27d4eb2f)) >>> 0;
}
