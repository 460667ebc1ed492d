import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breadthFirst } from '../../src/engine/bfs.js';
import { checkExhaustive } from '../../src/check/exhaustive.js';
import { evaluate, instantiate, stateChecks, type ModelInstance } from '../../src/check/instance.js';
import { LocalFactTable } from '../../src/world/local-facts.js';
import { twoPhaseCommit } from '../../properties/two-phase-commit.js';

const withFacts = (instance: ModelInstance) => instance.properties.filter((p) => p.localFacts);
const withoutFacts = (instance: ModelInstance): ModelInstance => ({ ...instance, properties: instance.properties.map(({ localFacts: _, ...p }) => p as typeof p) });

describe('local facts judge a state as the property does on its view', () => {
  for (const variant of ['correct', 'tm-commits-early']) {
    it(`two-phase-commit/${variant}: on every state of rm4 and on random walks through rm6`, () => {
      const found = new Set<string>();
      const agree = (instance: ModelInstance, tables: LocalFactTable[], state: string) => {
        withFacts(instance).forEach((property, i) => {
          const viewFinds = evaluate(property, instance.world, state) !== undefined;
          if (viewFinds) found.add(property.name);
          expect(tables[i]!.finds(state)).toBe(viewFinds);
        });
      };
      const small = instantiate(twoPhaseCommit, variant, 'rm4');
      expect(withFacts(small).map((p) => p.name)).toEqual(['tc-consistent', 'commit-happens', 'abort-happens']);
      const smallTables = withFacts(small).map((p) => new LocalFactTable(small.world, p.localFacts!));
      for (const state of reachable(small)) agree(small, smallTables, state);
      // Both answers were met for each property that can be found, so the agreement says something.
      expect([...found].sort()).toEqual(variant === 'correct' ? ['abort-happens', 'commit-happens'] : ['abort-happens', 'commit-happens', 'tc-consistent']);

      const large = instantiate(twoPhaseCommit, variant, 'rm6');
      const largeTables = withFacts(large).map((p) => new LocalFactTable(large.world, p.localFacts!));
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 40 }), (choices) => {
          let state = large.world.initialStates()[0]!;
          for (const choice of choices) {
            agree(large, largeTables, state);
            const actions = large.world.actions(state);
            if (actions.length === 0) break;
            state = large.world.nextState(state, actions[choice % actions.length]!);
          }
        }),
        { seed: 16, numRuns: 200 },
      );
    });
  }

  it('a packed check built from them answers what the plain check answers, witness included', () => {
    const instance = instantiate(twoPhaseCommit, 'tm-commits-early', 'rm3');
    const packed = instance.world.packed!;
    const checks = stateChecks(instance);
    let violations = 0;
    for (const state of reachable(instance)) {
      const length = packed.packInto(state);
      for (const check of checks) {
        const plain = check.test(state);
        expect(check.testPacked!(packed.vector, 0, length)).toEqual(plain);
        if (check.name === 'tc-consistent' && plain) violations++;
      }
    }
    expect(violations).toBeGreaterThan(0);
  });

  it('rows of an exhaustive check are the same with and without them', () => {
    for (const variant of ['correct', 'tm-commits-early']) {
      const instance = instantiate(twoPhaseCommit, variant, 'rm4');
      const strip = (rows: ReturnType<typeof checkExhaustive>) => rows.map(({ seconds: _, ...r }) => r);
      expect(strip(checkExhaustive(instance))).toEqual(strip(checkExhaustive(withoutFacts(instantiate(twoPhaseCommit, variant, 'rm4')))));
    }
  });
});

function reachable(instance: ModelInstance): string[] {
  const search = breadthFirst(instance.world, [], { unpacked: true });
  return Array.from({ length: search.states }, (_, i) => search.stateAt(i));
}
