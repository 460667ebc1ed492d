import { setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { replicaElection } from '../properties/replica-election.js';
import { always, checkExhaustive, defineModel, instantiate, sometimes } from '../src/index.js';
import { checkRandom } from '../src/check/random.js';
import { asExpected } from '../src/check/result.js';

describe('vacuous verdicts', () => {
  it('a fixed election that can never be partitioned proves nothing: its invariants are vacuous and the check fails', () => {
    const neverPartitioned = defineModel({
      ...replicaElection,
      // Without partitions or suspicions (requests of the failure detector) nothing ever calls for an election.
      build: (variant, config) => ({ ...replicaElection.build(variant, config), budgets: { ...replicaElection.build(variant, config).budgets, partition: 0, request: 0 } }),
    });
    for (const rows of [checkExhaustive(instantiate(neverPartitioned, 'fixed')), checkRandom(instantiate(neverPartitioned, 'fixed'), { seed: 1, runs: 300 })]) {
      const byProperty = Object.fromEntries(rows.map((r) => [r.property, r]));
      expect(byProperty['reelection-happens']!.verdict).not.toBe('holds');
      expect(byProperty['single-primary']!.verdict).toBe('vacuous');
      expect(byProperty['single-primary']!.note).toMatch(/vacuous: .*reelection-happens never reached/);
      expect(rows.every(asExpected)).toBe(false);
    }
  });

  it('a declared fault that never strikes makes a holding verdict vacuous', () => {
    const idle = setup({}).createMachine({ initial: 'on', states: { on: { on: { FLIP: 'off' } }, off: {} } });
    const model = defineModel({
      name: 'quiet',
      summary: 'A switch that sends nothing, over a network allowed to lose one message.',
      configs: { default: {} },
      variants: { only: { summary: 'the only one', expect: { fine: 'holds', flips: 'holds' } } },
      properties: [
        always({ name: 'fine', statement: 'Nothing is ever wrong.', check: () => undefined }),
        sometimes({ name: 'flips', statement: 'The switch can flip.', reached: (w) => w.process('s').is('off') }),
      ],
      build: () => ({ processes: { s: { machine: idle, requests: [{ type: 'FLIP' }] } }, network: 'bag', budgets: { drop: 1 } }),
    });
    const [fine] = checkExhaustive(instantiate(model, 'only'));
    expect(fine).toMatchObject({ verdict: 'vacuous', note: 'vacuous: message loss never happened' });
    expect(fine!.coverage!.faults).toEqual({ fired: [], never: ['message loss'] });
  });
});
