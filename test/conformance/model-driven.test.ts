import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { replicaElection } from '../../properties/replica-election.js';
import { instantiate } from '../../src/index.js';
import { coveringPaths, modelPaths, runPath, runPaths, transitionsTaken } from '../../src/conformance/paths.js';
import { replaySteps } from '../../src/check/trace.js';
import type { ActionDescriptor } from '../../src/world/actions.js';
import { describeAction } from '../../src/report/describe.js';
import { implementationAdapter } from './replica-election-adapter.js';

// Two writes: the smallest checked configuration whose exploration takes every transition of the three machines.
const instance = instantiate(replicaElection, 'fixed', 'two-writes');
const plan = coveringPaths(instance);

/** Whether the last step is a PEER_LOST that the model's primary takes (primary on PEER_LOST). */
function takesPrimarySuspicion(steps: ActionDescriptor[]): boolean {
  const { states, actions } = replaySteps(instance, steps);
  return transitionsTaken(instance.world, states[states.length - 2]!, actions[actions.length - 1]!).includes('replica: primary on PEER_LOST');
}

describe('paths generated from the explored graph, run against the implementation', () => {
  test('they cover every transition of every replica-election machine, and the correct implementation agrees with the model at every step of every path', async () => {
    expect(plan.complete).toBe(true);
    expect(plan.unreachable).toEqual([]);
    expect(plan.declared.length).toBe(20);
    expect(new Set(plan.paths.flatMap((p) => p.covers))).toEqual(new Set(plan.declared));
    const run = await runPaths(
      instance,
      plan.paths.map((p) => p.steps),
      implementationAdapter({ writes: 2 }),
    );
    expect(run.failures).toEqual([]);
    const share = `${run.covered.length}/${plan.declared.length} (${Math.round((100 * run.covered.length) / plan.declared.length)}%)`;
    console.log(`replica-election: ${plan.paths.length} generated paths (${plan.paths.reduce((n, p) => n + p.steps.length, 0)} steps) take ${share} of the machines' transitions in the implementation`);
    expect(run.covered).toEqual([...plan.declared].sort());
  });

  test('the planted promote-on-timeout bug fails every generated path at which a waiting primary suspects its secondaries, at that step', async () => {
    const run = await runPaths(
      instance,
      plan.paths.map((p) => p.steps),
      implementationAdapter({ writes: 2, bug: 'promote-on-timeout' }),
    );
    // The paths on which the bug's code runs: a replica that is primary with a write pending suspects its secondaries.
    const expected = plan.paths.flatMap((p, path) => {
      const at = p.steps.findIndex((d, i) => d.kind === 'request' && takesPrimarySuspicion(p.steps.slice(0, i + 1)));
      return at < 0 ? [] : [{ path, step: at + 1 }];
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(run.failures.map((f) => ({ path: f.path, step: f.step }))).toEqual(expected);
    for (const f of run.failures) expect(f.reason).toMatch(/reports state "primary" in the log, "negotiating" in the model/);
  });
});

describe('messages the model ignores', () => {
  // The instance asks where things stand (the answer: epoch 1), an election makes epoch 2, and the instance hears of it before the old answer arrives.
  const stale = [
    { kind: 'timeout', process: 'instance', event: { type: 'WRITE' } },
    { kind: 'timeout', process: 'instance', event: { type: 'RETRY' } },
    { kind: 'deliver', from: 'instance', to: 'cp', msg: { type: 'ASK', from: 'instance' } },
    { kind: 'request', process: 'r2', event: { type: 'PEER_LOST' } },
    { kind: 'deliver', from: 'r2', to: 'cp', msg: { type: 'REQUEST_PRIMACY', epoch: 1, suspects: ['r1'], from: 'r2' } },
    { kind: 'deliver', from: 'cp', to: 'instance', msg: { type: 'NEW_PRIMARY', epoch: 2, primary: 'r2', members: ['r2', 'r3'], from: 'cp' } },
    // In the model nothing happens here: the instance ignores an announcement older than its epoch.
    { kind: 'deliver', from: 'cp', to: 'instance', msg: { type: 'NEW_PRIMARY', epoch: 1, primary: 'r1', members: ['r1', 'r2', 'r3'], from: 'cp' } },
  ] as ActionDescriptor[];

  test('a path may deliver one: the correct implementation ignores it too, accept-stale-epoch takes it up and fails there', async () => {
    expect(await runPath(instance, stale, implementationAdapter({ writes: 2 }))).toBeUndefined();
    const failure = await runPath(instance, stale, implementationAdapter({ writes: 2, bug: 'accept-stale-epoch' }));
    expect(failure).toMatchObject({ step: 7, reason: 'instance reports primary "r1" in the log, "r2" in the model; epoch 1 in the log, 2 in the model' });
  });

  test('random paths that also deliver ignored messages: the correct implementation agrees on 150 of up to 30 steps', async () => {
    await fc.assert(
      fc.asyncProperty(modelPaths(instance, { maxLength: 30, ignored: true }), async (path) => {
        const failure = await runPath(instance, path, implementationAdapter({ writes: 2 }));
        expect(failure, failure && `${failure.step}. ${describeAction(failure.action)}: ${failure.reason}`).toBeUndefined();
      }),
      { numRuns: 150, seed: 2 },
    );
    // Not vacuous: many of those paths hold a delivery the model does not take (replaying them as model actions fails).
    const holdIgnored = fc.sample(modelPaths(instance, { maxLength: 30, ignored: true }), { numRuns: 150, seed: 2 }).filter((path) => {
      try {
        replaySteps(instance, path);
        return false;
      } catch {
        return true;
      }
    });
    expect(holdIgnored.length).toBeGreaterThan(30);
  });

  test('a step that is neither an action of the model nor one in which nothing happens is refused', async () => {
    const wrong = [{ kind: 'deliver', from: 'cp', to: 'instance', msg: { type: 'NEW_PRIMARY', epoch: 7, primary: 'r1', members: [], from: 'cp' } }] as unknown as ActionDescriptor[];
    await expect(runPath(instance, wrong, implementationAdapter({ writes: 2 }))).rejects.toThrow(/^step 1 .* is neither a step of the model nor one in which nothing happens$/);
  });
});

describe('random model paths with fast-check, run against the implementation', () => {
  test('the correct implementation agrees with the model on 150 random paths of up to 30 steps', async () => {
    await fc.assert(
      fc.asyncProperty(modelPaths(instance, { maxLength: 30 }), async (path) => {
        const failure = await runPath(instance, path, implementationAdapter({ writes: 2 }));
        expect(failure, failure && `${failure.step}. ${describeAction(failure.action)}: ${failure.reason}`).toBeUndefined();
      }),
      { numRuns: 150, seed: 1 },
    );
  });

  for (const [bug, short] of [['promote-on-timeout', 4]] as const) {
    test(`${bug}: fast-check finds a failing path and shrinks it to at most ${short} steps`, async () => {
      const details = await fc.check(
        fc.asyncProperty(modelPaths(instance, { maxLength: 40 }), async (path) => (await runPath(instance, path, implementationAdapter({ writes: 2, bug }))) === undefined),
        { numRuns: 3000, seed: 1 },
      );
      expect(details.failed).toBe(true);
      const path = details.counterexample![0];
      const failure = (await runPath(instance, path, implementationAdapter({ writes: 2, bug })))!;
      console.log(`${bug}: shrunk to ${path.length} steps, failing at step ${failure.step}:\n${path.map((d, i) => `  ${i + 1}. ${describeAction(d)}`).join('\n')}\n  → ${failure.reason}`);
      expect(path.length).toBeLessThanOrEqual(short);
      expect(failure.step).toBe(path.length);
    });
  }
});
