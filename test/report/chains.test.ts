import { describe, expect, it } from 'vitest';
import { foldTurns, messageChains, packLines } from '../../src/report/chains.js';
import { show } from '../../src/report/describe.js';
import { grown } from '../../src/report/changes.js';

describe('message chains', () => {
  it('a step that delivers what the run before it sent continues the run', () => {
    // ask → grant → copy, then an unrelated fault, then a reply to nothing of the run.
    const steps = [
      { sends: ['ask'] },
      { delivers: 'ask', sends: ['grant'] },
      { delivers: 'grant', sends: ['copy', 'note'] },
      { delivers: 'copy', sends: [] },
      { sends: [] },
      { delivers: 'note', sends: [] },
    ];
    expect(messageChains(steps)).toEqual([
      { start: 0, length: 4 },
      { start: 4, length: 1 },
      { start: 5, length: 1 },
    ]);
  });

  it('a message is delivered once: a second delivery of it starts a new run', () => {
    expect(messageChains([{ sends: ['m'] }, { delivers: 'm', sends: [] }, { delivers: 'm', sends: [] }])).toEqual([
      { start: 0, length: 2 },
      { start: 2, length: 1 },
    ]);
  });

  it('a run may start with a delivery of an older message and go on with what it sent', () => {
    expect(messageChains([{ delivers: 'old', sends: ['reply'] }, { delivers: 'reply', sends: [] }])).toEqual([{ start: 0, length: 2 }]);
  });
});

describe('packing effects', () => {
  it('puts everything on the headline when it fits', () => {
    expect(packLines('3. x', ['a: 1 → 2', 'b: 0 → 1'], 40)).toEqual(['3. x — a: 1 → 2; b: 0 → 1']);
  });

  it('else puts each effect on the first indented line with room, in order', () => {
    const long = 'c'.repeat(20);
    expect(packLines('3. a headline of some length', [long, long, 'short'], 40, '  ')).toEqual(['3. a headline of some length', `  ${long}; short`, `  ${long}`]);
  });

  it('never cuts an effect longer than the width', () => {
    const huge = 'h'.repeat(60);
    expect(packLines('1. x', [huge, 'y'], 40, '  ')).toEqual(['1. x', `  ${huge}`, '  y']);
  });
});

describe('values', () => {
  it('an object field set to undefined is absent, as in the replay files', () => {
    expect(show({ version: 0, grant: undefined, peer: 'n2' })).toBe('{version: 0, peer: n2}');
    expect(show({ peer: null })).toBe('{peer: none}');
  });
});

describe('turns of a chain', () => {
  it('a block of one or two turns taken three times or more in a row is told once, with how often', () => {
    expect(foldTurns(['ASK a → b', 'X b → a', 'Y a → b', 'X b → a', 'Y a → b', 'X b → a', 'Y a → b', 'DONE b → c'])).toEqual(['ASK a → b', '(X b → a, Y a → b) × 3', 'DONE b → c']);
    expect(foldTurns(['R a → b', 'R a → b', 'R a → b', 'S b → a'])).toEqual(['R a → b × 3', 'S b → a']);
  });

  it('twice is not folded', () => {
    expect(foldTurns(['R a → b', 'R a → b', 'S b → a'])).toEqual(['R a → b', 'R a → b', 'S b → a']);
  });
});

describe('a view part that only grew', () => {
  it('is told by what was added, not spelt out twice', () => {
    expect(grown('az1-c1 #1 since tick 0', 'az1-c1 #1 since tick 0 (answered, never released)')).toBe('az1-c1 #1 since tick 0 → … (answered, never released)');
    expect(grown('free', 'az1-c1 #2')).toBe('free → az1-c1 #2');
    expect(grown('1', '10')).toBe('1 → 10');
  });
});
