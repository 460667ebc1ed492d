import { describe, expect, it } from 'vitest';
import { twoPhaseCommit } from '../../properties/two-phase-commit.js';
import { reMirror } from '../../properties/re-mirror.js';
import { checkExhaustive, checkRandom, instantiate } from '../../src/index.js';
import { Novelty, StateGraph } from '../../src/check/random/state-graph.js';

const instance = () => instantiate(twoPhaseCommit, 'correct', 'rm3');

describe('the state graph random search keeps', () => {
  it('asks each question of a state once, an absent witness included, and a repeated step leads to the same record', () => {
    const inst = instance();
    let asked = 0;
    const property = inst.properties[0]!;
    const counted = { ...property, check: (view: never) => (asked++, (property as { check: (v: never) => unknown }).check(view)) } as typeof property;
    inst.properties = [counted];
    const graph = new StateGraph(inst);
    const root = graph.known(inst.world.initialStates()[0]!);
    expect(graph.verdict(root, counted)).toBeUndefined();
    expect(graph.verdict(root, counted)).toBeUndefined();
    expect(asked).toBe(1);
    const first = graph.actions(root)[0]!;
    const next = graph.successor(root, first);
    expect(graph.successor(root, first)).toBe(next);
    expect(next.state).toBe(inst.world.nextState(root.state, first));
  });

  it('past its capacity starts a new index and still gives the same answers', () => {
    const inst = instance();
    const graph = new StateGraph(inst, 2);
    const root = graph.known(inst.world.initialStates()[0]!);
    const successors = graph.actions(root).map((a) => graph.successor(root, a).state);
    const again = graph.known(root.state);
    expect(graph.actions(again).map((a) => graph.successor(again, a).state)).toEqual(successors);
  });
});

describe('novelty walks', () => {
  it('see the actions that lead somewhere not reached, and start on the frontier by the path that first reached it', () => {
    const inst = instance();
    const graph = new StateGraph(inst);
    const novelty = new Novelty(graph);
    const root = graph.known(inst.world.initialStates()[0]!);
    novelty.reach(root, undefined, undefined);
    expect(novelty.unseen(root)).toEqual(graph.actions(root));
    const [a, b] = graph.actions(root);
    const s1 = graph.successor(root, a!);
    novelty.reach(s1, root, a);
    expect(novelty.unseen(root)).toEqual(graph.actions(root).filter((x) => graph.successor(root, x) !== s1));
    expect(novelty.unseen(root)).toContain(b);
    const s2 = graph.successor(s1, graph.actions(s1)[0]!);
    novelty.reach(s2, s1, graph.actions(s1)[0]);
    // Whichever frontier state is drawn, its path replays from the root to it.
    for (let pick = 0; pick < 3; pick++) {
      let state = root;
      for (const step of novelty.pathTo(root, pick)) state = graph.successor(state, step);
      expect([root, s1, s2]).toContain(state);
      expect(novelty.unseen(state).length).toBeGreaterThan(0);
    }
    expect(novelty.done()).toBe(false);
    expect(novelty.size).toBe(3);
  });

  it('that the default search goes on with reach exactly the states exhaustive search counts, then stop', () => {
    const inst = instance();
    const [exhaustive] = checkExhaustive(inst);
    const graph = new StateGraph(inst);
    const novelty = new Novelty(graph);
    // Walk breadth-first over the graph the way novelty walks do: reach every successor of every reached state.
    const queue = [graph.known(inst.world.initialStates()[0]!)];
    novelty.reach(queue[0]!, undefined, undefined);
    while (queue.length > 0) {
      const k = queue.shift()!;
      for (const a of novelty.unseen(k)) {
        const next = graph.successor(k, a);
        if (!novelty.reached(next)) {
          novelty.reach(next, k, a);
          queue.push(next);
        }
      }
    }
    expect(novelty.done()).toBe(true);
    expect(novelty.size).toBe(exhaustive!.states);
  });

  it('that a property search makes find the bug a plain random search misses, on every seed tried', () => {
    // backoff-asks-once on flaky: its lasso needs a partition, its heal, a false suspicion, a crash and restart and a lost message, each at its point of a 30-step behaviour.
    for (const seed of [1, 2]) {
      const inst = instantiate(reMirror, 'backoff-asks-once', 'flaky');
      inst.properties = inst.properties.filter((p) => p.name === 'eventually-redundant');
      const plain = checkRandom(inst, { seed, runs: 1000, strategy: 'uniform' })[0]!;
      const mixed = checkRandom(inst, { seed, runs: 1000 })[0]!;
      expect(plain.verdict).toBe('holds');
      expect(mixed.verdict).toBe('violated');
      expect(mixed.note).toMatch(/novelty/);
    }
  }, 120_000);
});
