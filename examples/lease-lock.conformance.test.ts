// #region validate
import { expect, test } from 'vitest';
import { describeValidation, parseLog, validateLog, validationInstance } from 'outage-checker/testing';
import { leaseLock } from './lease-lock.js';
import { runLeaseLock } from './lease-lock.impl.js';

// The model's configuration for real runs: the budgets must allow what a run does (here, up to 6 ticks).
const config = { clients: 2, ticks: 6, drops: 0 };

test('every log of the fenced implementation is a behaviour of the fenced model', () => {
  const fenced = validationInstance(leaseLock, 'fenced', config);
  for (let seed = 1; seed <= 200; seed++) {
    const log = runLeaseLock(seed, { fenced: true, clients: 2, ticks: 6, steps: 40 });
    const validation = validateLog(fenced, parseLog(log, { processes: fenced.world.processNames }));
    expect(validation.verdict, describeValidation(validation, `seed ${seed}`).join('\n')).toBe('conforms');
  }
});
// #endregion validate

// #region unfenced
test('an implementation that forgets to fence is caught at the write it should have refused', () => {
  const fenced = validationInstance(leaseLock, 'fenced', config);
  const unfenced = validationInstance(leaseLock, 'unfenced', config);
  const rejected = [];
  for (let seed = 1; seed <= 200; seed++) {
    const events = parseLog(runLeaseLock(seed, { fenced: false, clients: 2, ticks: 6, steps: 40 }), { processes: fenced.world.processNames });
    const validation = validateLog(fenced, events);
    if (validation.verdict !== 'diverges') continue;
    rejected.push(seed);
    // The storage took a write the fenced model refuses: its list of accepted writes differs from there on.
    expect(validation.event).toMatchObject({ kind: 'receive', process: 'storage' });
    expect(validation.reason).toMatch(/but then storage reports accepted/);
    // The same log is a behaviour of the unfenced model, and there it breaks the property, at that very line.
    const asUnfenced = validateLog(unfenced, events);
    expect(asUnfenced.verdict).toBe('conforms');
    if (asUnfenced.verdict !== 'conforms') continue;
    const broken = asUnfenced.properties.find((p) => p.property === 'writes-in-lease-order')!.broken;
    expect(broken?.line).toBe(validation.event.line);
  }
  expect(rejected.length).toBeGreaterThan(0);
});
// #endregion unfenced

// #region paths
import { instantiate } from 'outage-checker';
import { coveringPaths, modelPaths, runPath, runPaths, type ImplementationAdapter } from 'outage-checker/testing';
import fc from 'fast-check';
import { LeaseLockSystem } from './lease-lock.impl.js';

/** Messages are equal when their fields are, whatever the order of the keys. */
const sameMessage = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);

/** Makes the implementation take model steps, and reads back how each process stands. */
function adapter(fenced: boolean): ImplementationAdapter {
  let system = new LeaseLockSystem({ fenced, clients: 2 });
  return {
    reset: () => void (system = new LeaseLockSystem({ fenced, clients: 2 })),
    apply(step) {
      if (step.kind === 'request') return system.request(step.process, step.event.type as 'WANT_LOCK' | 'WRITE');
      if (step.kind === 'tick') return system.tick();
      if (step.kind !== 'deliver') return `the lock has no ${step.kind} step`;
      const index = system.net.inFlight.findIndex((m) => m.to === step.to && sameMessage(m.msg, step.msg));
      if (index < 0) return `no ${step.msg.type} for ${step.to} in flight`;
      system.deliver(index);
    },
    observe: (process) => system.stateOf(process),
  };
}

test('paths generated from the model take every transition of its machines, and the implementation agrees at each step', async () => {
  const instance = instantiate(leaseLock, 'fenced');
  const plan = coveringPaths(instance);
  const run = await runPaths(instance, plan.paths.map((p) => p.steps), adapter(true));
  expect(run.failures).toEqual([]);
  expect(run.covered).toEqual([...plan.declared].sort());
});

test('random model paths, shrunk by fast-check when the implementation disagrees', async () => {
  const instance = instantiate(leaseLock, 'fenced');
  await fc.assert(
    fc.asyncProperty(modelPaths(instance, { maxLength: 30 }), async (path) => {
      expect(await runPath(instance, path, adapter(true))).toBeUndefined();
    }),
    { numRuns: 300, seed: 1 },
  );
});
// #endregion paths
