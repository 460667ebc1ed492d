import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { canonicalJson } from './canonical-json.js';
import { ModelDefinitionError, ModelStepError, describeError } from './errors.js';
import type { ProcessSpec } from './model-spec.js';
import type { Stepper } from './stepper.js';

/** The memo slot of a crashed local state's restart (event ids are never negative). */
const RESTART = -1;

/** A message a machine asked to send: it emitted `{ type: 'send', to, msg }`. */
export interface Send {
  readonly to: string;
  readonly msg: EventObject;
}

/** The memoised result of one local step. */
export interface Outcome {
  readonly next: number;
  readonly sends: readonly Send[];
}

/** One interned local state of a process: a running snapshot, or what survived a crash. */
export type LocalState =
  | { readonly crashed: false; readonly snapshot: AnyMachineSnapshot; readonly value: unknown; readonly context: any; readonly key: string }
  | { readonly crashed: true; readonly durable: unknown; readonly key: string };

/**
 * Everything the world knows about one process: its machine, its interned local
 * states and a cache of (local state, event) → outcome, so that each distinct
 * local transition runs xstate once.
 */
export class ProcessRuntime {
  readonly locals: LocalState[] = [];
  private readonly localIds = new Map<string, number>();
  private readonly events: EventObject[] = [];
  private readonly eventIds = new Map<string, number>();
  /** Events the world hands over again and again (envelopes, timers) are the same objects: skip re-encoding them. */
  private readonly eventIdByObject = new WeakMap<EventObject, number>();
  private readonly outcomes: Array<Map<number, Outcome>> = [];
  private readonly handled: Array<Map<number, boolean>> = [];
  private readonly accepted: Array<Map<number, boolean>> = [];
  readonly machine: AnyStateMachine;
  /** What a restart starts again from, with the durable part added: the input the process started from (the world sets it). */
  restartInput: unknown;
  /** How many times xstate itself was called for this process. */
  xstateCalls = 0;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly spec: ProcessSpec,
    private readonly stepper: Stepper,
    private readonly memoize: boolean,
  ) {
    this.machine = spec.machine;
    this.restartInput = spec.input;
  }

  isCrashed(local: number): boolean {
    return this.locals[local]!.crashed;
  }

  eventId(event: EventObject): number {
    const known = this.eventIdByObject.get(event);
    // Stryker disable next-line ConditionalExpression: a shortcut by object identity; the lookup by canonical key below gives the same id
    if (known !== undefined) return known;
    const key = canonicalJson(event);
    let id = this.eventIds.get(key);
    if (id === undefined) {
      id = this.events.length;
      this.events.push(event);
      this.eventIds.set(key, id);
    }
    this.eventIdByObject.set(event, id);
    return id;
  }

  start(input: unknown = this.spec.input): Outcome {
    return this.run('start', () => this.stepper.initial(this.machine, input));
  }

  deliver(local: number, event: EventObject): Outcome {
    const eventId = this.eventId(event);
    const cache = this.outcomes[local]!;
    const hit = this.memoize ? cache.get(eventId) : undefined;
    if (hit) return hit;
    const state = this.locals[local]!;
    if (state.crashed) throw new ModelDefinitionError(`event ${event.type} delivered to crashed process ${this.name}`);
    const outcome = this.run(event.type, () => this.stepper.step(this.machine, state.snapshot, event));
    cache.set(eventId, outcome);
    return outcome;
  }

  /**
   * Whether the machine, in this local state, takes a message: some transition
   * for it is enabled, even one that does nothing (`on: { PING: {} }`, P's
   * `ignore`). xstate's `can` calls such a transition no transition, so `handles`
   * alone would keep an ignored message waiting for ever under `wait`.
   */
  accepts(local: number, eventId: number): boolean {
    return this.askActive(this.accepted[local]!, local, eventId, (snapshot, event) => this.machine.getTransitionData(snapshot as never, event).length > 0);
  }

  /** Whether the machine, in this local state, has a transition for the event (a timer it is waiting on). */
  handles(local: number, eventId: number): boolean {
    return this.askActive(this.handled[local]!, local, eventId, (snapshot, event) => snapshot.can(event));
  }

  /** A question about a running machine and an event, answered once per (local state, event). */
  private askActive(cache: Map<number, boolean>, local: number, eventId: number, ask: (snapshot: AnyMachineSnapshot, event: EventObject) => boolean): boolean {
    let result = cache.get(eventId);
    if (result === undefined) {
      const state = this.locals[local]!;
      const event = this.events[eventId]!;
      result = !state.crashed && state.snapshot.status === 'active' && this.guard(event.type, () => ask(state.snapshot, event));
      cache.set(eventId, result);
    }
    return result;
  }

  crash(local: number): number {
    const state = this.locals[local]!;
    if (state.crashed) return local;
    // Stryker disable next-line OptionalChaining: only a process that may crash is crashed, so spec.crash is always there
    const durable = this.spec.crash?.durable ? this.guard('crash', () => this.spec.crash!.durable!(state.context)) : null;
    return this.intern({ crashed: true, durable: durable ?? null, key: `crashed:${this.guard('crash', () => canonicalJson(durable ?? null))}` });
  }

  restart(local: number): Outcome {
    const state = this.locals[local]!;
    if (!state.crashed) throw new ModelDefinitionError(`restart of running process ${this.name}`);
    // A restart depends only on what survived the crash: memoised like any other step.
    const cache = this.outcomes[local]!;
    const hit = this.memoize ? cache.get(RESTART) : undefined;
    if (hit) return hit;
    const input = { ...(this.restartInput as object | undefined), durable: state.durable };
    const outcome = this.start(input);
    cache.set(RESTART, outcome);
    return outcome;
  }

  /**
   * Interns a state of this process that symmetry reduction wrote by renaming
   * another process's state: the same machine state, with `renamed` as its
   * context (or, when crashed, as what survived). Stepping from it works like
   * from any other snapshot; its outcomes are memoised from scratch.
   */
  adopt(source: LocalState, renamed: unknown): number {
    if (source.crashed) return this.intern({ crashed: true, durable: renamed, key: `crashed:${canonicalJson(renamed ?? null)}` });
    const { status, historyValue } = source.snapshot;
    const key = canonicalJson([source.value, renamed, status]);
    const known = this.localIds.get(key);
    if (known !== undefined) return known;
    const snapshot = this.machine.resolveState({ value: source.value as never, context: renamed, status, historyValue } as never) as AnyMachineSnapshot;
    return this.intern({ crashed: false, snapshot, value: snapshot.value, context: snapshot.context, key });
  }

  private run(what: string, step: () => readonly [AnyMachineSnapshot, ReadonlyArray<{ type: string; params?: unknown }>]): Outcome {
    const [snapshot, actions] = this.guard(what, () => {
      this.xstateCalls++;
      return step();
    });
    if (snapshot.status === 'error') throw new ModelStepError(this.name, what, describeError(snapshot.error));
    const sends: Send[] = [];
    for (const action of actions) {
      if (action.type !== 'xstate.emit') continue;
      const emitted = (action.params as { event: { type: string; to?: unknown; msg?: EventObject } }).event;
      if (emitted.type !== 'send') continue;
      const targets = Array.isArray(emitted.to) ? emitted.to : [emitted.to];
      if (!emitted.msg || typeof emitted.msg.type !== 'string') {
        throw new ModelStepError(this.name, what, "emitted 'send' without a msg that has a type");
      }
      for (const to of targets) {
        if (typeof to !== 'string') throw new ModelStepError(this.name, what, "emitted 'send' without a string 'to'");
        sends.push({ to, msg: emitted.msg });
      }
    }
    const key = this.guard(what, () => canonicalJson([snapshot.value, snapshot.context, snapshot.status]));
    const next = this.intern({ crashed: false, snapshot, value: snapshot.value, context: snapshot.context, key });
    return { next, sends };
  }

  private intern(state: LocalState): number {
    let id = this.localIds.get(state.key);
    if (id === undefined) {
      id = this.locals.length;
      if (id >= 0xffff) throw new ModelDefinitionError(`process ${this.name} has more than 65,535 local states: bound its context`);
      this.locals.push(state);
      this.outcomes.push(new Map());
      this.handled.push(new Map());
      this.accepted.push(new Map());
      this.localIds.set(state.key, id);
    }
    return id;
  }

  /** Every (local state, event) pair this process has been handed, and whether its machine had a transition for it. */
  *visitedTransitions(): Generator<{ local: LocalState; event: EventObject; handled: boolean }> {
    for (let local = 0; local < this.locals.length; local++) {
      for (const eventId of this.outcomes[local]!.keys()) {
        if (eventId === RESTART) continue;
        yield { local: this.locals[local]!, event: this.events[eventId]!, handled: this.handles(local, eventId) };
      }
    }
  }

  private guard<T>(what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof ModelStepError) throw error;
      throw new ModelStepError(this.name, what, describeError(error));
    }
  }
}
