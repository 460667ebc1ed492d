import { assign, emit, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { always, checkExhaustive, defineModel, instantiate, type WorldSpec } from '../../src/index.js';
import { renderStory, STORY_LINES } from '../../src/report/story.js';

type Ball = { type: 'BALL'; n: number };
/** Two players rally a numbered ball, each return one higher; a request serves it once. */
const player = (other: string) =>
  setup({ types: {} as { context: { hits: number }; events: { type: 'SERVE' } | Ball; emitted: { type: 'send'; to: string; msg: Ball } } }).createMachine({
    context: { hits: 0 },
    on: {
      SERVE: { actions: emit({ type: 'send' as const, to: other, msg: { type: 'BALL' as const, n: 1 } }) },
      BALL: { actions: [assign({ hits: ({ context }) => context.hits + 1 }), emit(({ event }) => ({ type: 'send' as const, to: other, msg: { type: 'BALL' as const, n: event.n + 1 } }))] },
    },
  });
const rally = (limit: number) =>
  defineModel({
    name: 'rally',
    summary: 'A rally that must end.',
    configs: { only: {} },
    variants: { v: { summary: 'plays on', expect: { short: 'violated' } } },
    properties: [
      always({
        name: 'short',
        statement: `No rally reaches ${limit} hits.`,
        check: (w) => ((w.process('a').context as { hits: number }).hits + (w.process('b').context as { hits: number }).hits >= limit ? 'the rally is long' : undefined),
      }),
    ],
    build: (): WorldSpec => ({ processes: { a: { machine: player('b'), requests: [{ type: 'SERVE' }] }, b: { machine: player('a') } }, network: 'bag', budgets: { request: 1 } }),
  });
const storyOf = (limit: number) => {
  const instance = instantiate(rally(limit), 'v');
  return renderStory(instance, checkExhaustive(instance).find((r) => r.property === 'short')!);
};

describe('a long story tells each message chain on one line', () => {
  it('a short rally is told step by step', () => {
    const story = storyOf(3);
    expect(story.filter((l) => /^\s*\d+\. /.test(l))).toHaveLength(4); // the serve and three returns
    expect(story.join('\n')).not.toMatch(/\d–\d/);
  });

  it('a long one, a line a step too many, folds the chain into one numbered line naming all its steps, with its summed effects', () => {
    const story = storyOf(30);
    expect(story.length).toBeLessThanOrEqual(STORY_LINES);
    expect(story[1]).toBe(' 1–31. request: a issues SERVE, then in turn (BALL a → b, BALL b → a) × 15 — a, b: hits 0 → 15; a → b: BALL {n: 31}');
    // The summed effects: both players' hits from 0, and the ball still in flight, in full.
    expect(story).toHaveLength(3);
  });
});

describe('messages lost alike', () => {
  /** a sends b two messages at once, and b may be cut off. */
  const sender = setup({ types: {} as { context: { sent: boolean }; events: { type: 'GO' }; emitted: { type: 'send'; to: string; msg: { type: 'PING' | 'PONG' } } } }).createMachine({
    context: { sent: false },
    on: { GO: { actions: [assign({ sent: true }), emit({ type: 'send' as const, to: 'b', msg: { type: 'PING' as const } }), emit({ type: 'send' as const, to: 'b', msg: { type: 'PONG' as const } })] } },
  });
  const sink = setup({ types: {} as { context: { n: number }; events: { type: 'PING' } | { type: 'PONG' } } }).createMachine({ context: { n: 0 } });
  const lossy = defineModel({
    name: 'lossy',
    summary: 'Two messages to a node that may be cut off.',
    configs: { only: {} },
    variants: { v: { summary: 'b may be cut off', expect: { 'none-lost': 'violated' } } },
    properties: [
      always({
        name: 'none-lost',
        statement: 'What a sent is delivered or on its way.',
        check: (w) => ((w.process('a').context as { sent: boolean }).sent && w.messages().length === 0 && w.partitions().length > 0 ? 'both messages are gone' : undefined),
      }),
    ],
    build: (): WorldSpec => ({ processes: { a: { machine: sender, requests: [{ type: 'GO' }] }, b: { machine: sink } }, network: 'bag', partitions: [{ name: 'b cut off', group: ['b'] }], budgets: { request: 1, partition: 1 } }),
  });

  it('are told on one line: the route, the messages, and why', () => {
    const instance = instantiate(lossy, 'v');
    const story = renderStory(instance, checkExhaustive(instance).find((r) => r.property === 'none-lost')!);
    expect(story.join('\n')).toContain('a → b: PING, PONG  (lost: no network between a and b)');
  });
});
