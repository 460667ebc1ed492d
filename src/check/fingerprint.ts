import { breadthFirst } from '../engine/bfs.js';
import { fingerprint64 } from '../engine/hash.js';
import { canonicalJson } from '../world/canonical-json.js';
import { BUDGET_KINDS, World } from '../world/world.js';
import type { ModelInstance } from './instance.js';

const SAMPLE_STATES = 400;

/**
 * A fingerprint of a model instance, to tell whether a replay file still
 * describes the same model. It combines the structure (processes, machine
 * state nodes and transitions, inputs, network, partitions, budgets) with a
 * sample of behaviour: the first states a breadth-first search reaches, written
 * out in full. Function bodies are not hashed (their text differs between
 * tsx, vitest and bundlers); a changed guard or action shows up in the sample.
 */
export function fingerprintOf(instance: ModelInstance): string {
  const spec = instance.world.spec;
  const structure = {
    model: instance.model.name,
    variant: instance.variant,
    config: instance.model.configs[instance.config],
    network: spec.network,
    networks: spec.networks ?? null,
    partitions: spec.partitions ?? [],
    // JSON has no Infinity: an unbounded budget is written as a word.
    budgets: Object.fromEntries(Object.entries(spec.budgets).map(([kind, b]) => [kind, b === Infinity ? 'unbounded' : b])),
    ...(spec.initial ? { initial: spec.initial } : {}),
    processes: Object.entries(spec.processes).map(([name, p]) => ({
      name,
      machine: machineShape(p.machine.root as unknown as StateNodeLike),
      input: p.input ?? null,
      ...(p.inputs ? { inputs: p.inputs } : {}),
      timeouts: (p.timeouts ?? []).map((t) => t.event),
      ...(p.internal?.length ? { internal: p.internal.map((t) => ({ event: t.event, fairness: t.fairness ?? 'weak' })) } : {}),
      requests: p.requests ?? [],
      crash: p.crash !== undefined,
    })),
  };
  // A fresh world so the sample does not depend on what this instance already explored.
  const sampleWorld = new World(spec);
  const bfs = breadthFirst(sampleWorld, [], { maxStates: SAMPLE_STATES });
  const sample: string[] = [];
  for (let i = 0; i < bfs.states; i++) sample.push(describeState(sampleWorld, bfs.stateAt(i)));
  return fingerprint64(canonicalJson(structure) + '\n' + sample.join('\n'));
}

function describeState(world: World, state: string): string {
  const locals = world.processes.map((p) => p.locals[world.localIdOf(state, p.index)]!.key);
  const messages = world.networkIds(state).map((e) => {
    const env = world.envelopes[e]!;
    return `${env.from}>${env.to}:${canonicalJson(env.msg)}`;
  });
  const budgets = BUDGET_KINDS.map((kind) => world.budgetLeft(state, kind)).map((left) => (left === Infinity ? 'unbounded' : left));
  return canonicalJson({ locals, messages, partitions: world.partitionMask(state), budgets });
}

interface StateNodeLike {
  key: string;
  states: Record<string, StateNodeLike>;
  transitions: Map<string, Array<{ target?: Array<{ id: string }>; guard?: unknown; actions?: unknown[] }>>;
  always?: unknown[];
}

/** State nodes and, per event, the transition targets and guard names: the machine's shape without code. */
function machineShape(node: StateNodeLike): unknown {
  const transitions: Record<string, unknown> = {};
  for (const [event, list] of node.transitions ?? new Map()) {
    transitions[event] = list.map((t) => ({ target: (t.target ?? []).map((s) => s.id), guard: nameOf(t.guard), actions: (t.actions ?? []).length }));
  }
  const children: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node.states ?? {})) children[key] = machineShape(child);
  return { transitions, children, always: (node.always ?? []).length };
}

function nameOf(guard: unknown): string | null {
  if (!guard) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'inline';
}
