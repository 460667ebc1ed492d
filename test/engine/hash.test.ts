import { describe, expect, test } from 'vitest';
import { fingerprintInto, fnv1a } from '../../src/engine/hash.js';

const fingerprint = (text: string): [number, number] => {
  const out = new Uint32Array(2);
  fingerprintInto(text, out);
  return [out[0]!, out[1]!];
};

describe('fingerprintInto', () => {
  test('is deterministic and tells apart strings that differ in one code unit, in length, or in order', () => {
    expect(fingerprint('abc')).toEqual(fingerprint('abc'));
    const variants = ['abc', 'abd', 'bbc', 'ab', 'abc\u0000', 'acb', 'cba', '', '\u0000', '\u0000\u0000'];
    expect(new Set(variants.map((v) => fingerprint(v).join(':'))).size).toBe(variants.length);
  });

  // World states are short strings of small code units: the case the visited table sees.
  const states = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(i & 7, (i >> 3) & 7, (i >> 6) & 31, (i >> 11) & 31, i >> 16));

  test('200,000 short strings of small code units get 200,000 distinct 64-bit fingerprints, and distinct low halves but for a few', () => {
    const full = new Set<string>();
    const low = new Set<number>();
    for (const s of states) {
      const [hi, lo] = fingerprint(s);
      full.add(`${hi}:${lo}`);
      low.add(lo);
    }
    expect(full.size).toBe(states.length);
    // 32 random bits over 200,000 values: about n^2/2^33 ≈ 5 collisions are expected.
    expect(states.length - low.size).toBeLessThan(30);
  });

  test('every bit of both halves is set in close to half of the fingerprints (the low bits pick the table slot)', () => {
    const ones = new Array<number>(64).fill(0);
    for (const s of states) {
      const [hi, lo] = fingerprint(s);
      for (let b = 0; b < 32; b++) {
        ones[b]! += (lo >>> b) & 1;
        ones[32 + b]! += (hi >>> b) & 1;
      }
    }
    for (const count of ones) expect(Math.abs(count / states.length - 0.5)).toBeLessThan(0.01);
  });

  test('fnv1a, kept for the model fingerprint, is unchanged', () => {
    expect(fnv1a('')).toBe('811c9dc5');
    expect(fnv1a('a')).toBe('e40c292c');
  });
});
