import { assign, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { always, checkExhaustive, defineModel, instantiate } from '../../src/index.js';
import { renderStory } from '../../src/report/story.js';
import { renderSequenceDiagram } from '../../src/report/sequence-diagram.js';
import { renderTraceHtml } from '../../src/report/html-viewer.js';
import { foldTrace } from '../../src/report/folds.js';

/** A counter that counts ticks and must stay under 6: its counterexample is six identical ticks. */
const counter = defineModel<{}>({
  name: 'counter',
  summary: 'A counter that counts ticks.',
  configs: { default: {} },
  variants: { counts: { summary: 'counts every tick', expect: { 'under-six': 'violated' } } },
  story: { hide: ['c.seen'] },
  properties: [
    always({
      name: 'under-six',
      statement: 'The count stays under 6.',
      check: (w) => ((w.process('c').context as { n: number }).n >= 6 ? 'the count reached 6' : undefined),
      explain: (w) => ({
        facts: [{ says: `the count is ${(w.process('c').context as { n: number }).n}`, holds: (x) => (x.process('c').context as { n: number }).n >= 6 }],
        so: 'the counter went past its bound',
      }),
    }),
  ],
  build: () => ({
    processes: {
      c: {
        machine: setup({ types: {} as { context: { n: number; seen: number }; events: { type: 'TICK' } } }).createMachine({
          context: { n: 0, seen: 0 },
          on: { TICK: { actions: assign({ n: ({ context }) => context.n + 1, seen: ({ context }) => context.seen + 1 }) } },
        }),
      },
    },
    network: 'bag',
    budgets: { tick: 8 },
  }),
});

describe('a block of steps taken again and again', () => {
  const instance = instantiate(counter, 'counts');
  const result = checkExhaustive(instance).find((r) => r.property === 'under-six')!;

  it('is one segment of the trace', () => {
    expect(result.traceLength).toBe(6);
    expect(foldTrace(result.trace!, result.loopFrom)).toEqual([{ kind: 'repeat', start: 0, length: 1, times: 6 }]);
  });

  it('is told once in the story, summed up, without the hidden field, and the cause is dated', () => {
    expect(renderStory(instance, result)).toEqual([
      'counter/counts breaks under-six in 6 steps (exhaustive):',
      ' 1. tick: the clock advances — c: n 0 → 1',
      '2–6. the same step again, 5 more times; all told:',
      '      c: n 1 → 6',
      'Broken: under-six: the count is 6 (step 6): so the counter went past its bound.',
    ]);
  });

  it('is drawn once in the Mermaid diagram, in a loop saying how often', () => {
    const diagram = renderSequenceDiagram(instance, result);
    expect(diagram.filter((l) => l.includes('tick: the clock advances'))).toHaveLength(1);
    expect(diagram).toContain('  loop 2–6. the same step again, 5 more times');
  });

  it('is one folded row in the HTML page, which jumps to the last repeat', () => {
    const html = renderTraceHtml(instance, result);
    const diagram = html.slice(html.indexOf('<div class="diagram"'), html.indexOf('</section>', html.indexOf('<div class="diagram"')));
    expect(diagram.match(/tick: the clock advances/g)).toHaveLength(1);
    expect(html).toContain('<div class="step" data-step="6"><div class="note folded"');
  });
});
