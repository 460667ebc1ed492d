import { match } from 'ts-pattern';
import { describe, expect, it } from 'vitest';
import type { ActionDescriptor } from '../../src/world/actions.js';
import { describeAction } from '../../src/report/describe.js';
import { outcomeWords } from '../../src/report/verdict-words.js';

/*
 * The renderers dispatch on action kinds and property kinds with
 * `match(...).exhaustive()`: a kind left out is a compile error, which
 * `npm run typecheck` (it covers test/) reports. The `@ts-expect-error` lines
 * below fail the typecheck the day leaving a kind out stops being an error.
 */
const withoutInit = (d: ActionDescriptor) =>
  match(d)
    .with({ kind: 'deliver' }, { kind: 'drop' }, () => 'message')
    .with({ kind: 'timeout' }, { kind: 'request' }, { kind: 'internal' }, { kind: 'crash' }, { kind: 'restart' }, () => 'process')
    .with({ kind: 'tick' }, { kind: 'partition' }, { kind: 'heal' }, () => 'world')
    // @ts-expect-error -- `init` is not handled, so exhaustive() does not compile
    .exhaustive();

const withoutDeadlock = (kind: 'always' | 'eventually' | 'sometimes' | 'deadlock-free') =>
  match(kind)
    .with('always', 'eventually', 'sometimes', () => 'worded')
    // @ts-expect-error -- `deadlock-free` is not handled
    .exhaustive();

describe('dispatch on unions is exhaustive', () => {
  it('every kind of action and of property has its words', () => {
    expect(describeAction({ kind: 'init', initial: 'a=1' })).toBe('starts from initial state a=1');
    expect(outcomeWords('deadlock-free').verb).toBe('Broken');
    expect(outcomeWords('eventually').verb).toBe('Never');
    expect(outcomeWords('sometimes')).toEqual({ verb: 'Reached', found: 'reaches' });
    // The non-exhaustive matches above still run; a kind they miss throws at run time as well.
    expect(withoutInit({ kind: 'tick' })).toBe('world');
    expect(() => withoutInit({ kind: 'init', initial: 'x' })).toThrow();
    expect(withoutDeadlock('always')).toBe('worded');
  });
});
