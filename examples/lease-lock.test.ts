// #region vitest
import { expect, test } from 'vitest';
import { check, replayCounterexample } from 'outage-checker/testing';
import { leaseLock } from './lease-lock.js';

test('without fencing, a late write under an expired lease is taken', async () => {
  expect(await check(leaseLock, { variant: 'unfenced' })).toBeViolatedBy('writes-in-lease-order');
});

test('with fencing tokens, writes are taken in lease order', async () => {
  expect(await check(leaseLock, { variant: 'fenced', properties: ['writes-in-lease-order'] })).toHold();
});

test('every verdict is the one the model declares, in every configuration', async () => {
  for (const config of Object.keys(leaseLock.configs)) {
    expect(await check(leaseLock, { config })).toBeAsExpected();
  }
});
// #endregion vitest

// #region regression
test('the saved counterexample still breaks the unfenced lock', async () => {
  const saved = new URL('./counterexamples/lease-lock/unfenced--writes-in-lease-order.replay.json', import.meta.url);
  expect(await replayCounterexample(saved, leaseLock)).toBeViolatedBy('writes-in-lease-order');
});
// #endregion regression
