import { describe, expect, it } from 'vitest';
import { canonicalJson, NotSerialisableError } from '../../src/world/canonical-json.js';

const bare = (entries: Record<string, unknown>) => Object.assign(Object.create(null) as object, entries);
const why = (value: unknown) => {
  try {
    canonicalJson(value);
  } catch (error) {
    expect(error).toBeInstanceOf(NotSerialisableError);
    return (error as Error).message;
  }
  return 'serialisable';
};

describe('canonicalJson, value by value', () => {
  it('writes booleans, numbers, strings, null, lists and objects as JSON, keys sorted at every depth', () => {
    expect(canonicalJson([true, false, 0, -1.5, 'a"b', null])).toBe('[true,false,0,-1.5,"a\\"b",null]');
    expect(canonicalJson({ b: [1, 2], a: { d: 1, c: [] } })).toBe('{"a":{"c":[],"d":1},"b":[1,2]}');
    expect(canonicalJson({ b: 1, a: undefined, c: 2 })).toBe('{"b":1,"c":2}');
    // A top-level undefined is null; an object without a prototype is a plain object.
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(bare({ b: 1, a: [bare({})] }))).toBe('{"a":[{}],"b":1}');
  });

  it('names the first value it cannot carry by its path, in key order, past values it can', () => {
    expect(why({ a: 1, b: { c: NaN } })).toBe('$.b.c is NaN, which JSON cannot hold');
    expect(why({ z: NaN, a: Infinity })).toBe('$.a is Infinity, which JSON cannot hold');
    expect(why({ a: null, b: -Infinity })).toBe('$.b is -Infinity, which JSON cannot hold');
    expect(why({ a: [1, 2], b: NaN })).toBe('$.b is NaN, which JSON cannot hold');
    expect(why({ a: 'x', b: true, c: undefined, d: NaN })).toBe('$.d is NaN, which JSON cannot hold');
    expect(why([1, undefined])).toBe('$[1] is undefined');
    expect(why([[1], [2, NaN]])).toBe('$[1][1] is NaN, which JSON cannot hold');
    expect(why(bare({ a: 1, b: new Map() }))).toBe('$.b is a Map; use plain objects and arrays');
    expect(why({ a: new Set([1]) })).toBe('$.a is a Set; use plain objects and arrays');
    expect(why(Object.create(Object.create(null) as object))).toBe('$ is a object; use plain objects and arrays');
    expect(why(() => 1)).toBe('$ is a function, which JSON cannot hold');
    expect(why({ s: Symbol('x') })).toBe('$.s is a symbol, which JSON cannot hold');
    expect(why(10n)).toBe('$ is a bigint, which JSON cannot hold');
    expect(why({ ok: [bare({ x: 1 })] })).toBe('serialisable');
  });
});
