import { evaluate, instantiate, stateChecks, type ModelInstance } from '../check/instance.js';
import { breadthFirst } from '../engine/bfs.js';
import type { ModelDefinition } from '../spec/model.js';
import type { ActionDescriptor, ActionKind, WorldAction } from '../world/actions.js';
import { BUDGET_KINDS } from '../world/world.js';
import { WorldView } from '../world/world-view.js';
import { describeAction, show, showMessage, showStateValue } from '../report/describe.js';

/** A request the explorer cannot answer: an unknown model, variant or configuration, or a step that is not enabled. */
export class ExplorerError extends Error {}

/** Where a walk is: the instance, the initial state it starts from, and the action index taken at each step. */
export interface Walk {
  model: string;
  variant: string;
  config: string;
  /** Index into the world's initial states. */
  init: number;
  /** At each step, the index of the action taken among those enabled there (in the world's canonical order). */
  path: number[];
}

export interface ActionChoice {
  index: number;
  description: string;
  kind: ActionKind;
  /** The process the action lands on ('' for partitions and the clock). */
  process: string;
  /** For a delivery or a loss: who sent the message. */
  from?: string;
  fair: boolean;
}

export interface ExplorerPage {
  walk: Walk;
  initialStates: number;
  /** How each initial state is named (what differs between them). */
  initialLabels: string[];
  processNames: string[];
  /** The steps taken so far, each with the action chosen. */
  steps: ActionChoice[];
  processes: Array<{
    name: string;
    crashed: boolean;
    state: string;
    context: Record<string, string>;
    /** Fields (and 'state') the last step changed. */
    changed: string[];
    /** Fields with the same value in every state of the walk, which a reader may hide. */
    constant: string[];
  }>;
  messages: Array<{ from: string; to: string; message: string }>;
  partitions: string[];
  budgets: Record<string, string>;
  enabled: ActionChoice[];
  /** Each state property judged at the current state (liveness is judged on whole behaviours, not here). */
  properties: Array<{ name: string; kind: string; status: 'holds here' | 'broken here' | 'reached here' | 'not reached here'; message?: string }>;
}

/**
 * Walks a model's world by action indices, as Stateright's explorer does: a
 * step is addressed by its position among the actions enabled at that state,
 * never by a state fingerprint, so the same URL reaches the same state on any
 * run of any build that explores the same model.
 */
export class ExplorerSessions {
  private readonly instances = new Map<string, ModelInstance>();

  constructor(readonly models: ReadonlyArray<ModelDefinition<any>>) {}

  /** The model, variant and configuration a walk names, or a clear error. */
  instanceOf(walk: Pick<Walk, 'model' | 'variant' | 'config'>): ModelInstance {
    const key = `${walk.model}\u0000${walk.variant}\u0000${walk.config}`;
    const known = this.instances.get(key);
    if (known) return known;
    const model = this.models.find((m) => m.name === walk.model);
    if (!model) throw new ExplorerError(`unknown model '${walk.model}' (models: ${this.models.map((m) => m.name).join(', ')})`);
    if (!(walk.variant in model.variants)) throw new ExplorerError(`model ${model.name} has no variant '${walk.variant}' (variants: ${Object.keys(model.variants).join(', ')})`);
    if (!(walk.config in model.configs)) throw new ExplorerError(`model ${model.name} has no configuration '${walk.config}' (configurations: ${Object.keys(model.configs).join(', ')})`);
    const instance = instantiate(model, walk.variant, walk.config);
    this.instances.set(key, instance);
    return instance;
  }

  /** Replays a walk and describes where it ends: the state, what is enabled there, and each property's status. */
  page(walk: Walk): ExplorerPage {
    const instance = this.instanceOf(walk);
    const world = instance.world;
    const initials = world.initialStates();
    if (!Number.isInteger(walk.init) || walk.init < 0 || walk.init >= initials.length) throw new ExplorerError(`initial state ${walk.init} does not exist: this world has ${initials.length}`);
    let state = initials[walk.init]!;
    const states = [state];
    const steps: ActionChoice[] = [];
    walk.path.forEach((index, i) => {
      const actions = world.actions(state);
      const action = actions[index];
      if (!Number.isInteger(index) || !action) throw new ExplorerError(`step ${i + 1}: action ${index} is not enabled there (${actions.length} actions are, numbered from 0)`);
      steps.push(choice(world, action, index));
      state = world.nextState(state, action);
      states.push(state);
    });
    const view = new WorldView(world, state);
    const shown = states.map((s) => new WorldView(world, s).processes().map(shownProcess));
    const previous = shown.length > 1 ? shown[shown.length - 2]! : undefined;
    return {
      walk,
      initialStates: initials.length,
      initialLabels: initials.map((_, i) => world.initialLabel(i)),
      processNames: world.processNames,
      steps,
      processes: shown[shown.length - 1]!.map((p, k) => {
        const fields = ['state', ...Object.keys(p.context)];
        const valueIn = (q: ShownProcess | undefined, field: string) => (q === undefined ? undefined : field === 'state' ? q.state : q.context[field]);
        return {
          ...p,
          changed: previous ? fields.filter((f) => valueIn(previous[k], f) !== valueIn(p, f)) : [],
          constant: Object.keys(p.context).filter((f) => shown.every((at) => valueIn(at[k], f) === p.context[f])),
        };
      }),
      messages: view.messages().map((m) => ({ from: m.from, to: m.to, message: showMessage(m.msg) })),
      partitions: view.partitions(),
      budgets: Object.fromEntries(BUDGET_KINDS.filter((k) => world.spec.budgets[k] !== undefined).map((k) => [k, String(view.budgetLeft(k) === Infinity ? 'unbounded' : view.budgetLeft(k))])),
      enabled: world.actions(state).map((a, i) => choice(world, a, i)),
      properties: instance.properties
        .filter((p) => p.kind !== 'eventually')
        .map((p) => {
          const witness = evaluate(p, world, state);
          if (p.kind === 'sometimes') return { name: p.name, kind: p.kind, status: witness ? ('reached here' as const) : ('not reached here' as const) };
          return witness ? { name: p.name, kind: p.kind, status: 'broken here' as const, message: witness.message } : { name: p.name, kind: p.kind, status: 'holds here' as const };
        }),
    };
  }

  /**
   * The shortest walk from the initial states to a state where a property is
   * broken (or, for a `sometimes` property, reached), by breadth-first search
   * within `maxStates`: the explorer's "take me there".
   */
  shortestWalkTo(walk: Pick<Walk, 'model' | 'variant' | 'config'>, property: string, maxStates = 500_000): Walk | { missing: string } {
    const instance = this.instanceOf(walk);
    const check = stateChecks(instance).find((c) => c.name === property);
    if (!check) throw new ExplorerError(`model ${walk.model} has no state property '${property}' (liveness is judged on whole behaviours)`);
    const world = instance.world;
    const bfs = breadthFirst(world, [check], { maxStates });
    const finding = bfs.findings.get(property);
    if (!finding) return { missing: `no state ${check.kind === 'sometimes' ? 'reaches' : 'breaks'} ${property} among ${bfs.states.toLocaleString('en-US')} states${bfs.complete ? ' (all reachable)' : ` (searched at most ${maxStates.toLocaleString('en-US')})`}` };
    const init = world.initialStates().indexOf(bfs.stateAt(bfs.rootOf(finding.stateIndex)));
    let state = world.initialStates()[init]!;
    const path = bfs.pathTo(finding.stateIndex).map((action) => {
      const index = world.actions(state).findIndex((a) => a.id === action.id);
      state = world.nextState(state, action);
      return index;
    });
    return { ...walk, init, path };
  }

  /** The walk that replays recorded steps (a counterexample's): its initial state (named by an `init` step, else the first) and action indices. */
  walkOf(walk: Pick<Walk, 'model' | 'variant' | 'config'>, recorded: readonly ActionDescriptor[]): Walk {
    const world = this.instanceOf(walk).world;
    const first = recorded[0];
    const init = first?.kind === 'init' ? world.initialIndexOf(first.initial) : 0;
    if (init === undefined) throw new ExplorerError(`the recorded steps start from initial state "${first!.kind === 'init' ? first.initial : ''}", which ${walk.model}/${walk.variant} no longer has`);
    const steps = first?.kind === 'init' ? recorded.slice(1) : recorded;
    let state = world.initialStates()[init]!;
    const path = steps.map((descriptor, i) => {
      const action = world.findAction(state, descriptor);
      if (!action) throw new ExplorerError(`step ${i + 1} of the recorded steps is not possible on ${walk.model}/${walk.variant} (${walk.config})`);
      const index = world.actions(state).findIndex((a) => a.id === action.id);
      state = world.nextState(state, action);
      return index;
    });
    return { ...walk, init, path };
  }
}

type ShownProcess = { name: string; crashed: boolean; state: string; context: Record<string, string> };

function shownProcess(p: ReturnType<WorldView['processes']>[number]): ShownProcess {
  return { name: p.name, crashed: p.crashed, state: p.crashed ? 'down' : showStateValue(p.value), context: fieldsOf(p.context) };
}

function choice(world: ModelInstance['world'], action: WorldAction, index: number): ActionChoice {
  const d = action.descriptor;
  const from = d.kind === 'deliver' || d.kind === 'drop' ? d.from : undefined;
  return { index, description: describeAction(d), kind: action.kind, process: action.process, ...(from ? { from } : {}), fair: world.isFair(action) };
}

/** A context as field → shown value; a crashed process shows what survives on disk. */
function fieldsOf(context: unknown): Record<string, string> {
  if (!context || typeof context !== 'object') return context === undefined ? {} : { value: show(context) };
  return Object.fromEntries(Object.entries(context as Record<string, unknown>).map(([k, v]) => [k, show(v)]));
}
