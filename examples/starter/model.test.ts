// The starter model's tests: `npx vitest run`.
import { expect, test } from 'vitest';
import { check } from 'outage-checker/testing';
import { starter } from './model.js';

test('without deduplication, a resent increment is counted twice', async () => {
  expect(await check(starter, { variant: 'naive' })).toBeViolatedBy('counted-once');
});

test('every verdict is the one the model declares', async () => {
  expect(await check(starter)).toBeAsExpected();
});
