import { assign, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { always, checkExhaustive, defineModel, instantiate } from '../src/index.js';
import { checkRandom } from '../src/check/random.js';

const fragile = setup({ types: {} as { context: { n: number }; events: { type: 'BUMP' } } }).createMachine({
  context: { n: 0 },
  on: {
    BUMP: {
      actions: assign({
        n: ({ context }) => {
          if (context.n === 2) throw new Error('counter overflow');
          return context.n + 1;
        },
      }),
    },
  },
});

const model = defineModel({
  name: 'fragile',
  summary: 'A counter whose third bump throws.',
  configs: { default: {} },
  variants: { only: { summary: 'the one variant', expect: { small: 'holds' } } },
  properties: [always({ name: 'small', statement: 'The counter stays below 10.', check: (w) => (w.process('c').context.n >= 10 ? 'too big' : undefined) })],
  build: () => ({ processes: { c: { machine: fragile, requests: [{ type: 'BUMP' }] } }, network: 'bag', budgets: {} }),
});

describe('a model that throws', () => {
  it('becomes an error result naming model, step, process and event in exhaustive mode', () => {
    const [row] = checkExhaustive(instantiate(model, 'only'));
    expect(row!.verdict).toBe('error');
    expect(row!.note).toBe('fragile/only: at step 3, process c threw on BUMP: counter overflow');
  });

  it('becomes an error result in random mode too, naming the step of the shrunk run', () => {
    const [row] = checkRandom(instantiate(model, 'only'), { seed: 1, runs: 50 });
    expect(row!.verdict).toBe('error');
    expect(row!.note).toBe('fragile/only: at step 3, process c threw on BUMP: counter overflow');
  });

  it('a property that throws is named, with the step after which it threw, in both modes', () => {
    const judging = defineModel({
      ...model,
      properties: [always({ name: 'picky', statement: 'It never throws.', check: (w) => { if (w.process('c').context.n === 2) throw new Error('cannot judge 2'); return undefined; } })],
      variants: { only: { summary: 's', expect: { picky: 'holds' } } },
    });
    const [exhaustive] = checkExhaustive(instantiate(judging, 'only'));
    const [random] = checkRandom(instantiate(judging, 'only'), { seed: 1, runs: 50 });
    for (const row of [exhaustive!, random!]) expect(row).toMatchObject({ verdict: 'error', note: 'fragile/only: after step 2, property picky threw: cannot judge 2' });
  });
});
