/**
 * vitest integration, imported as `outage-checker/testing`. Importing it
 * registers the matchers `toHold`, `toBeViolatedBy` and `toBeAsExpected`:
 *
 *     expect(await check(model, { variant: 'fixed' })).toHold();
 *     expect(await check(model, { variant: 'buggy' })).toBeViolatedBy('single-primary');
 *
 * A counterexample saved with `--out` as a regression test:
 *
 *     expect(await replayCounterexample(new URL('./counterexamples/m/buggy--p.replay.json', import.meta.url), model)).toBeViolatedBy('p');
 *
 * For random behaviours under `@fast-check/vitest`:
 *
 *     test.prop([behaviours(model, { variant: 'fixed' })])('...', (b) => { expect(b).toHold(); });
 */
import { expect } from 'vitest';
import { matchers, type OutageMatchers } from './matchers.js';

export { check, ModelCheck, type CheckOptions } from './check.js';
export { behaviours, Behaviour, type BehaviourOptions } from './behaviours.js';
export { replayCounterexample } from './replay.js';
export { matchers, type OutageMatchers } from './matchers.js';

expect.extend(matchers);

declare module 'vitest' {
  interface Matchers<T = any> extends OutageMatchers {}
}
