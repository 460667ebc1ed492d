import { describe, expect, it } from 'vitest';
import { breadthFirst } from '../../src/engine/bfs.js';
import { instantiate, stateChecks, type ModelInstance } from '../../src/check/instance.js';
import type { ModelDefinition } from '../../src/index.js';
import { models } from '../../properties/index.js';
import { PUBLISHED_RUNS } from '../../models/examples/published.js';

/** Every model and variant the project checks, at its first configuration, and every published example. */
const instances: Array<{ label: string; make: () => ModelInstance }> = [
  ...models.flatMap((model: ModelDefinition<any>) =>
    Object.keys(model.variants).map((variant) => ({ label: `${model.name}/${variant}`, make: () => instantiate(model, variant) })),
  ),
  ...PUBLISHED_RUNS.map((run) => ({ label: `${run.model.name}/${run.variant} (${run.config})`, make: () => instantiate(run.model, run.variant, run.config) })),
];

const SAMPLE = 400;

describe('the packed world enables the same actions and reaches the same successors as the world', () => {
  it.each(instances)('$label', ({ make }) => {
    const { world } = make();
    const packed = world.packed!;
    const sample = breadthFirst(world, [], { maxStates: SAMPLE, unpacked: true });
    let compared = 0;
    for (let i = 0; i < sample.states; i++) {
      const state = sample.stateAt(i);
      let actions;
      try {
        actions = world.actions(state);
      } catch {
        continue;
      }
      const length = packed.packInto(state);
      const vector = packed.vector.slice(0, length);
      expect(packed.unpack(vector, 0, length)).toBe(state);
      expect(packed.beginExpand(vector, 0, length)).toBe(actions.length);
      // A state's enabled actions count as compared too: some worlds (bcast-byz's no-bcast) have no step at all.
      compared++;
      for (let a = 0; a < actions.length; a++) {
        let expected: string;
        try {
          expected = world.nextState(state, actions[a]!);
        } catch {
          // The packed world may give up where the world throws: the search then asks the world.
          expect(() => packed.successorInto(a)).toThrow();
          continue;
        }
        // The length first: writing the successor may replace `vector` with a larger one.
        const length = packed.successorInto(a);
        expect(packed.unpack(packed.vector, 0, length)).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe('a packed search finds what the plain search finds', () => {
  it.each(instances)('$label', ({ make }) => {
    const plainInstance = make();
    const packedInstance = make();
    for (const fingerprints of [false, true]) {
      const options = { maxStates: 3000, fingerprints };
      const plain = breadthFirst(plainInstance.world, stateChecks(plainInstance), { ...options, unpacked: true });
      const packed = breadthFirst(packedInstance.world, stateChecks(packedInstance), options);
      expect({ states: packed.states, transitions: packed.transitions, depth: packed.depth, complete: packed.complete }).toEqual({
        states: plain.states,
        transitions: plain.transitions,
        depth: plain.depth,
        complete: plain.complete,
      });
      expect(packed.failure?.stateIndex).toEqual(plain.failure?.stateIndex);
      expect(packed.failure?.actionIndex).toEqual(plain.failure?.actionIndex);
      expect([...packed.findings.values()].map(({ witness, ...f }) => f)).toEqual([...plain.findings.values()].map(({ witness, ...f }) => f));
      for (const finding of packed.findings.values()) {
        expect(packed.pathTo(finding.stateIndex).map((a) => a.id)).toEqual(plain.pathTo(finding.stateIndex).map((a) => a.id));
        expect(packed.stateAt(finding.stateIndex)).toBe(plain.stateAt(finding.stateIndex));
      }
      const last = packed.states - 1;
      expect(packed.stateAt(last)).toBe(plain.stateAt(last));
      expect(packed.rootOf(last)).toBe(plain.rootOf(last));
    }
    // The tables are filled from the processes' memo: xstate runs once per distinct local transition, as in the plain search.
    expect(packedInstance.world.xstateCalls()).toBe(plainInstance.world.xstateCalls());
    expect([...packedInstance.world.environmentFired].sort()).toEqual([...plainInstance.world.environmentFired].sort());
    expect([...packedInstance.world.timersFiredInFlight].sort()).toEqual([...plainInstance.world.timersFiredInFlight].sort());
  });
});
