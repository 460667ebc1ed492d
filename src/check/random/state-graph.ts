import type { EventuallyProperty, Property, Witness } from '../../spec/property.js';
import type { WorldAction } from '../../world/actions.js';
import { WorldView } from '../../world/world-view.js';
import { evaluate, type ModelInstance } from '../instance.js';
import type { RunQuestions } from '../liveness.js';

const UNASKED = Symbol('unasked');

/**
 * What random search has learnt of one world state. Runs take the same steps
 * again and again (every run starts from the initial state, settling walks
 * the protocol's own paths, novelty walks replay the path to where they
 * start), so each question about a state is answered once and kept here, and
 * a step already taken leads straight to the record of its successor: a
 * repeated step costs neither a step of the world nor a lookup by state.
 */
export class KnownState {
  actions: WorldAction[] | undefined;
  /** The successor of each action, by its index in `actions`, filled in as runs take them. */
  readonly next: Array<KnownState | undefined> = [];
  fairIds: string[] | undefined;
  /** Per property (by its index in the instance): the witness against it here, or none. */
  readonly verdicts: Array<Witness | undefined | typeof UNASKED> = [];
  readonly goals: Array<boolean | undefined> = [];
  readonly triggers: Array<boolean | undefined> = [];
  /** The novelty search that last reached this state, and how it first did (see `Novelty`). */
  reachedIn = 0;
  parent: KnownState | undefined;
  via: WorldAction | undefined;
  root: KnownState | undefined;

  constructor(readonly state: string) {}
}

/**
 * The records of the states random search has seen, for one instance.
 * Bounded: past `capacity` states it forgets the index (records held by runs
 * stay valid), which keeps memory flat on large configurations and changes no
 * answer.
 */
export class StateGraph {
  private byState = new Map<string, KnownState>();
  private readonly propertyIndex: Map<string, number>;

  readonly world: ModelInstance['world'];

  constructor(
    private readonly instance: ModelInstance,
    private readonly capacity = 300_000,
  ) {
    this.world = instance.world;
    this.propertyIndex = new Map(instance.properties.map((p, i) => [p.name, i]));
  }

  /**
   * The record of a state. Past the capacity a new index starts, and a state
   * seen before gets a second record: a run holding both would not see them
   * as one state (a lasso missed, never a false one).
   */
  known(state: string): KnownState {
    let k = this.byState.get(state);
    if (!k) {
      if (this.byState.size >= this.capacity) this.byState = new Map();
      k = new KnownState(state);
      this.byState.set(state, k);
    }
    return k;
  }

  actions(k: KnownState): WorldAction[] {
    return (k.actions ??= this.instance.world.actions(k.state));
  }

  /** The state an action leads to; `action` must be one of `actions(k)`, else it is simply stepped. */
  successor(k: KnownState, action: WorldAction): KnownState {
    const index = this.actions(k).indexOf(action);
    if (index < 0) return this.known(this.instance.world.nextState(k.state, action));
    return this.successorAt(k, index);
  }

  /** The state the `index`-th of `actions(k)` leads to. */
  successorAt(k: KnownState, index: number): KnownState {
    return (k.next[index] ??= this.known(this.nextStateAt(k, index)));
  }

  /** The state last read into the packed world, whose successors it can write without reading it again. */
  private expanding: KnownState | undefined;

  /**
   * `world.nextState(k.state, actions(k)[index])`, computed over the packed
   * vector where the packed world can (no string parsing, no action object);
   * where it gives up (or the step throws) the plain step runs, and reports
   * the error as it always does.
   */
  private nextStateAt(k: KnownState, index: number): string {
    const packed = this.world.packed;
    if (packed) {
      try {
        if (this.expanding !== k) {
          this.expanding = undefined;
          packed.beginExpand(packed.vector, 0, packed.packInto(k.state));
          this.expanding = k;
        }
        // The length first: writing the successor may replace `vector` with a larger one.
        const length = packed.successorInto(index);
        return packed.unpack(packed.vector, 0, length);
      } catch {
        this.expanding = undefined;
      }
    }
    return this.world.nextState(k.state, this.actions(k)[index]!);
  }

  verdict(k: KnownState, property: Property): Witness | undefined {
    const i = this.propertyIndex.get(property.name)!;
    if (k.verdicts.length === 0) for (let j = 0; j < this.propertyIndex.size; j++) k.verdicts.push(UNASKED);
    const known = k.verdicts[i];
    if (known !== UNASKED) return known;
    return (k.verdicts[i] = evaluate(property, this.instance.world, k.state));
  }

  /** What the liveness judge asks of a run's states, for one property, from the records. */
  questions(property: EventuallyProperty): RunQuestions<KnownState> {
    const i = this.propertyIndex.get(property.name)!;
    const world = this.instance.world;
    return {
      goal: (k) => (k.goals[i] ??= property.goal(new WorldView(world, k.state))),
      trigger: (k) => (k.triggers[i] ??= property.trigger ? property.trigger(new WorldView(world, k.state)) : true),
      fairEnabled: (k) => (k.fairIds ??= this.actions(k).filter((a) => world.isFair(a)).map((a) => a.id)),
    };
  }
}

let searches = 0;

/**
 * The states the runs of one search have reached, each with the step that
 * first reached it: `novelty` walks start from them and steer away from them,
 * as a fuzzer keeps the inputs that reached new coverage. Each search has its
 * own (a property's own search then repeats the survey's runs exactly). Past
 * `capacity` states it stops growing: walks then count only the states known
 * so far as reached.
 */
export class Novelty {
  private readonly id = ++searches;
  /** Per initial state, the states reached from it that may still have a successor not reached. */
  private readonly frontiers = new Map<KnownState, KnownState[]>();
  private count = 0;

  constructor(
    private readonly graph: StateGraph,
    private readonly capacity = 250_000,
  ) {}

  reach(k: KnownState, parent: KnownState | undefined, via: WorldAction | undefined): void {
    if (k.reachedIn === this.id || this.count >= this.capacity) return;
    k.reachedIn = this.id;
    k.parent = parent;
    k.via = via;
    k.root = parent ? parent.root : k;
    this.count++;
    const frontier = this.frontiers.get(k.root!);
    if (frontier) frontier.push(k);
    else this.frontiers.set(k.root!, [k]);
  }

  reached(k: KnownState): boolean {
    return k.reachedIn === this.id;
  }

  /** Whether the set stopped growing at its capacity. */
  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** How many states the search has reached. */
  get size(): number {
    return this.count;
  }

  /**
   * Whether more novelty walks would be walks over known ground: no state
   * reached has a successor not reached (every state the walks can reach from
   * the initial states they started at is reached), or the set is full.
   */
  done(): boolean {
    if (this.count >= this.capacity) return true;
    for (const frontier of this.frontiers.values()) {
      while (frontier.length > 0 && !this.onFrontier(frontier[frontier.length - 1]!)) frontier.pop();
      if (frontier.length > 0) return false;
    }
    return true;
  }

  private onFrontier(k: KnownState): boolean {
    const count = this.graph.actions(k).length;
    for (let i = 0; i < count; i++) if (this.leadsSomewhereNew(k, i)) return true;
    return false;
  }

  /** The actions enabled at `k` that lead to a state not reached yet. */
  unseen(k: KnownState): WorldAction[] {
    const actions = this.graph.actions(k);
    const unseen: WorldAction[] = [];
    for (let i = 0; i < actions.length; i++) if (this.leadsSomewhereNew(k, i)) unseen.push(actions[i]!);
    return unseen;
  }

  /**
   * Whether the `index`-th action at `k` leads to a state not reached yet. A
   * step that throws counts as new: looking ahead must not raise a model's
   * error at a step the run did not take (taking it raises it, at its step).
   */
  private leadsSomewhereNew(k: KnownState, index: number): boolean {
    try {
      return !this.reached(this.graph.successorAt(k, index));
    } catch {
      return true;
    }
  }

  /**
   * The steps from `root` to a state on the frontier reached from it (the
   * `pick`-th still there): one with a successor no run has reached. Starting
   * where every successor is known would only walk known ground again. A state
   * found off the frontier leaves it for good (successors only get reached),
   * so each is looked at once; with none left, the walk starts at the root.
   */
  pathTo(root: KnownState, pick: number): WorldAction[] {
    const frontier = this.frontiers.get(root);
    while (frontier && frontier.length > 0) {
      const i = pick % frontier.length;
      const candidate = frontier[i]!;
      if (this.onFrontier(candidate)) return pathFrom(candidate);
      frontier[i] = frontier[frontier.length - 1]!;
      frontier.pop();
    }
    return [];
  }
}

/** The steps by which a search first reached `k` from its root. */
function pathFrom(k: KnownState): WorldAction[] {
  const path: WorldAction[] = [];
  for (let s: KnownState = k; s.parent !== undefined; s = s.parent) path.push(s.via!);
  return path.reverse();
}
