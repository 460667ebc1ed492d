import { describe, expect, it } from 'vitest';
import { createAuthorityMachine, createInstanceMachine, createReplicaMachine } from '../../models/replica-election/machines.js';
import { createFastStepper, publicStepper } from '../../src/world/stepper.js';

/** A deterministic pseudo-random walk: the same sequence of choices for both steppers. */
function* choices(seed: number): Generator<number> {
  let x = seed >>> 0 || 1;
  for (;;) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield (x >>> 0) / 2 ** 32;
  }
}

describe('the fast stepper', () => {
  it('agrees with xstate’s public transition() on random walks', () => {
    const replicas = ['r1', 'r2'];
    const machines = [
      { machine: createReplicaMachine('fixed'), input: { id: 'r1', replicas } },
      { machine: createReplicaMachine('buggy'), input: { id: 'r2', replicas } },
      { machine: createAuthorityMachine(), input: { replicas } },
      { machine: createInstanceMachine(), input: { replicas } },
    ];
    const events = [
      { type: 'WRITE', id: 1, from: 'instance' },
      { type: 'REPLICATE', id: 1, epoch: 1, from: 'r1' },
      { type: 'REPL_ACK', id: 1, epoch: 1, from: 'r2' },
      { type: 'GRANT', epoch: 2, from: 'cp' },
      { type: 'DENY', epoch: 2, from: 'cp' },
      { type: 'NEW_PRIMARY', primary: 'r2', epoch: 2, members: ['r2'], from: 'cp' },
      { type: 'PEER_LOST' },
      { type: 'RETRY' },
      { type: 'REQUEST_PRIMACY', epoch: 1, suspects: ['r1'], from: 'r2' },
      { type: 'FENCED', epoch: 2, from: 'r2' },
      { type: 'ACK', id: 1, epoch: 1, from: 'r1' },
    ];
    const fast = createFastStepper();
    let compared = 0;
    for (const { machine, input } of machines) {
      const pick = choices(compared + 17);
      let [a, aActions] = publicStepper.initial(machine, input);
      let [b, bActions] = fast.initial(machine, input);
      for (let step = 0; step < 300; step++) {
        expect([b.value, b.context, bActions.map((x) => [x.type, x.params])]).toEqual([a.value, a.context, aActions.map((x) => [x.type, x.params])]);
        const event = events[Math.floor(pick.next().value * events.length)]!;
        [a, aActions] = publicStepper.step(machine, a, event);
        [b, bActions] = fast.step(machine, b, event);
        compared++;
      }
    }
    expect(compared).toBe(1200);
  });
});
