// #region random
import { expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { behaviours } from 'outage-checker/testing';
import { leaseLock } from './lease-lock.js';

// A fixed seed keeps the test name and its behaviours the same on every run.
test.prop([behaviours(leaseLock, { variant: 'fenced' })], { seed: 42, numRuns: 300 })(
  'random behaviours of the fenced lock keep writes in lease order',
  (behaviour) => {
    expect(behaviour).toHold('writes-in-lease-order');
  },
);
// #endregion random
