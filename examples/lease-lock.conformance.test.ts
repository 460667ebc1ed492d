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
