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
 *
 * Does an implementation do what the model says? Validate a log it wrote:
 *
 *     const validation = validateLog(instance, parseLog(text, { processes: instance.world.processNames }));
 *     expect(validation.verdict, describeValidation(validation).join('\n')).toBe('conforms');
 *
 * or drive it along model paths that cover every machine transition, through an adapter you write:
 *
 *     const run = await runPaths(instance, coveringPaths(instance).paths.map((p) => p.steps), adapter);
 */
import { expect } from 'vitest';
import { matchers, type OutageMatchers } from './matchers.js';

export { check, ModelCheck, type CheckOptions } from './check.js';
export { behaviours, Behaviour, type BehaviourOptions } from './behaviours.js';
export { replayCounterexample } from './replay.js';
export { matchers, type OutageMatchers } from './matchers.js';
export { parseLog, LogError, formatLogEvent, type LogEvent, type LogEntry, type ReportedState } from '../conformance/log.js';
export { validateLog, validationInstance, describeValidation, diagnose, type Validation, type ValidateOptions, type PropertyJudgement } from '../conformance/validate.js';
export { logOfPath } from '../conformance/path-log.js';
export { coveringPaths, runPaths, runPath, modelPaths, transitionsTaken, type ImplementationAdapter, type PathPlan, type PathRun, type PathFailure, type TestPath } from '../conformance/paths.js';

expect.extend(matchers);

declare module 'vitest' {
  interface Matchers<T = any> extends OutageMatchers {}
}
