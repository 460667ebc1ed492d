import type { ModelDefinition } from '../spec/model.js';
import { describeAction } from '../report/describe.js';
import { ModelDefinitionError } from '../world/errors.js';
import { parseReplayFile, ReplayFileError, type ReplayFile } from '../report/replay-file.js';
import { fingerprintOf } from './fingerprint.js';
import { instantiate, type ModelInstance } from './instance.js';
import type { CheckResult } from './result.js';
import { firstFinding, ReplayError, replaySteps } from './trace.js';
import { lassoHolds } from './liveness.js';
import type { EventuallyProperty } from '../spec/property.js';

export interface ReplayOutcome {
  /** True when the steps still show what the file recorded. */
  reproduced: boolean;
  instance: ModelInstance;
  /** The result the replay yields, with the trace cut at the first finding. */
  result: CheckResult;
  message: string;
}

const regenerate = (r: ReplayFile) => `regenerate it with: npm run check -- --model ${r.model} --variant ${r.variant} --out counterexamples`;

/** Re-runs a replay file step by step on the current model; a changed model or an impossible step is a ReplayFileError. */
export function replay(text: string, file: string, models: ReadonlyArray<ModelDefinition<any>>): ReplayOutcome {
  const recorded = parseReplayFile(text, file);
  const model = models.find((m) => m.name === recorded.model);
  if (!model) throw new ReplayFileError(`${file}: model '${recorded.model}' no longer exists (models: ${models.map((m) => m.name).join(', ')})`);
  let instance: ModelInstance;
  try {
    instance = instantiate(model, recorded.variant, recorded.config);
  } catch (error) {
    if (error instanceof ModelDefinitionError) throw new ReplayFileError(`${file}: ${error.message}`);
    throw error;
  }
  const start = recorded.steps[0];
  if (start?.kind === 'init' && instance.world.initialIndexOf(start.initial) === undefined) {
    const known = instance.world.initialStates().map((_, i) => `"${instance.world.initialLabel(i)}"`).join(', ');
    throw new ReplayFileError(`${file}: starts from initial state "${start.initial}", which ${recorded.model}/${recorded.variant} no longer has (its initial states: ${known}); ${regenerate(recorded)}`);
  }
  if (fingerprintOf(instance) !== recorded.fingerprint) {
    throw new ReplayFileError(`${file}: model ${recorded.model}/${recorded.variant} has changed since this file was written; ${regenerate(recorded)}`);
  }
  const property = instance.properties.find((p) => p.name === recorded.property);
  if (!property) throw new ReplayFileError(`${file}: variant ${recorded.variant} no longer checks property '${recorded.property}'; ${regenerate(recorded)}`);
  let replayed;
  try {
    replayed = replaySteps(instance, recorded.steps);
  } catch (error) {
    if (error instanceof ReplayError) throw new ReplayFileError(`${file}: ${error.message}; ${regenerate(recorded)}`);
    throw error;
  }
  if (property.kind === 'eventually') return replayLasso(recorded, file, instance, property, replayed.states);
  const finding = firstFinding(instance, property, replayed);
  const steps = finding ? recorded.steps.slice(0, finding.at) : recorded.steps;
  const expected = model.variants[recorded.variant]!.expect[property.name]!;
  const result: CheckResult = {
    model: model.name,
    variant: recorded.variant,
    config: recorded.config,
    property: property.name,
    kind: property.kind,
    mode: 'exhaustive',
    expected,
    verdict: finding ? recorded.verdict : property.kind === 'sometimes' ? 'violated' : 'holds',
    states: replayed.states.length,
    transitions: replayed.actions.length,
    depth: steps.length,
    complete: false,
    traceLength: steps.length,
    seconds: 0,
    trace: steps,
    witness: finding?.witness,
  };
  const what = recorded.verdict === 'violated' ? `breaks ${property.name}` : `reaches ${property.name}`;
  return {
    reproduced: finding !== undefined,
    instance,
    result,
    message: finding
      ? `${file}: reproduced: ${recorded.model}/${recorded.variant} ${what} after ${finding.at} of ${recorded.steps.length} steps`
      : `${file}: NOT reproduced: the ${recorded.steps.length} steps no longer ${recorded.verdict === 'violated' ? 'break' : 'reach'} ${property.name} on ${recorded.model}/${recorded.variant}`,
  };
}

function replayLasso(recorded: ReplayFile, file: string, instance: ModelInstance, property: EventuallyProperty, states: string[]): ReplayOutcome {
  if (recorded.loopFrom === undefined) throw new ReplayFileError(`${file} is corrupt: a liveness counterexample needs "loopFrom"`);
  const reproduced = lassoHolds(instance, property, states, recorded.loopFrom);
  const result: CheckResult = {
    model: recorded.model,
    variant: recorded.variant,
    config: recorded.config,
    property: property.name,
    kind: property.kind,
    mode: 'exhaustive',
    expected: instance.model.variants[recorded.variant]!.expect[property.name]!,
    verdict: reproduced ? 'violated' : 'holds',
    states: states.length,
    transitions: recorded.steps.length,
    depth: recorded.steps.length,
    complete: false,
    traceLength: recorded.steps.length,
    seconds: 0,
    trace: recorded.steps,
    loopFrom: recorded.loopFrom,
    witness: reproduced ? { message: recorded.witness } : undefined,
  };
  return {
    reproduced,
    instance,
    result,
    message: reproduced
      ? `${file}: reproduced: ${recorded.model}/${recorded.variant} can loop forever without ${property.name} (steps ${recorded.loopFrom + 1} to ${recorded.steps.length} repeat)`
      : `${file}: NOT reproduced: the steps no longer form a fair loop that avoids ${property.name} on ${recorded.model}/${recorded.variant}`,
  };
}

/** What a counterexample's steps do on another variant: break the property there too, not break it, or not be possible at all. */
export type CrossReplay = { outcome: 'breaks' | 'keeps'; steps: number } | { outcome: 'impossible'; step: number; reason: string };

/**
 * Replays recorded steps on another variant of the same model and
 * configuration. `keeps` means every step was possible and the property was
 * not broken (for liveness: the steps no longer form the fair loop);
 * `impossible` means the variant has no such step at that point, which shows
 * nothing about the property by itself.
 */
export function replayOnVariant(model: ModelDefinition<any>, variant: string, recorded: Pick<ReplayFile, 'config' | 'property' | 'steps' | 'loopFrom'>): CrossReplay {
  const instance = instantiate(model, variant, recorded.config);
  const property = model.properties.find((p) => p.name === recorded.property)!;
  let replayed;
  try {
    replayed = replaySteps(instance, recorded.steps);
  } catch (error) {
    if (error instanceof ReplayError) return { outcome: 'impossible', step: error.step, reason: `step ${error.step} (${describeAction(recorded.steps[error.step - 1]!)}) is not possible there` };
    throw error;
  }
  const breaks = property.kind === 'eventually' ? lassoHolds(instance, property, replayed.states, recorded.loopFrom ?? recorded.steps.length) : firstFinding(instance, property, replayed) !== undefined;
  return { outcome: breaks ? 'breaks' : 'keeps', steps: recorded.steps.length };
}

/** A cross replay in words, for pages and the command line. */
export function describeCrossReplay(variant: string, property: string, cross: CrossReplay): string {
  switch (cross.outcome) {
    case 'breaks':
      return `on \`${variant}\` the same ${cross.steps} steps break ${property} too`;
    case 'keeps':
      return `on \`${variant}\` all ${cross.steps} steps replay and ${property} is not broken`;
    case 'impossible':
      return `on \`${variant}\` the steps cannot be replayed: ${cross.reason} (this shows nothing about ${property} there)`;
  }
}
