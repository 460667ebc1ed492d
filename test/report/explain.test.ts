import { describe, expect, it } from 'vitest';
import { causalSentence, stepEstablishing } from '../../src/report/explain.js';
import { foldTrace } from '../../src/report/folds.js';
import type { WorldView } from '../../src/index.js';

// States stand in for world views: the helpers only hand them to the facts' tests.
const states = (values: number[]) => values as unknown as WorldView[];
const atLeast = (n: number) => ({ holds: (w: WorldView) => (w as unknown as number) >= n });

describe('dating a fact', () => {
  it('names the step that last made it true, 0 when it held from the start, undefined when it does not hold at the end', () => {
    expect(stepEstablishing(states([0, 1, 2, 3]), atLeast(2))).toBe(2);
    expect(stepEstablishing(states([5, 0, 5, 5]), atLeast(5))).toBe(2);
    expect(stepEstablishing(states([5, 6, 7]), atLeast(5))).toBe(0);
    expect(stepEstablishing(states([5, 6, 1]), atLeast(5))).toBeUndefined();
  });

  it('tells the contradiction as "X (step i); however Y (step j): so Z."', () => {
    const s = states([0, 1, 2, 3]);
    expect(causalSentence({ facts: [{ says: 'a', ...atLeast(0) }, { says: 'b', ...atLeast(3) }], so: 'c.' }, s)).toBe('a (from the start); however b (step 3): so c.');
    expect(causalSentence({ facts: [{ says: 'a', ...atLeast(1) }, { says: 'b', ...atLeast(2) }, { says: 'c', ...atLeast(3) }], so: 'd' }, s)).toBe('a (step 1); b (step 2); however c (step 3): so d.');
    expect(causalSentence({ facts: [{ says: 'a', ...atLeast(9) }], so: 'd' }, s)).toContain('NOT TRUE at the end');
  });
});

describe('folding a trace', () => {
  it('folds a block repeated three times or more before a lasso loop, never across its start', () => {
    expect(foldTrace(['a', 'b', 'a', 'b', 'a', 'b', 'c'])).toEqual([{ kind: 'repeat', start: 0, length: 2, times: 3 }, { kind: 'step', index: 6 }]);
    expect(foldTrace(['a', 'a', 'a', 'a'], 2)).toEqual([{ kind: 'step', index: 0 }, { kind: 'step', index: 1 }, { kind: 'step', index: 2 }, { kind: 'step', index: 3 }]);
    expect(foldTrace(['x', 'a', 'a'])).toEqual([{ kind: 'step', index: 0 }, { kind: 'step', index: 1 }, { kind: 'step', index: 2 }]);
  });
});
