import { describe, expect, it } from 'vitest';
import { StateMemo } from '../src/check/random/memo.js';

describe('StateMemo (random search asks once per distinct state)', () => {
  it('computes each state once, undefined answers included', () => {
    const asked: string[] = [];
    const memo = new StateMemo<string | undefined>();
    const f = (s: string) => (asked.push(s), s === 'bad' ? 'broken' : undefined);
    for (const s of ['ok', 'bad', 'ok', 'bad', 'ok']) memo.get(s, f);
    expect(asked).toEqual(['ok', 'bad']);
    expect(memo.get('bad', f)).toBe('broken');
    expect(memo.get('ok', f)).toBeUndefined();
  });

  it('starts afresh past its capacity and still gives the same answers', () => {
    let calls = 0;
    const memo = new StateMemo<number>(2);
    const f = (s: string) => (calls++, s.length);
    expect(['a', 'bb', 'ccc', 'a'].map((s) => memo.get(s, f))).toEqual([1, 2, 3, 1]);
    // 'ccc' cleared the memo of 'a' and 'bb': 'a' was computed again.
    expect(calls).toBe(4);
  });
});
