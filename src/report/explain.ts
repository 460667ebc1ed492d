import type { ModelInstance } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import type { Explanation, Fact } from '../spec/property.js';
import { WorldView } from '../world/world-view.js';

/**
 * The step that last made a fact true along a trace's states (1-based: step k
 * leads from state k−1 to state k); 0 when it held from the initial state on;
 * undefined when it does not hold at the end (a slip in the property's explain).
 */
export function stepEstablishing(states: readonly WorldView[], fact: Pick<Fact, 'holds'>): number | undefined {
  if (!fact.holds(states[states.length - 1]!)) return undefined;
  for (let k = states.length - 1; k > 0; k--) if (!fact.holds(states[k - 1]!)) return k;
  return 0;
}

/** The property's explanation of the state the story ends in (the loop's state for liveness), if it gives one. */
export function explanationOf(instance: ModelInstance, result: CheckResult, end: WorldView): Explanation | undefined {
  const property = instance.model.properties.find((p) => p.name === result.property);
  if (!property || (property.kind !== 'always' && property.kind !== 'eventually')) return undefined;
  return property.explain?.(end);
}

/** "X (step i); however Y (step j): so Z." Facts already true initially say so; a fact that does not hold at the end says that too. */
export function causalSentence(explanation: Explanation, states: readonly WorldView[]): string {
  const dated = explanation.facts.map((f) => {
    const step = stepEstablishing(states, f);
    return `${f.says} (${step === undefined ? 'NOT TRUE at the end: the explanation is wrong' : step === 0 ? 'from the start' : `step ${step}`})`;
  });
  const head = dated.length > 1 ? `${dated.slice(0, -1).join('; ')}; however ${dated[dated.length - 1]}` : dated[0] ?? '';
  return `${head}: so ${explanation.so.replace(/[.\s]+$/, '')}.`;
}
