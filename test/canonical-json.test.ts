import { describe, expect, it } from 'vitest';
import { canonicalJson, NotSerialisableError } from '../src/world/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves undefined fields out', () => {
    expect(canonicalJson({ b: 1, a: [{ d: true, c: 'x' }], e: undefined, f: null })).toBe('{"a":[{"c":"x","d":true}],"b":1,"f":null}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it.each([
    [{ a: { b: new Map() } }, '$.a.b is a Map; use plain objects and arrays'],
    [{ list: [1, undefined] }, '$.list[1] is undefined'],
    [{ n: [0, { x: Infinity }] }, '$.n[1].x is Infinity, which JSON cannot hold'],
    [{ f: () => 1 }, '$.f is a function, which JSON cannot hold'],
    [{ ok: 1, later: { deep: [NaN] } }, '$.later.deep[0] is NaN, which JSON cannot hold'],
  ])('refuses what JSON cannot carry, naming the path (%#)', (value, message) => {
    expect(() => canonicalJson(value)).toThrow(NotSerialisableError);
    expect(() => canonicalJson(value)).toThrow(message);
  });
});
