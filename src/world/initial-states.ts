import { canonicalJson } from './canonical-json.js';
import { ModelDefinitionError } from './errors.js';
import type { WorldSpec } from './model-spec.js';

/**
 * One initial state of a world, before its machines start: the input each
 * process starts from, and a label naming what sets it apart from the others
 * ("n1 initiator=true n2 initiator=false"), which traces and replay files use.
 */
export interface InitialChoice {
  readonly label: string;
  /** Per process, in declaration order. */
  readonly inputs: readonly unknown[];
}

/**
 * The initial states a world declares, as TLA+'s `Init` read as a set: for each
 * entry of `WorldSpec.initial` (one unnamed entry when absent), every
 * combination of the processes' input alternatives (`ProcessSpec.inputs`, or
 * the one `input`), where the entry's own inputs replace a process's
 * alternatives. In declaration order: the first is the one a trace without an
 * `init` step starts from.
 */
export function initialChoices(spec: WorldSpec): InitialChoice[] {
  const names = Object.keys(spec.processes);
  for (const name of names) {
    const p = spec.processes[name]!;
    if (p.inputs === undefined) continue;
    if (p.input !== undefined) throw new ModelDefinitionError(`process ${name} declares both input and inputs: give its one input, or its list of alternatives`);
    if (!Array.isArray(p.inputs) || p.inputs.length === 0) throw new ModelDefinitionError(`process ${name} declares inputs that are not a non-empty list of alternatives`);
  }
  const entries = spec.initial ?? [undefined];
  if (entries.length === 0) throw new ModelDefinitionError('the world declares an empty list of initial states');
  const out: InitialChoice[] = [];
  entries.forEach((entry, k) => {
    for (const named of Object.keys(entry?.inputs ?? {})) {
      if (!(named in spec.processes)) throw new ModelDefinitionError(`initial state ${entry?.name ?? k + 1} gives an input to unknown process '${named}' (processes: ${names.join(', ')})`);
    }
    const alternatives = names.map((name) => {
      const own = entry?.inputs;
      if (own && Object.prototype.hasOwnProperty.call(own, name)) return [own[name]];
      const p = spec.processes[name]!;
      return p.inputs ?? [p.input];
    });
    const prefix = entries.length > 1 ? [entry?.name ?? `initial ${k + 1}`] : [];
    for (const pick of product(alternatives.map((a) => a.length))) {
      const parts = [...prefix];
      names.forEach((name, p) => {
        if (alternatives[p]!.length > 1) parts.push(`${name} ${describeAlternative(alternatives[p]!, pick[p]!)}`);
      });
      out.push({ label: parts.join(' ') || 'initial', inputs: pick.map((i, p) => alternatives[p]![i]) });
    }
  });
  const seen = new Set<string>();
  for (const choice of out) {
    if (seen.has(choice.label)) throw new ModelDefinitionError(`two initial states are both called "${choice.label}": give the world's initial entries distinct names, or the alternatives distinct values`);
    seen.add(choice.label);
  }
  return out;
}

/** Every combination of one index per slot, the last slot varying fastest. */
function* product(sizes: number[]): Generator<number[]> {
  const pick = sizes.map(() => 0);
  while (true) {
    yield pick.slice();
    let slot = sizes.length - 1;
    while (slot >= 0 && ++pick[slot]! === sizes[slot]!) pick[slot--] = 0;
    if (slot < 0) return;
  }
}

/** An alternative by the fields in which the alternatives differ (`initiator=true`), or whole when they are not records. */
function describeAlternative(alternatives: readonly unknown[], i: number): string {
  const chosen = alternatives[i];
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!alternatives.every(isRecord)) return showValue(chosen);
  const keys = [...new Set(alternatives.flatMap((a) => Object.keys(a as object)))].sort();
  const differing = keys.filter((key) => new Set(alternatives.map((a) => canonicalJson((a as Record<string, unknown>)[key] ?? null))).size > 1);
  return differing.map((key) => `${key}=${showValue((chosen as Record<string, unknown>)[key])}`).join(' ');
}

function showValue(value: unknown): string {
  return typeof value === 'string' ? value : canonicalJson(value ?? null);
}
