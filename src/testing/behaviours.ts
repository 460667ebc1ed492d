import fc from 'fast-check';
import { reduceSequence } from '../engine/reduce.js';
import { instantiate, type ModelInstance } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import { firstFinding, replaySteps, stepsFind } from '../check/trace.js';
import type { ModelDefinition } from '../spec/model.js';
import type { ActionDescriptor } from '../world/actions.js';
import { describeAction } from '../report/describe.js';
import { renderStory } from '../report/story.js';

export interface BehaviourOptions {
  variant: string;
  config?: string;
  /** Longest behaviour drawn (default 40 steps); a behaviour also ends where nothing can happen. */
  maxSteps?: number;
}

/**
 * One random run of a model variant: the steps taken from the initial state.
 * Check it with `expect(behaviour).toHold()`; a broken property is reported
 * with its story, after delta debugging has removed the steps it does not need.
 */
export class Behaviour {
  constructor(
    readonly instance: ModelInstance,
    readonly steps: readonly ActionDescriptor[],
  ) {}

  /** The first property of the variant (or the one named) this behaviour breaks, as a result row with a minimal trace. */
  firstViolation(only?: string): CheckResult | undefined {
    const replayed = replaySteps(this.instance, this.steps);
    const expect = this.instance.model.variants[this.instance.variant]!.expect;
    for (const property of this.instance.properties) {
      if (property.kind !== 'always' && property.kind !== 'deadlock-free') continue;
      if (only !== undefined && property.name !== only) continue;
      const finding = firstFinding(this.instance, property, replayed);
      if (!finding) continue;
      const trace = reduceSequence(this.steps.slice(0, finding.at), (candidate) => stepsFind(this.instance, property, candidate));
      const witness = firstFinding(this.instance, property, replaySteps(this.instance, trace))!.witness;
      return {
        model: this.instance.model.name,
        variant: this.instance.variant,
        config: this.instance.config,
        property: property.name,
        kind: property.kind,
        mode: 'random',
        expected: expect[property.name]!,
        verdict: 'violated',
        states: finding.at + 1,
        transitions: finding.at,
        depth: finding.at,
        complete: false,
        traceLength: trace.length,
        seconds: 0,
        note: `${finding.at} random steps reduced to ${trace.length}`,
        trace,
        witness,
      };
    }
    return undefined;
  }

  story(result: CheckResult): string[] {
    return renderStory(this.instance, result);
  }

  /** How fast-check prints a behaviour in its failure report. */
  [fc.toStringMethod](): string {
    return `${this.instance.model.name}/${this.instance.variant}: ${this.steps.map(describeAction).join('; ') || '(no steps)'}`;
  }
}

/**
 * Random behaviours of one variant as a fast-check arbitrary, for
 * `test.prop([behaviours(model, { variant })])` of `@fast-check/vitest`. Each
 * step picks one of the enabled actions by a drawn number, so fast-check's
 * seed, path and shrinking apply as for any other arbitrary.
 */
export function behaviours(model: ModelDefinition<any>, options: BehaviourOptions): fc.Arbitrary<Behaviour> {
  const instance = instantiate(model, options.variant, options.config);
  const world = instance.world;
  // size 'max': fast-check's default size draws about ten elements, too few to reach most bugs.
  const initials = world.initialStates().length;
  const choose = fc.array(fc.nat(), { maxLength: options.maxSteps ?? 40, size: 'max' });
  // With several initial states fast-check draws the one a behaviour starts from, so it shrinks and replays it too.
  const drawn = initials > 1 ? fc.tuple(fc.nat({ max: initials - 1 }), choose) : choose.map((choices): [number, number[]] => [0, choices]);
  return drawn.map(([start, choices]) => {
    let state = world.initialStates()[start]!;
    const steps: ActionDescriptor[] = initials > 1 ? [world.initAction(start).descriptor] : [];
    for (const choice of choices) {
      const enabled = world.actions(state);
      if (enabled.length === 0) break;
      const action = enabled[choice % enabled.length]!;
      steps.push(action.descriptor);
      state = world.nextState(state, action);
    }
    return new Behaviour(instance, steps);
  });
}
