import type { AnyStateMachine, ContextFrom } from 'xstate';
import type { BudgetKind, World } from './world.js';

/**
 * The context type of each process, by name, for a typed `WorldView<C>`. A
 * world whose names are made at run time may use a template key:
 * `{ lock: LockContext } & { [client: `c${number}`]: ClientContext }`.
 */
export type Contexts = Record<string, unknown>;

/** The contexts of a record of processes, read off their machines: `WorldView<ContextsOf<typeof processes>>`. */
export type ContextsOf<P extends Record<string, { machine: AnyStateMachine }>> = { [K in keyof P]: ContextFrom<P[K]['machine']> };

/** One process as properties and views see it; `C` is its context's type. */
export interface ProcessView<C = any> {
  readonly name: string;
  readonly crashed: boolean;
  /** The machine's state value (undefined while crashed). */
  readonly value: unknown;
  /** The machine's context, or what survived a crash (`durable`) while crashed. */
  readonly context: C;
  /** True when the state value is, or is inside, the given state name. */
  is(stateName: string): boolean;
  /** Whether the machine would take a transition on this event now (false while crashed). */
  can(event: { type: string; [field: string]: unknown }): boolean;
}

export interface MessageView {
  readonly from: string;
  readonly to: string;
  readonly msg: { type: string; [field: string]: unknown };
}

/**
 * A read-only look at one world state, built on demand from its compact string.
 * `C` types the processes' contexts (see `Contexts`); by default every context is `any`.
 */
export class WorldView<C extends Contexts = any> {
  constructor(
    private readonly world: World,
    readonly state: string,
  ) {}

  get processNames(): string[] {
    return this.world.processNames;
  }

  /** A process by name; a name the context types do not list gets the union of their contexts. */
  process<N extends keyof C & string>(name: N): ProcessView<C[N]>;
  process(name: string): ProcessView<C[keyof C]>;
  process(name: string): ProcessView {
    const p = this.world.indexOf(name, 'a property');
    return processView(this.world, p, this.world.localIdOf(this.state, p));
  }

  processes(): Array<ProcessView<C[keyof C]>> {
    return this.world.processes.map((_, p) => processView(this.world, p, this.world.localIdOf(this.state, p)));
  }

  messages(): MessageView[] {
    return this.world.networkIds(this.state).map((e) => {
      const env = this.world.envelopes[e]!;
      return { from: this.world.processes[env.from]!.name, to: this.world.processes[env.to]!.name, msg: env.msg as MessageView['msg'] };
    });
  }

  connected(a: string, b: string): boolean {
    return this.world.isConnected(this.state, this.world.indexOf(a, 'a property'), this.world.indexOf(b, 'a property'));
  }

  /** How many more actions of this kind the budget allows from here (Infinity when unbounded). */
  budgetLeft(kind: BudgetKind): number {
    return this.world.budgetLeft(this.state, kind);
  }

  /** Names of the partitions in force. */
  partitions(): string[] {
    const mask = this.world.partitionMask(this.state);
    return (this.world.spec.partitions ?? []).filter((_, k) => mask & (1 << k)).map((p) => p.name);
  }
}

const views = new WeakMap<World, Map<number, ProcessView>>();

/** Process views are interned per local state: building one per world state would dominate the explorer. */
export function processView(world: World, p: number, local: number): ProcessView {
  let perWorld = views.get(world);
  if (!perWorld) views.set(world, (perWorld = new Map()));
  const slot = p * 0x10000 + local;
  let view = perWorld.get(slot);
  if (!view) {
    const state = world.processes[p]!.locals[local]!;
    const name = world.processes[p]!.name;
    const runtime = world.processes[p]!;
    view = state.crashed
      ? { name, crashed: true, value: undefined, context: state.durable, is: () => false, can: () => false }
      : {
          name,
          crashed: false,
          value: state.value,
          context: state.context,
          is: (s: string) => matchesValue(state.value, s),
          can: (event) => runtime.handles(local, runtime.eventId(event)),
        };
    perWorld.set(slot, view);
  }
  return view;
}

function matchesValue(value: unknown, name: string): boolean {
  if (typeof value === 'string') return value === name;
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k === name || matchesValue(v, name));
  }
  return false;
}
