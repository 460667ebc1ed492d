import { assign, emit, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { checkExhaustive, defineModel, eventually, instantiate } from '../src/index.js';
import { fingerprintOf } from '../src/check/fingerprint.js';
import { replay } from '../src/check/replay.js';
import { toReplayFile } from '../src/report/replay-file.js';
import { renderStory } from '../src/report/story.js';
import { checkRandom } from '../src/check/random.js';

type Mode = 'retries' | 'gives-up' | 'refused-forever';

/** A client asks a server once; the server answers ACK (or, refusing forever, NACK, to which the client asks again). */
function client(mode: Mode) {
  return setup({
    types: {} as { context: { tries: number }; events: { type: 'ACK' } | { type: 'NACK' } | { type: 'RETRY' }; emitted: { type: 'send'; to: string; msg: { type: 'ASK'; from: string } } },
  }).createMachine({
    context: { tries: 0 },
    initial: 'asking',
    states: {
      asking: {
        entry: emit({ type: 'send' as const, to: 'server', msg: { type: 'ASK' as const, from: 'client' } }),
        on: { ACK: 'done', NACK: { target: 'asking', reenter: true }, ...(mode === 'gives-up' ? {} : { RETRY: { target: 'asking', reenter: true } }) },
      },
      done: { type: 'final' },
    },
  });
}

function server(mode: Mode) {
  return setup({ types: {} as { events: { type: 'ASK'; from: string }; emitted: { type: 'send'; to: string; msg: { type: 'ACK' | 'NACK' } } } }).createMachine({
    on: { ASK: { actions: emit(({ event }) => ({ type: 'send' as const, to: event.from, msg: { type: mode === 'refused-forever' ? ('NACK' as const) : ('ACK' as const) } })) } },
  });
}

const model = defineModel<{}>({
  name: 'ask',
  summary: 'One question, one answer, over a lossy network.',
  configs: { default: {} },
  variants: {
    retries: { summary: 'asks again on timeout', expect: { answered: 'holds' } },
    'gives-up': { summary: 'never asks again', expect: { answered: 'violated' } },
    'refused-forever': { summary: 'the server always says no', expect: { answered: 'violated' } },
  },
  properties: [eventually({ name: 'answered', statement: 'The client eventually gets its answer.', goal: (w) => w.process('client').is('done') })],
  build: (variant) => ({
    processes: {
      client: { machine: client(variant as Mode), timeouts: [{ event: { type: 'RETRY' }, when: (w) => w.messages().length === 0 }] },
      server: { machine: server(variant as Mode) },
    },
    network: 'bag',
    budgets: { drop: 1 },
  }),
});

const answered = (variant: Mode) => {
  const instance = instantiate(model, variant);
  return { instance, result: checkExhaustive(instance)[0]! };
};

describe('liveness on a world of machines', () => {
  it('holds when the client retries: deliveries and timeouts are owed fairness, drops are not', () => {
    expect(answered('retries').result).toMatchObject({ verdict: 'holds', complete: true });
  });

  it('is violated by a stutter when a dropped question is never asked again', () => {
    const { result } = answered('gives-up');
    expect(result.verdict).toBe('violated');
    expect(result.trace!.map((s) => s.kind)).toEqual(['drop']);
    expect(result.loopFrom).toBe(1);
  });

  it('is violated by a real loop when the server refuses forever, and the story shows the loop', () => {
    const { instance, result } = answered('refused-forever');
    expect(result.verdict).toBe('violated');
    expect(result.loopFrom).toBeLessThan(result.traceLength!);
    const story = renderStory(instance, result).join('\n');
    expect(story).toContain('repeat forever');
    expect(story).toMatch(/Never: answered: steps \d+ to \d+ can repeat forever, fairly/);
  });

  it('replays a lasso from its file and tells when the loop no longer exists', () => {
    const { instance, result } = answered('refused-forever');
    const text = JSON.stringify(toReplayFile(result, fingerprintOf(instance)));
    expect(replay(text, 'loop.json', [model]).reproduced).toBe(true);
    const fixed = JSON.parse(text);
    fixed.variant = 'retries';
    fixed.fingerprint = fingerprintOf(instantiate(model, 'retries'));
    expect(() => replay(JSON.stringify(fixed), 'loop.json', [model])).toThrow(/not possible|no longer/);
  });
});

describe('liveness in random mode', () => {
  const random = (variant: Mode) => checkRandom(instantiate(model, variant), { seed: 3, runs: 200 })[0]!;

  it('reports a lasso found inside a run, stutter or loop, as a violation it can replay', () => {
    const stutter = random('gives-up');
    expect(stutter).toMatchObject({ verdict: 'violated', mode: 'random' });
    expect(stutter.loopFrom).toBe(stutter.traceLength);
    const loop = random('refused-forever');
    expect(loop.verdict).toBe('violated');
    expect(loop.loopFrom).toBeLessThan(loop.traceLength!);
    const instance = instantiate(model, 'refused-forever');
    const text = JSON.stringify(toReplayFile(loop, fingerprintOf(instance)));
    expect(replay(text, 'random-loop.json', [model]).reproduced).toBe(true);
  });

  it('never claims more than it saw when no run loops without the goal', () => {
    const r = random('retries');
    expect(r.verdict).toBe('holds');
    expect(r.note).toMatch(/liveness not refuted, not proved/);
  });
});
