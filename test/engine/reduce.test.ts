import { expect, it } from 'vitest';
import { reduceSequence } from '../../src/engine/reduce.js';

it('removes every step that is not needed for the failure', () => {
  // Fails when 3 comes before 7 and 9 appears somewhere.
  const fails = (s: readonly number[]) => s.includes(9) && s.indexOf(3) >= 0 && s.indexOf(3) < s.lastIndexOf(7);
  const reduced = reduceSequence([1, 3, 4, 9, 5, 6, 7, 8, 2, 7], fails);
  expect(reduced).toEqual([3, 9, 7]);
});

it('keeps a sequence in which every step matters', () => {
  const fails = (s: readonly number[]) => s.join() === '1,2,3';
  expect(reduceSequence([1, 2, 3], fails)).toEqual([1, 2, 3]);
});

it('leaves the caller’s sequence alone, and reduces to nothing when nothing is needed', () => {
  const steps = [4, 5, 6];
  expect(reduceSequence(steps, () => true)).toEqual([]);
  expect(steps).toEqual([4, 5, 6]);
});

it('never asks about a candidate longer than what it already has, and asks about each removal it keeps', () => {
  const asked: number[][] = [];
  const reduced = reduceSequence([1, 2, 3, 4, 5, 6, 7, 8], (s) => (asked.push([...s]), s.includes(8) && s.includes(1)));
  expect(reduced).toEqual([1, 8]);
  expect(asked.every((s) => s.length < 8)).toBe(true);
  expect(asked).toContainEqual([1, 8]);
});
