import type { AnyStateMachine } from 'xstate';
import type { VariantDefinition } from '../spec/model.js';
import { canonicalJson } from '../world/canonical-json.js';
import type { World } from '../world/world.js';

export interface MachineCoverage {
  machine: string;
  processes: string[];
  states: { visited: string[]; missed: string[] };
  /** (state, event) pairs the machine declares a transition for. */
  transitions: { visited: number; declared: number; missed: string[]; declaredLabels?: string[] };
}

export interface Coverage {
  machines: MachineCoverage[];
  faults: { fired: string[]; never: string[] };
  /** Timers ("EVENT at process") that fired while a message was in flight, sorted. */
  timersInFlight?: string[];
  /** Processes that restarted after a crash, sorted (a restart is not a budgeted fault, so `faults` does not list it). */
  restarted?: string[];
}

interface NodeLike {
  key: string;
  type: string;
  path: string[];
  states: Record<string, NodeLike>;
  transitions: Map<string, unknown[]>;
  always?: unknown[];
  parent?: NodeLike;
}

/**
 * What an exploration exercised: per machine, the atomic states reached and
 * the (state, event) transitions taken, and which of the declared faults
 * fired. Read off the world's interned local states and memoised steps, so it
 * costs nothing during the search.
 */
export function coverageOf(world: World): Coverage {
  const byMachine = new Map<AnyStateMachine, number[]>();
  world.processes.forEach((p, i) => byMachine.set(p.machine, [...(byMachine.get(p.machine) ?? []), i]));
  const machines: MachineCoverage[] = [];
  for (const [machine, indices] of byMachine) {
    const leaves = atomicStates(machine.root as unknown as NodeLike);
    const declared = new Map<string, string>(); // "state|event" → label
    for (const leaf of leaves) {
      for (let n: NodeLike | undefined = leaf; n; n = n.parent) {
        for (const event of n.transitions.keys()) declared.set(`${stateName(leaf)}|${event}`, `${stateName(leaf)} on ${event}`);
      }
    }
    const visitedStates = new Set<string>();
    const visitedTransitions = new Set<string>();
    for (const i of indices) {
      const runtime = world.processes[i]!;
      for (const local of runtime.locals) if (!local.crashed) for (const s of activeLeaves(local.value)) visitedStates.add(s);
      for (const { local, event, handled } of runtime.visitedTransitions()) {
        if (!handled || local.crashed) continue;
        for (const s of activeLeaves(local.value)) visitedTransitions.add(`${s}|${event.type}`);
      }
    }
    // Sorted, so that coverages of several explorations merge into the same lists.
    const names = leaves.map(stateName).sort();
    const visitedDeclared = [...declared.keys()].filter((k) => visitedTransitions.has(k));
    machines.push({
      machine: machine.id,
      processes: indices.map((i) => world.processes[i]!.name),
      states: { visited: names.filter((n) => visitedStates.has(n)), missed: names.filter((n) => !visitedStates.has(n)) },
      transitions: {
        visited: visitedDeclared.length,
        declared: declared.size,
        missed: [...declared.entries()].filter(([k]) => !visitedTransitions.has(k)).map(([, label]) => label),
        declaredLabels: [...declared.values()].sort(),
      },
    });
  }
  const declaredFaults = declaredFaultIds(world).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return {
    machines,
    faults: { fired: declaredFaults.filter((f) => fired(world, f.id)).map((f) => f.label), never: declaredFaults.filter((f) => !fired(world, f.id)).map((f) => f.label) },
    timersInFlight: [...world.timersFiredInFlight].sort(),
    restarted: restartedProcesses(world),
  };
}

function restartedProcesses(world: World): string[] {
  return world.processes.filter((p) => world.environmentFired.has(canonicalJson({ kind: 'restart', process: p.name }))).map((p) => p.name).sort();
}

/** The faults the model declares and budgets for, each as the action id it fires with. */
function declaredFaultIds(world: World): Array<{ id: string; label: string }> {
  const spec = world.spec;
  const faults: Array<{ id: string; label: string }> = [];
  if (spec.budgets.partition) {
    for (const p of spec.partitions ?? []) faults.push({ id: canonicalJson({ kind: 'partition', partition: p.name }), label: `partition "${p.name}"` });
  }
  if (spec.budgets.crash) {
    for (const p of world.processes) if (p.spec.crash) faults.push({ id: canonicalJson({ kind: 'crash', process: p.name }), label: `crash ${p.name}` });
  }
  if (spec.budgets.drop) faults.push({ id: DROP, label: 'message loss' });
  return faults;
}

const DROP = 'drop';

/** Message loss counts as one fault whatever message it strikes. */
function fired(world: World, id: string): boolean {
  if (id === DROP) return [...world.environmentFired].some((f) => f.includes('"kind":"drop"'));
  return world.environmentFired.has(id);
}

/** Atomic states a machine can rest in; transient states (left at once by an eventless transition) never show. */
function atomicStates(node: NodeLike): NodeLike[] {
  const children = Object.values(node.states);
  if (children.length === 0) return node.always?.length ? [] : [node];
  return children.flatMap(atomicStates);
}

/** "states 9/9, transitions 16/16, faults 3/3": the coverage of one exploration in a few words. */
export function summarizeCoverage(coverage: Coverage): string {
  const sum = (f: (m: MachineCoverage) => number) => coverage.machines.reduce((n, m) => n + f(m), 0);
  const states = `${sum((m) => m.states.visited.length)}/${sum((m) => m.states.visited.length + m.states.missed.length)}`;
  const transitions = `${sum((m) => m.transitions.visited)}/${sum((m) => m.transitions.declared)}`;
  const faults = `${coverage.faults.fired.length}/${coverage.faults.fired.length + coverage.faults.never.length}`;
  return `states ${states}, transitions ${transitions}, faults ${faults}`;
}

function stateName(node: NodeLike): string {
  return node.path.join('.');
}

/** The dotted names of the atomic states a state value is in. */
function activeLeaves(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix + value];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => activeLeaves(v, `${prefix}${k}.`));
  return [];
}

/**
 * The transitions a fixed variant's safeguards add that the exploration never
 * took, each as a reason in words. A transition the machine does not declare
 * counts as never taken (and says so), so a misspelt label cannot pass.
 */
export function untakenSafeguardTransitions(variant: VariantDefinition | undefined, coverage: Coverage, config?: string): string[] {
  const reasons: string[] = [];
  for (const [name, safeguard] of Object.entries(variant?.safeguards ?? {})) {
    for (const { machine, transition, configs } of safeguard.transitions ?? []) {
      // A transition owed only by some configurations is judged on those alone.
      if (configs && config !== undefined && !configs.includes(config)) continue;
      const covered = coverage.machines.find((m) => m.machine === machine);
      const declared = covered !== undefined && (covered.transitions.missed.includes(transition) || transitionVisited(covered, transition));
      if (!declared) reasons.push(`safeguard ${name}: machine ${machine} declares no transition '${transition}'`);
      else if (covered.transitions.missed.includes(transition)) reasons.push(`safeguard ${name}: ${machine} never took '${transition}'`);
    }
  }
  return reasons;
}

/** Visited transition labels are not kept, only counted; a label is visited when declared and not missed. */
function transitionVisited(machine: MachineCoverage, label: string): boolean {
  return machine.transitions.declaredLabels?.includes(label) === true && !machine.transitions.missed.includes(label);
}

/**
 * A verdict of `holds` means something only if the behaviour it covers
 * happened: every `sometimes` property reached, every declared fault fired and
 * (for a fixed variant) every transition its safeguards add taken. Otherwise
 * the holding rows become `vacuous`, which counts as a failure.
 */
export function markVacuous<R extends { kind: string; verdict: string; note?: string; property: string; config?: string }>(rows: R[], coverage: Coverage, variant?: VariantDefinition): R[] {
  const unreached = rows.filter((r) => r.kind === 'sometimes' && r.verdict !== 'holds').map((r) => r.property);
  const reasons = [...unreached.map((p) => `${p} never reached`), ...coverage.faults.never.map((f) => `${f} never happened`), ...untakenSafeguardTransitions(variant, coverage, rows[0]?.config)];
  if (reasons.length === 0) return rows;
  return rows.map((r) => (r.kind !== 'sometimes' && r.verdict === 'holds' ? { ...r, verdict: 'vacuous', note: `vacuous: ${reasons.join('; ')}` } : r));
}

/**
 * One coverage from several explorations of the same instance (the workers of
 * a parallel search): what any of them exercised counts.
 */
export function mergeCoverage(parts: readonly Coverage[]): Coverage {
  const first = parts[0]!;
  const inAll = (lists: string[][]) => lists[0]!.filter((x) => lists.every((l) => l.includes(x)));
  const inAny = (lists: string[][], order: string[]) => order.filter((x) => lists.some((l) => l.includes(x)));
  return {
    machines: first.machines.map((m, i) => {
      const same = parts.map((p) => p.machines[i]!);
      const allStates = [...m.states.visited, ...m.states.missed].sort();
      const missed = inAll(same.map((x) => x.transitions.missed));
      const visitedStates = inAny(same.map((x) => x.states.visited), allStates);
      return {
        machine: m.machine,
        processes: m.processes,
        states: { visited: visitedStates, missed: allStates.filter((s) => !visitedStates.includes(s)) },
        transitions: { visited: m.transitions.declared - missed.length, declared: m.transitions.declared, missed, declaredLabels: m.transitions.declaredLabels },
      };
    }),
    faults: (() => {
      const declared = [...first.faults.fired, ...first.faults.never].sort();
      const fired = inAny(parts.map((p) => p.faults.fired), declared);
      return { fired, never: declared.filter((f) => !fired.includes(f)) };
    })(),
    timersInFlight: [...new Set(parts.flatMap((p) => p.timersInFlight ?? []))].sort(),
    restarted: [...new Set(parts.flatMap((p) => p.restarted ?? []))].sort(),
  };
}
