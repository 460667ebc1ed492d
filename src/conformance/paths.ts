import fc from 'fast-check';
import { breadthFirst } from '../engine/bfs.js';
import type { ModelInstance } from '../check/instance.js';
import { replaySteps, traceFrom } from '../check/trace.js';
import { coverageOf } from '../check/coverage.js';
import type { ActionDescriptor, WorldAction } from '../world/actions.js';
import type { World } from '../world/world.js';
import type { ReportedState } from './log.js';
import { StepFinder, stateMismatch } from './steps.js';

/**
 * A machine transition as coverage names it (src/check/coverage.ts): the
 * machine's id and "STATE on EVENT", e.g. "replica: secondary on REPLICATE".
 */
export type TransitionName = string;

export interface TestPath {
  steps: ActionDescriptor[];
  /** The transitions its steps take, in order of first appearance. */
  covers: TransitionName[];
}

export interface PathPlan {
  paths: TestPath[];
  /** Every transition the machines declare. */
  declared: TransitionName[];
  /** Declared transitions that no explored behaviour takes (no path can cover them). */
  unreachable: TransitionName[];
  /** Whether the exploration was complete (a bound can leave transitions out). */
  complete: boolean;
}

/**
 * Test paths from the explored state graph that together take every
 * transition of every machine that any behaviour takes (xstate's
 * `createTestModel` does this for one machine; here it is a whole world, with
 * its faults). Each transition's path is a shortest one to the first edge of
 * the breadth-first search that takes it; transitions already taken by an
 * earlier path get none of their own. Deterministic: the search is.
 */
export function coveringPaths(instance: ModelInstance, options: { maxStates?: number } = {}): PathPlan {
  const world = instance.world;
  const search = breadthFirst(world, [], { recordEdges: true, exhaustAll: true, maxStates: options.maxStates });
  const firstEdge = new Map<TransitionName, { from: number; action: WorldAction }>();
  for (let i = 0; i < search.states; i++) {
    const state = search.stateAt(i);
    for (const action of search.edges!.labels(i)) {
      for (const name of transitionsTaken(world, state, action)) if (!firstEdge.has(name)) firstEdge.set(name, { from: i, action });
    }
  }
  const declared = coverageOf(world).machines.flatMap((m) => (m.transitions.declaredLabels ?? []).map((label) => `${m.machine}: ${label}`));
  const covered = new Set<TransitionName>();
  const paths: TestPath[] = [];
  // The deepest first: a long path takes many transitions on its way.
  const order = [...firstEdge.entries()].sort((a, b) => search.pathTo(b[1].from).length - search.pathTo(a[1].from).length || (a[0] < b[0] ? -1 : 1));
  for (const [name, edge] of order) {
    if (covered.has(name)) continue;
    const actions = [...search.pathTo(edge.from), edge.action];
    const steps = traceFrom(world, search.stateAt(search.rootOf(edge.from)), actions);
    const covers = transitionsAlong(instance, steps);
    for (const c of covers) covered.add(c);
    paths.push({ steps, covers });
  }
  return { paths, declared, unreachable: declared.filter((d) => !firstEdge.has(d)), complete: search.complete };
}

/** The machine transitions one action takes in a state: those of each process it hands an event that its machine handles there. */
export function transitionsTaken(world: World, state: string, action: WorldAction): TransitionName[] {
  const handed: Array<[number, { type: string }]> = [];
  const d = action.descriptor;
  switch (d.kind) {
    case 'deliver':
      handed.push([world.processIndex.get(d.to)!, d.msg]);
      break;
    case 'timeout':
    case 'request':
    case 'internal':
      handed.push([world.processIndex.get(d.process)!, d.event]);
      break;
    case 'tick':
      world.processes.forEach((_, p) => handed.push([p, { type: 'TICK' }]));
      break;
    default:
      break;
  }
  const names: TransitionName[] = [];
  for (const [p, event] of handed) {
    const proc = world.processes[p]!;
    const local = world.localIdOf(state, p);
    const at = proc.locals[local]!;
    if (at.crashed || !proc.handles(local, proc.eventId(event))) continue;
    for (const leaf of activeLeaves(at.value)) names.push(`${proc.machine.id}: ${leaf} on ${event.type}`);
  }
  return names;
}

/** The transitions a path's steps take, in order of first appearance. */
export function transitionsAlong(instance: ModelInstance, steps: readonly ActionDescriptor[]): TransitionName[] {
  const { states, actions } = replaySteps(instance, steps);
  const seen = new Set<TransitionName>();
  actions.forEach((a, i) => transitionsTaken(instance.world, states[i]!, a).forEach((n) => seen.add(n)));
  return [...seen];
}

/** The dotted names of the atomic states a state value is in (as coverage names them). */
function activeLeaves(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix + value];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => activeLeaves(v, `${prefix}${k}.`));
  return [];
}

/**
 * What a user writes to run model paths against a real implementation: start
 * afresh, apply one model action, and say how each process stands now.
 */
export interface ImplementationAdapter {
  reset(): void | Promise<void>;
  /** Makes the implementation take the step; a string says why it cannot (the step is then a failure). */
  apply(step: ActionDescriptor): void | string | Promise<void | string>;
  /** A process's state as the implementation has it, in the model's terms; undefined when it cannot be read (e.g. it is down). */
  observe(process: string): ReportedState | undefined;
}

export interface PathFailure {
  path: number;
  /** 1-based: the step that failed. */
  step: number;
  action: ActionDescriptor;
  reason: string;
}

export interface PathRun {
  paths: number;
  failures: PathFailure[];
  /** The transitions the implementation took in agreement with the model. */
  covered: TransitionName[];
}

/**
 * Runs paths against an implementation: after each step every process the
 * adapter can observe must report the model's state. A path stops at its
 * first failure; the transitions of the steps before it count as covered.
 */
export async function runPaths(instance: ModelInstance, paths: ReadonlyArray<readonly ActionDescriptor[]>, adapter: ImplementationAdapter): Promise<PathRun> {
  const covered = new Set<TransitionName>();
  const failures: PathFailure[] = [];
  for (const [index, steps] of paths.entries()) {
    const failure = await runPath(instance, steps, adapter, covered);
    if (failure) failures.push({ ...failure, path: index });
  }
  return { paths: paths.length, failures, covered: [...covered].sort() };
}

/**
 * One path; the first failure, or undefined when every step agreed. A step
 * may also be a delivery in which nothing happens in the model (a message in
 * flight its receiver ignores, as `modelPaths` draws with `ignored: true`):
 * the implementation must then stay as it was.
 */
export async function runPath(instance: ModelInstance, steps: readonly ActionDescriptor[], adapter: ImplementationAdapter, covered = new Set<TransitionName>()): Promise<Omit<PathFailure, 'path'> | undefined> {
  const world = instance.world;
  const finder = new StepFinder(world);
  let state = world.initialStates()[0]!;
  const first = steps[0];
  if (first?.kind === 'init') state = world.initialStates()[world.initialIndexOf(first.initial)!]!;
  await adapter.reset();
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.kind === 'init') continue;
    const action = finder.find(state, step);
    if (!action && !finder.isStutter(state, step)) throw new Error(`step ${i + 1} (${JSON.stringify(step)}) is neither a step of the model nor one in which nothing happens`);
    const refused = await adapter.apply(step);
    if (typeof refused === 'string') return { step: i + 1, action: step, reason: `the implementation cannot take it: ${refused}` };
    const next = action ? world.nextState(state, action) : state;
    for (const process of world.processNames) {
      const observed = adapter.observe(process);
      const mismatch = observed && stateMismatch(world, next, process, observed);
      if (mismatch) return { step: i + 1, action: step, reason: mismatch };
    }
    if (action) for (const name of transitionsTaken(world, state, action)) covered.add(name);
    state = next;
  }
  return undefined;
}

/**
 * Random paths of the model for fast-check: each step picks one of the
 * actions enabled in the state reached, by a number fast-check draws, so a
 * failing path shrinks to a shorter one with earlier choices. With `ignored`,
 * the choices also include delivering a message in flight that its receiver
 * ignores in the model (nothing must happen): a bug that acts on such a
 * message shows only there. The model keeps an ignored message in flight, so
 * this suits a network that does too (`persistent`): on a bag, the
 * implementation may have used up a message the model still delivers later.
 */
export function modelPaths(instance: ModelInstance, options: { maxLength?: number; ignored?: boolean } = {}): fc.Arbitrary<ActionDescriptor[]> {
  const world = instance.world;
  return fc.array(fc.nat(), { maxLength: options.maxLength ?? 30 }).map((choices) => {
    const finder = new StepFinder(world);
    let state = world.initialStates()[0]!;
    const path: ActionDescriptor[] = [];
    for (const choice of choices) {
      const enabled: Array<WorldAction | ActionDescriptor> = world.actions(state);
      if (options.ignored) enabled.push(...ignoredDeliveries(world, finder, state));
      if (enabled.length === 0) break;
      const chosen = enabled[choice % enabled.length]!;
      if ('descriptor' in chosen) {
        path.push(chosen.descriptor);
        state = world.nextState(state, chosen);
      } else path.push(chosen);
    }
    return path;
  });
}

/** Deliveries of messages in flight that their receivers ignore in this state, in the network's order. */
function ignoredDeliveries(world: World, finder: StepFinder, state: string): ActionDescriptor[] {
  const out: ActionDescriptor[] = [];
  let previous = -1;
  for (const e of world.networkIds(state)) {
    if (e === previous) continue;
    previous = e;
    const env = world.envelopes[e]!;
    const d: ActionDescriptor = { kind: 'deliver', from: world.processes[env.from]!.name, to: world.processes[env.to]!.name, msg: env.msg };
    if (finder.isStutter(state, d)) out.push(d);
  }
  return out;
}
