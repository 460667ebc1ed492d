import { describe, expect, test } from 'vitest';
import { fingerprint64, fingerprintInto, fingerprintVectorInto, fnv1a, hashVector } from '../../src/engine/hash.js';

const hex = (out: Uint32Array) => [out[0]!.toString(16).padStart(8, '0'), out[1]!.toString(16).padStart(8, '0')];
const ofString = (text: string) => {
  const out = new Uint32Array(2);
  fingerprintInto(text, out);
  return hex(out);
};
const ofVector = (data: Uint16Array, start: number, end: number) => {
  const out = new Uint32Array(2);
  fingerprintVectorInto(data, start, end, out);
  return hex(out);
};

// Pinned values: a change to any constant, shift or lane of the fingerprint changes them. A
// deliberate change of the hash must update them (and every fingerprint-mode count it moves).
describe('hash.ts on known inputs', () => {
  test('fnv1a matches the published FNV-1a 32-bit vectors, and a second seed gives a different, fixed value', () => {
    expect(fnv1a('')).toBe('811c9dc5');
    expect(fnv1a('a')).toBe('e40c292c');
    expect(fnv1a('foobar')).toBe('bf9cf968');
    expect(fnv1a('a', 0x050c5d1f)).toBe('70772d5a');
    // Eight hex digits always, even for a small value.
    expect(fnv1a('', 0x0000001f)).toBe('0000001f');
    expect(fingerprint64('a')).toBe('e40c292c70772d5a');
  });

  test('fingerprintInto gives these two halves (high, low)', () => {
    expect(ofString('')).toEqual(['681457b6', 'b5d09e54']);
    expect(ofString('a')).toEqual(['e82b3e43', '349fc254']);
    expect(ofString('abc')).toEqual(['ff7f47d9', '3a918603']);
    expect(ofString('\u0000')).toEqual(['ca4b361a', 'a5f38bec']);
    expect(ofString('\uffff\u0001')).toEqual(['7f18cf3a', '8d4df0b1']);
    expect(ofString('hello world')).toEqual(['9fab72d6', '265a0543']);
  });

  test('fingerprintVectorInto over data[start, end) equals fingerprintInto of those code units, and reads nothing outside', () => {
    const data = Uint16Array.of(9, 1, 2, 3, 0xffff, 7);
    expect(ofVector(data, 1, 5)).toEqual(ofString('\u0001\u0002\u0003\uffff'));
    expect(ofVector(data, 1, 5)).toEqual(['09d60043', '1a180689']);
    expect(ofVector(Uint16Array.of(0), 0, 1)).toEqual(ofString('\u0000'));
    expect(ofVector(data, 3, 3)).toEqual(ofString(''));
    for (const text of ['a', 'abc', 'hello world']) {
      const codes = Uint16Array.from(text, (c) => c.charCodeAt(0));
      expect(ofVector(codes, 0, codes.length)).toEqual(ofString(text));
    }
  });

  test('hashVector gives these values, depends on the length, and reads only data[start, end)', () => {
    const data = Uint16Array.of(9, 1, 2, 3, 0xffff, 7);
    expect(hashVector(data, 1, 5).toString(16)).toBe('557f22b1');
    expect(hashVector(data, 0, 0).toString(16)).toBe('ab3e7c0b');
    expect(hashVector(Uint16Array.of(97), 0, 1).toString(16)).toBe('e6db3b26');
    expect(hashVector(Uint16Array.of(5, 1, 2, 3, 0, 8), 1, 4)).toBe(hashVector(data, 1, 4));
    // A trailing zero changes the hash: the length is mixed in.
    expect(hashVector(Uint16Array.of(1, 0), 0, 2)).not.toBe(hashVector(Uint16Array.of(1), 0, 1));
    expect(hashVector(data, 1, 5)).toBeGreaterThanOrEqual(0);
  });
});
