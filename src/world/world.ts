import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { TransitionSystem } from '../engine/transition-system.js';
import { PROTOCOL_KINDS, type ActionDescriptor, type ActionKind, type WorldAction } from './actions.js';
import { canonicalJson } from './canonical-json.js';
import { ModelDefinitionError, ModelStepError, describeError } from './errors.js';
import { ProcessRuntime, type Outcome } from './process-runtime.js';
import type { Budgets, DeliveryPolicy, WorldSpec } from './model-spec.js';
import { createFastStepper, type Stepper } from './stepper.js';
import { WorldView } from './world-view.js';
import { SymmetryReducer } from './symmetry.js';
import { initialChoices, type InitialChoice } from './initial-states.js';
import { PackedWorld } from './packed-world.js';

/** The order of budget counters inside the state string. */
export const BUDGET_KINDS = ['drop', 'partition', 'crash', 'timeout', 'request', 'tick'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];
const UNLIMITED = 0xffff;
const TICK: EventObject = { type: 'TICK' };
/** Protocol stimuli are unbounded unless a budget says otherwise; faults and ticks never happen unless budgeted. */
const UNBOUNDED_BY_DEFAULT: ReadonlySet<BudgetKind> = new Set(['timeout', 'request']);

export interface Envelope {
  readonly from: number;
  readonly to: number;
  readonly msg: EventObject;
  readonly link: number;
  /** What happens when the receiver cannot take the message in its current state. */
  readonly policy: DeliveryPolicy;
  /** The receiver's interned id of the message, for `accepts`. */
  readonly eventId: number;
}

export interface WorldOptions {
  stepper?: Stepper;
  /** Cache each process's (local state, event) → outcome; off only to measure what it saves. */
  memoize?: boolean;
}

/**
 * A world of xstate machines, a network and a fault budget, compiled on the fly
 * into a transition system whose states are strings of UTF-16 code units:
 *
 *   [local state id per process] [active partition mask] [budgets left] [envelope ids in flight]
 *
 * The string is at once the state, its canonical key and its queue entry. Local
 * states, events and envelopes are interned to small integers the first time they
 * are seen, so xstate runs once per distinct local transition, not once per
 * global successor.
 */
export class World implements TransitionSystem<string, WorldAction> {
  readonly processes: ProcessRuntime[];
  readonly processIndex = new Map<string, number>();
  readonly envelopes: Envelope[] = [];
  private readonly envelopeIds = new Map<string, number>();
  private readonly linkIds = new Map<number, number>();
  private readonly connectivity = new Map<number, Uint8Array>();
  private readonly actionCache = new Map<number, WorldAction>();
  private readonly outcomeEnvelopes = new WeakMap<Outcome, readonly number[]>();
  /** Ids of the fault and recovery actions taken so far, for coverage. */
  readonly environmentFired = new Set<string>();
  /**
   * "EVENT at process" for each timer that fired while some message was in
   * flight, for coverage: it shows a model's failure detection is asynchronous
   * (a timer may fire before a reply arrives), not a perfect detector.
   */
  readonly timersFiredInFlight = new Set<string>();
  private readonly budgetOffset: number;
  /** Where each bounded budget's counter sits in the state; unbounded kinds take no room (they never change). */
  private readonly budgetSlot = new Map<BudgetKind, number>();
  /** Where the envelope ids start in a state string. */
  readonly networkOffset: number;
  private readonly partitionMembers: Uint8Array[];
  private readonly partitionNetworks: number[][];
  private readonly networkCount: number;
  /** The distinct initial states, in declaration order, and the choice each was built from. */
  private readonly initials: string[] = [];
  private readonly initialChoiceOf: InitialChoice[] = [];
  private readonly initialByLabel = new Map<string, number>();
  /** Present when the model declares interchangeable processes; checks decide whether to use it. */
  readonly symmetry?: SymmetryReducer;
  private readonly memoize: boolean;
  private expander?: PackedWorld;

  constructor(
    readonly spec: WorldSpec,
    options: WorldOptions = {},
  ) {
    const stepper = options.stepper ?? createFastStepper();
    this.memoize = options.memoize ?? true;
    const names = Object.keys(spec.processes);
    if (names.length === 0) throw new ModelDefinitionError('a model needs at least one process');
    names.forEach((name, i) => this.processIndex.set(name, i));
    this.processes = names.map((name, i) => new ProcessRuntime(i, name, spec.processes[name]!, stepper, options.memoize ?? true));
    checkDeliveryPolicies(spec);
    this.budgetOffset = names.length + 1;
    for (const kind of BUDGET_KINDS) {
      if (this.initialBudget(spec.budgets, kind) !== UNLIMITED) this.budgetSlot.set(kind, this.budgetOffset + this.budgetSlot.size);
    }
    this.networkOffset = this.budgetOffset + this.budgetSlot.size;

    const networks = spec.networks ?? ['net'];
    this.networkCount = networks.length;
    const partitions = spec.partitions ?? [];
    if (partitions.length > 15) throw new ModelDefinitionError('at most 15 partition shapes per model');
    this.partitionMembers = partitions.map((p) => {
      const members = new Uint8Array(names.length);
      for (const n of p.group) members[this.indexOf(n, `partition ${p.name}`)] = 1;
      return members;
    });
    this.partitionNetworks = partitions.map((p) =>
      (p.networks ?? networks).map((n) => {
        const i = networks.indexOf(n);
        if (i < 0) throw new ModelDefinitionError(`partition ${p.name} cuts unknown network '${n}' (networks: ${networks.join(', ')})`);
        return i;
      }),
    );
    this.buildInitialStates(spec);
    // Built eagerly so that a declaration that is not a symmetry fails at instantiation.
    if (spec.symmetry?.some((group) => group.length > 1)) this.symmetry = new SymmetryReducer(this);
  }

  get processNames(): string[] {
    return this.processes.map((p) => p.name);
  }

  indexOf(name: string, where: string): number {
    const i = this.processIndex.get(name);
    if (i === undefined) throw new ModelDefinitionError(`${where} names unknown process '${name}' (processes: ${this.processNames.join(', ')})`);
    return i;
  }

  // ---- TransitionSystem -------------------------------------------------

  initialStates(): string[] {
    return this.initials;
  }

  /** The label of an initial state (an index into `initialStates()`). */
  initialLabel(index: number): string {
    return this.initialChoiceOf[index]!.label;
  }

  /** The index into `initialStates()` of the initial state with this label; undefined when there is none. */
  initialIndexOf(label: string): number | undefined {
    return this.initialByLabel.get(label);
  }

  /** The index into `initialStates()` of this state, or -1 when it is not an initial state. */
  initialIndexOfState(state: string): number {
    return this.initials.indexOf(state);
  }

  /** The `init` pseudo-step that starts a trace from the initial state with this index. */
  initAction(index: number): WorldAction {
    return this.cached(slot(11, index, 0), () => ({ kind: 'init', initial: this.initialLabel(index) }), index, 0);
  }

  key(state: string): string {
    return state;
  }

  /**
   * The same transition system over integer vectors, for the breadth-first
   * search (see `PackedWorld`); none when memoisation is off, whose cost it
   * would hide.
   */
  get packed(): PackedWorld | undefined {
    if (!this.memoize) return undefined;
    return (this.expander ??= new PackedWorld(this));
  }

  actions(state: string): WorldAction[] {
    const out: WorldAction[] = [];
    const P = this.processes.length;
    const mask = state.charCodeAt(P);
    const connected = this.connectedMatrix(mask);
    const network = this.networkIds(state);
    const fifo = this.spec.network === 'fifo';
    let previous = -1;
    const seenLinks = fifo ? new Set<number>() : undefined;
    for (const e of network) {
      const env = this.envelopes[e]!;
      if (seenLinks) {
        if (seenLinks.has(env.link)) continue;
        seenLinks.add(env.link);
      } else if (e === previous) continue;
      previous = e;
      if (!connected[env.from * P + env.to]) continue;
      // Under `wait` a message the receiver cannot take now stays in flight (drop and error take it: see nextState).
      if (env.policy === 'wait' && !this.processes[env.to]!.accepts(state.charCodeAt(env.to), env.eventId)) continue;
      // A message that stays after delivery and changes nothing would only add a self-loop.
      if (this.spec.network === 'persistent' && this.isNoOp(state.charCodeAt(env.to), env)) continue;
      out.push(this.deliverAction(e));
    }
    let view: WorldView | undefined;
    for (let p = 0; p < P; p++) {
      const proc = this.processes[p]!;
      const local = state.charCodeAt(p);
      if (proc.isCrashed(local)) continue;
      if (this.budgetLeft(state, 'timeout') > 0) {
        proc.spec.timeouts?.forEach((t, i) => {
          if (!proc.handles(local, proc.eventId(t.event))) return;
          if (t.when) {
            view ??= new WorldView(this, state);
            if (!this.guarded(proc.name, `timeout ${t.event.type} condition`, () => t.when!(view!))) return;
          }
          out.push(this.cached(slot(1, p, i), () => ({ kind: 'timeout', process: proc.name, event: t.event }), p, i));
        });
      }
      proc.spec.internal?.forEach((step, i) => {
        if (!proc.handles(local, proc.eventId(step.event))) return;
        if (step.when) {
          view ??= new WorldView(this, state);
          if (!this.guarded(proc.name, `internal step ${step.name ?? step.event.type} condition`, () => step.when!(view!))) return;
        }
        out.push(this.cached(slot(10, p, i), () => ({ kind: 'internal', process: proc.name, event: step.event, ...(step.name ? { name: step.name } : {}) }), p, i));
      });
      if (this.budgetLeft(state, 'request') > 0) {
        proc.spec.requests?.forEach((r, i) => {
          if (proc.handles(local, proc.eventId(r))) {
            out.push(this.cached(slot(2, p, i), () => ({ kind: 'request', process: proc.name, event: r }), p, i));
          }
        });
      }
    }
    if (this.budgetLeft(state, 'tick') > 0) {
      out.push(this.cached(slot(3, 0, 0), () => ({ kind: 'tick' }), 0, 0));
    }
    this.faultActions(state, network, out);
    return out;
  }

  nextState(state: string, action: WorldAction): string {
    // Not a step of the world: the trace's choice of where it starts.
    if (action.kind === 'init') return this.initials[action.code]!;
    const P = this.processes.length;
    if (!PROTOCOL_KINDS.has(action.kind)) this.environmentFired.add(action.id);
    const chars = this.headOf(state);
    let network = this.networkIds(state);
    switch (action.kind) {
      case 'deliver': {
        const env = this.envelopes[action.code]!;
        if (env.policy === 'error' && !this.processes[env.to]!.accepts(chars[env.to]!, env.eventId)) throw this.unhandledError(chars[env.to]!, env);
        if (this.spec.network !== 'persistent') network = removeOne(network, action.code);
        const outcome = this.processes[env.to]!.deliver(chars[env.to]!, env.msg);
        return this.settle(chars, network, env.to, outcome);
      }
      case 'internal':
        return this.settle(chars, network, action.code, this.processes[action.code]!.deliver(chars[action.code]!, this.eventOf(action)));
      case 'timeout':
      case 'request': {
        const proc = this.processes[action.code]!;
        const event = this.eventOf(action);
        if (action.kind === 'timeout' && network.length > 0) this.timersFiredInFlight.add(`${event.type} at ${proc.name}`);
        this.spend(chars, action.kind);
        return this.settle(chars, network, action.code, proc.deliver(chars[action.code]!, event));
      }
      case 'tick': {
        this.spend(chars, 'tick');
        for (let p = 0; p < P; p++) {
          const proc = this.processes[p]!;
          if (proc.isCrashed(chars[p]!) || !proc.handles(chars[p]!, proc.eventId(TICK))) continue;
          const outcome = proc.deliver(chars[p]!, TICK);
          chars[p] = outcome.next;
          network = this.enqueue(chars, network, p, outcome);
        }
        return this.encode(chars, network);
      }
      case 'drop':
        this.spend(chars, 'drop');
        return this.encode(chars, removeOne(network, action.code));
      case 'partition':
        this.spend(chars, 'partition');
        chars[P] = chars[P]! | (1 << action.code);
        return this.encode(chars, network);
      case 'heal':
        chars[P] = chars[P]! & ~(1 << action.code);
        return this.encode(chars, network);
      case 'crash': {
        this.spend(chars, 'crash');
        const p = action.code;
        chars[p] = this.processes[p]!.crash(chars[p]!);
        return this.encode(chars, network.filter((e) => this.envelopes[e]!.to !== p));
      }
      case 'restart': {
        const p = action.code;
        return this.settle(chars, network, p, this.processes[p]!.restart(chars[p]!));
      }
    }
  }

  // ---- queries used by views, properties and renderers -----------------

  localIdOf(state: string, process: number): number {
    return state.charCodeAt(process);
  }

  partitionMask(state: string): number {
    return state.charCodeAt(this.processes.length);
  }

  budgetLeft(state: string, kind: BudgetKind): number {
    const slot = this.budgetSlot.get(kind);
    return slot === undefined ? Infinity : state.charCodeAt(slot);
  }

  networkIds(state: string): number[] {
    const ids: number[] = [];
    for (let i = this.networkOffset; i < state.length; i++) ids.push(state.charCodeAt(i));
    return ids;
  }

  isConnected(state: string, a: number, b: number): boolean {
    return this.connectedMatrix(this.partitionMask(state))[a * this.processes.length + b] === 1;
  }

  /**
   * For a delivery its receiver has no transition for (taken under the `drop`
   * policy): the receiver and its state, so a story can say the message was
   * discarded. Undefined for every other action.
   */
  discardedBy(state: string, action: WorldAction): { process: string; state: unknown } | undefined {
    if (action.kind !== 'deliver') return undefined;
    const env = this.envelopes[action.code]!;
    const proc = this.processes[env.to]!;
    const local = state.charCodeAt(env.to);
    if (proc.accepts(local, env.eventId)) return undefined;
    const at = proc.locals[local]!;
    return { process: proc.name, state: at.crashed ? 'crashed' : at.value };
  }

  private unhandledError(local: number, env: Envelope): ModelStepError {
    const proc = this.processes[env.to]!;
    const at = proc.locals[local]!;
    const value = at.crashed ? 'crashed' : at.value;
    const where = typeof value === 'string' ? value : JSON.stringify(value);
    return new ModelStepError(proc.name, env.msg.type, `no transition for ${env.msg.type} from ${this.processes[env.from]!.name} in state ${where} (delivery policy 'error'; declare 'wait' or 'drop' for it if that is intended)`);
  }

  /** The event a timeout, request or internal step hands its process. */
  private eventOf(action: WorldAction): EventObject {
    const spec = this.processes[action.code]!.spec;
    if (action.kind === 'timeout') return spec.timeouts![action.arg]!.event;
    if (action.kind === 'request') return spec.requests![action.arg]!;
    return spec.internal![action.arg]!.event;
  }

  /**
   * Whether weak fairness is owed to an action: the protocol's own steps
   * (deliveries, timeouts, ticks, internal steps not declared `fairness: 'none'`),
   * never requests from outside or faults.
   */
  isFair(action: WorldAction): boolean {
    if (action.kind === 'internal') return this.processes[action.code]!.spec.internal![action.arg]!.fairness !== 'none';
    return action.kind === 'deliver' || action.kind === 'timeout' || action.kind === 'tick';
  }

  /** Whether any action other than faults is enabled: the basis of deadlock detection. */
  hasProtocolAction(actions: readonly WorldAction[]): boolean {
    return actions.some((a) => PROTOCOL_KINDS.has(a.kind));
  }

  /** Distinct local states and cached transitions so far, per process: the memo's footprint. */
  xstateCalls(): number {
    return this.processes.reduce((n, p) => n + p.xstateCalls, 0);
  }

  /**
   * The messages an action sends, each marked lost when its receiver is crashed
   * or cut off. Only stories need this; the explorer never asks.
   */
  sendsOf(state: string, action: WorldAction): Array<{ from: string; to: string; msg: EventObject; lost: boolean }> {
    const P = this.processes.length;
    const connected = this.connectedMatrix(this.partitionMask(state));
    const stepped: Array<[number, Outcome]> = [];
    const local = (p: number) => state.charCodeAt(p);
    switch (action.kind) {
      case 'deliver': {
        const env = this.envelopes[action.code]!;
        stepped.push([env.to, this.processes[env.to]!.deliver(local(env.to), env.msg)]);
        break;
      }
      case 'timeout':
      case 'request':
      case 'internal': {
        stepped.push([action.code, this.processes[action.code]!.deliver(local(action.code), this.eventOf(action))]);
        break;
      }
      case 'restart':
        stepped.push([action.code, this.processes[action.code]!.restart(local(action.code))]);
        break;
      case 'tick':
        this.processes.forEach((proc, p) => {
          if (!proc.isCrashed(local(p)) && proc.handles(local(p), proc.eventId(TICK))) stepped.push([p, proc.deliver(local(p), TICK)]);
        });
        break;
      default:
        break;
    }
    return stepped.flatMap(([from, outcome]) =>
      outcome.sends.map((send) => {
        const to = this.indexOf(send.to, 'a send');
        const lost = this.processes[to]!.isCrashed(local(to)) || !connected[from * P + to];
        return { from: this.processes[from]!.name, to: send.to, msg: send.msg, lost };
      }),
    );
  }

  /** Finds the action with this descriptor among those enabled in `state`. */
  findAction(state: string, descriptor: ActionDescriptor): WorldAction | undefined {
    const id = canonicalJson(descriptor);
    return this.actions(state).find((a) => a.id === id);
  }

  // ---- internals ---------------------------------------------------------

  private initialBudget(budgets: Budgets, kind: BudgetKind): number {
    const b = budgets[kind];
    // Infinity: unbounded, and then the budget takes no room in the state (a lossy channel that may lose any number of messages).
    if (b === Infinity) return UNLIMITED;
    if (b !== undefined && (!Number.isInteger(b) || b < 0 || b >= UNLIMITED)) {
      throw new ModelDefinitionError(`budget ${kind} must be a whole number from 0 to ${UNLIMITED - 1}, or Infinity, not ${b}`);
    }
    return b ?? (UNBOUNDED_BY_DEFAULT.has(kind) ? UNLIMITED : 0);
  }

  /** Builds one state per initial choice, keeping the first of any that come out the same. */
  private buildInitialStates(spec: WorldSpec): void {
    const choices = initialChoices(spec);
    this.processes.forEach((proc, p) => {
      if (!proc.spec.crash) return;
      const inputs = new Set(choices.map((c) => canonicalJson(c.inputs[p] ?? null)));
      if (inputs.size > 1) throw new ModelDefinitionError(`process ${proc.name} may crash but starts from ${inputs.size} different inputs: a restart starts again from its input, so give it one (put what varies in the durable part)`);
      proc.restartInput = choices[0]!.inputs[p];
    });
    const seen = new Set<string>();
    for (const choice of choices) {
      const state = this.buildInitialState(spec.budgets, choice);
      if (seen.has(state)) continue;
      seen.add(state);
      this.initialByLabel.set(choice.label, this.initials.length);
      this.initials.push(state);
      this.initialChoiceOf.push(choice);
    }
  }

  private buildInitialState(budgets: Budgets, choice: InitialChoice): string {
    const P = this.processes.length;
    const chars: number[] = new Array(this.networkOffset).fill(0);
    for (const [kind, slot] of this.budgetSlot) chars[slot] = this.initialBudget(budgets, kind);
    chars[P] = 0;
    // Start every process before routing what any of them sent on start-up.
    const started = this.processes.map((proc, p) => {
      const outcome = proc.start(choice.inputs[p]);
      chars[p] = outcome.next;
      return outcome;
    });
    let network: number[] = [];
    started.forEach((outcome, p) => (network = this.enqueue(chars, network, p, outcome)));
    return this.encode(chars, network);
  }

  private faultActions(state: string, network: number[], out: WorldAction[]): void {
    if (this.budgetLeft(state, 'drop') > 0) {
      let previous = -1;
      for (const e of network) if (e !== previous) out.push(this.envelopeAction('drop', (previous = e)));
    }
    const mask = this.partitionMask(state);
    const partitions = this.spec.partitions ?? [];
    partitions.forEach((_, k) => {
      const active = (mask & (1 << k)) !== 0;
      if (!active && this.budgetLeft(state, 'partition') > 0) out.push(this.environmentAction('partition', k));
      if (active) out.push(this.environmentAction('heal', k));
    });
    for (let p = 0; p < this.processes.length; p++) {
      const proc = this.processes[p]!;
      if (!proc.spec.crash) continue;
      const crashed = proc.isCrashed(state.charCodeAt(p));
      if (!crashed && this.budgetLeft(state, 'crash') > 0) out.push(this.environmentAction('crash', p));
      if (crashed) out.push(this.environmentAction('restart', p));
    }
  }

  /** @internal A fault or recovery action by its operand (envelope, partition or process index): what `actions` lists for it. */
  environmentAction(kind: 'drop' | 'partition' | 'heal' | 'crash' | 'restart', code: number): WorldAction {
    switch (kind) {
      case 'drop':
        return this.envelopeAction('drop', code);
      case 'partition':
      case 'heal': {
        const name = this.spec.partitions![code]!.name;
        return this.cached(slot(kind === 'partition' ? 4 : 5, code, 0), () => ({ kind, partition: name }), code, 0);
      }
      case 'crash':
      case 'restart': {
        const name = this.processes[code]!.name;
        return this.cached(slot(kind === 'crash' ? 6 : 7, code, 0), () => ({ kind, process: name }), code, 0);
      }
    }
  }

  /** @internal Where a budget's counter sits in a state, or -1 when the budget is unbounded (and takes no room). */
  budgetSlotOf(kind: BudgetKind): number {
    return this.budgetSlot.get(kind) ?? -1;
  }

  private deliverAction(e: number): WorldAction {
    return this.envelopeAction('deliver', e);
  }

  private envelopeAction(kind: 'deliver' | 'drop', e: number): WorldAction {
    const env = this.envelopes[e]!;
    return this.cached(slot(kind === 'deliver' ? 8 : 9, e, 0), () => ({ kind, from: this.processes[env.from]!.name, to: this.processes[env.to]!.name, msg: env.msg }), e, 0);
  }

  private cached(slot: number, describe: () => ActionDescriptor, code: number, arg: number): WorldAction {
    let action = this.actionCache.get(slot);
    if (!action) {
      const descriptor = describe();
      const process = 'to' in descriptor ? descriptor.to : 'process' in descriptor ? descriptor.process : '';
      const tag =
        'msg' in descriptor ? descriptor.msg.type : 'event' in descriptor ? descriptor.event.type : 'partition' in descriptor ? descriptor.partition : descriptor.kind;
      action = { kind: descriptor.kind as ActionKind, process, tag, id: canonicalJson(descriptor), descriptor, code, arg };
      this.actionCache.set(slot, action);
    }
    return action;
  }

  private guarded<T>(process: string, what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw new ModelStepError(process, what, describeError(error));
    }
  }

  /** The fixed-size head of a state (locals, partition mask, budgets) as numbers. */
  headOf(state: string): number[] {
    const chars: number[] = new Array(this.networkOffset);
    for (let i = 0; i < this.networkOffset; i++) chars[i] = state.charCodeAt(i);
    return chars;
  }

  private spend(chars: number[], kind: BudgetKind): void {
    const slot = this.budgetSlot.get(kind);
    if (slot !== undefined) chars[slot] = chars[slot]! - 1;
  }

  /** Records a process's new local state and routes what it sent. */
  private settle(chars: number[], network: number[], p: number, outcome: Outcome): string {
    chars[p] = outcome.next;
    return this.encode(chars, this.enqueue(chars, network, p, outcome));
  }

  /** Adds sent messages to the network; a message to a crashed or unreachable process is lost at once. */
  private enqueue(chars: number[], network: number[], from: number, outcome: Outcome): number[] {
    if (outcome.sends.length === 0) return network;
    const P = this.processes.length;
    const connected = this.connectedMatrix(chars[P]!);
    const envelopes = this.envelopesOf(from, outcome);
    let result = network;
    for (const e of envelopes) {
      const to = this.envelopes[e]!.to;
      if (this.processes[to]!.isCrashed(chars[to]!) || !connected[from * P + to]) continue;
      if ((this.spec.network === 'set' || this.spec.network === 'persistent') && result.includes(e)) continue;
      if (result === network) result = network.slice();
      if (this.spec.network === 'fifo') {
        result.push(e);
      } else {
        // Keep the multiset sorted as it grows, so encoding need not sort it.
        let at = result.length;
        while (at > 0 && result[at - 1]! > e) at--;
        result.splice(at, 0, e);
      }
    }
    return result;
  }

  private isNoOp(local: number, env: Envelope): boolean {
    const proc = this.processes[env.to]!;
    if (proc.isCrashed(local)) return true;
    const outcome = proc.deliver(local, env.msg);
    return outcome.next === local && outcome.sends.length === 0;
  }

  /** @internal The envelope ids of an outcome's sends, computed once per memoised outcome (interning new envelopes). */
  envelopesOf(from: number, outcome: Outcome): readonly number[] {
    let ids = this.outcomeEnvelopes.get(outcome);
    if (!ids) {
      ids = outcome.sends.map((send) => this.envelopeId(from, this.indexOf(send.to, `${this.processes[from]!.name} sent ${send.msg.type} to a process that`), send.msg));
      this.outcomeEnvelopes.set(outcome, ids);
    }
    return ids;
  }

  /** The interned id of a message on a link, created on first sight. */
  envelopeId(from: number, to: number, msg: EventObject): number {
    const key = `${from}>${to}:${canonicalJson(msg)}`;
    let id = this.envelopeIds.get(key);
    if (id === undefined) {
      id = this.envelopes.length;
      if (id >= 0xffff) throw new ModelDefinitionError('more than 65,535 distinct messages: bound the model further');
      // Stryker disable next-line ArithmeticOperator: any one-to-one numbering of (from, to) names the links alike; from * P - to and from / P + to are one-to-one too
      const linkKey = from * this.processes.length + to;
      let link = this.linkIds.get(linkKey);
      if (link === undefined) this.linkIds.set(linkKey, (link = this.linkIds.size));
      this.envelopes.push({ from, to, msg, link, policy: this.policyOf(to, msg.type), eventId: this.processes[to]!.eventId(msg) });
      this.envelopeIds.set(key, id);
    }
    return id;
  }

  private policyOf(to: number, type: string): DeliveryPolicy {
    const own = this.processes[to]!.spec.delivery;
    if (typeof own === 'string') return own;
    return own?.[type] ?? this.spec.delivery ?? 'wait';
  }

  /** A state string from its head and the envelope ids in flight, put in canonical order if they are not already. */
  encode(chars: number[], network: number[]): string {
    let ordered = network;
    if (this.spec.network === 'fifo') {
      // Stable by link: each link keeps its send order, links appear in a canonical order.
      const link = (e: number) => this.envelopes[e]!.link;
      if (!isSortedBy(network, link)) ordered = network.slice().sort((a, b) => link(a) - link(b));
    } else if (!isSortedBy(network, (e) => e)) {
      ordered = network.slice().sort((a, b) => a - b);
    }
    return String.fromCharCode.apply(null, ordered.length ? chars.concat(ordered) : chars);
  }

  /** @internal Whether process a reaches b (`[a * P + b]`) under the partitions of this mask. */
  connectedMatrix(mask: number): Uint8Array {
    let matrix = this.connectivity.get(mask);
    if (matrix) return matrix;
    const P = this.processes.length;
    matrix = new Uint8Array(P * P);
    for (let a = 0; a < P; a++) {
      for (let b = 0; b < P; b++) {
        let anyNetworkUp = false;
        for (let n = 0; n < this.networkCount && !anyNetworkUp; n++) {
          let cut = false;
          for (let k = 0; k < this.partitionMembers.length && !cut; k++) {
            if (!(mask & (1 << k)) || !this.partitionNetworks[k]!.includes(n)) continue;
            cut = this.partitionMembers[k]![a] !== this.partitionMembers[k]![b];
          }
          anyNetworkUp = !cut;
        }
        matrix[a * P + b] = a === b || anyNetworkUp ? 1 : 0;
      }
    }
    this.connectivity.set(mask, matrix);
    return matrix;
  }
}

const DELIVERY_POLICIES: readonly DeliveryPolicy[] = ['wait', 'drop', 'error'];

/** Refuses unknown policies, and `drop` or `error` on a network that never consumes a message. */
function checkDeliveryPolicies(spec: WorldSpec): void {
  const declared: Array<[string, unknown]> = [];
  if (spec.delivery !== undefined) declared.push(['the world', spec.delivery]);
  for (const [name, p] of Object.entries(spec.processes)) {
    if (typeof p.delivery === 'string' || p.delivery === undefined) {
      if (p.delivery !== undefined) declared.push([`process ${name}`, p.delivery]);
    } else for (const [type, policy] of Object.entries(p.delivery)) declared.push([`process ${name} (message ${type})`, policy]);
  }
  for (const [who, policy] of declared) {
    if (!DELIVERY_POLICIES.includes(policy as DeliveryPolicy)) throw new ModelDefinitionError(`${who} declares delivery '${String(policy)}': expected one of ${DELIVERY_POLICIES.join(', ')}`);
    if (spec.network === 'persistent' && policy !== 'wait') throw new ModelDefinitionError(`${who} declares delivery '${String(policy)}', but a persistent network never consumes a message: only 'wait' applies`);
  }
}

function isSortedBy(ids: readonly number[], key: (id: number) => number): boolean {
  for (let i = 1; i < ids.length; i++) if (key(ids[i - 1]!) > key(ids[i]!)) return false;
  return true;
}

/** A numeric cache slot for an action: its kind, its main operand and a small index. */
function slot(kind: number, code: number, arg: number): number {
  return kind * 0x1000000 + code * 0x100 + arg;
}

function removeOne(ids: number[], id: number): number[] {
  const i = ids.indexOf(id);
  const out = ids.slice();
  out.splice(i, 1);
  return out;
}

export type { AnyMachineSnapshot };
