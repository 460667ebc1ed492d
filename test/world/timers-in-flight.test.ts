import { describe, expect, it } from 'vitest';
import { always, checkExhaustive, defineModel, instantiate } from '../../src/index.js';
import { receiver, sender } from './fixtures.js';

const model = (wakeOnlyWhenQuiet: boolean) =>
  defineModel({
    name: 'ping',
    summary: 'A sender and a receiver whose timer may wake it.',
    configs: { default: {} },
    variants: { only: { summary: 's', expect: { fine: 'holds' } } },
    properties: [always({ name: 'fine', statement: 'Nothing is wrong.', check: () => undefined })],
    build: () => ({
      processes: {
        a: { machine: sender, input: { peer: 'b' }, requests: [{ type: 'GO' }] },
        b: { machine: receiver, timeouts: [{ event: { type: 'WAKE' }, when: wakeOnlyWhenQuiet ? (w) => w.messages().length === 0 : undefined }] },
      },
      network: 'bag',
      budgets: { request: 1 },
    }),
  });

describe('coverage of timers that fire while messages are in flight', () => {
  it('lists a timer that fired with a message in flight', () => {
    const [row] = checkExhaustive(instantiate(model(false), 'only'));
    expect(row!.coverage!.timersInFlight).toEqual(['WAKE at b']);
  });

  it('stays empty when the timer may fire only on a quiet network', () => {
    const [row] = checkExhaustive(instantiate(model(true), 'only'));
    expect(row!.coverage!.timersInFlight).toEqual([]);
  });
});
