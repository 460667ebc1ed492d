import type { AnyStateMachine, EventObject } from 'xstate';
import type { WorldView } from './world-view.js';

/**
 * How in-flight messages are held: a multiset (`bag`), a set (duplicates merge),
 * FIFO per link, or `persistent`: a set whose messages stay after delivery and
 * may be received again, as in TLA+ specs that keep every message ever sent.
 */
export type NetworkKind = 'bag' | 'set' | 'fifo' | 'persistent';

/**
 * What happens to a message whose receiver, in its current state, has no
 * transition for it:
 * - `wait`: it stays in flight until the receiver can take it (TLA+ and PlusCal
 *   message sets, P's `defer`); the default;
 * - `drop`: the receiver takes it and nothing happens (P's `ignore`); stories say
 *   the message was discarded;
 * - `error`: delivering it is a model error naming process, state and message
 *   (P's unhandled-event error).
 * A `persistent` network never consumes a message, so only `wait` applies there.
 */
export type DeliveryPolicy = 'wait' | 'drop' | 'error';

/** An event the environment may hand a process when it is waiting for one (a timer firing). */
export interface TimeoutSpec {
  event: EventObject;
  /** Further condition on the whole world, e.g. only when the peer is unreachable. */
  when?: (world: WorldView) => boolean;
}

/**
 * A step a process takes on its own, not prompted by a message, a timer or a
 * client (an RM deciding to abort, a node choosing to stand for election): the
 * explorer fires it whenever the machine handles `event` (and `when` holds).
 */
export interface InternalStepSpec {
  event: EventObject;
  /** What stories call the step ("chooses to abort"); by default the event type. */
  name?: string;
  /** Further condition on the world, as for timeouts; the process's own state is already checked by its machine. */
  when?: (world: WorldView) => boolean;
  /**
   * `weak` (the default): a behaviour in which the step stays enabled for ever
   * but is never taken is not a counterexample to liveness (TLA+'s WF). `none`:
   * the process may never take it.
   */
  fairness?: 'weak' | 'none';
}

export interface ProcessSpec {
  machine: AnyStateMachine;
  input?: unknown;
  /**
   * Several inputs the process may start from, instead of one `input` (TLA+'s
   * `x \in S` in `Init`): the world's initial states are every combination of
   * the processes' alternatives. A process that may crash restarts from its
   * input, so it must start from the same one in every initial state.
   */
  inputs?: unknown[];
  /** Timer events the explorer may fire whenever the machine handles them. */
  timeouts?: TimeoutSpec[];
  /** Requests from outside the protocol (a client's writes), fired whenever the machine handles them. */
  requests?: EventObject[];
  /** Steps the process takes on its own (unbounded: the machine must be finite on its own). */
  internal?: InternalStepSpec[];
  /**
   * Present when the process may crash. `durable` picks what survives a crash;
   * on restart the machine starts again with input `{ ...input, durable }`.
   */
  crash?: { durable?: (context: any) => unknown };
  /** Shown in diagrams: clients are drawn first. */
  role?: 'client' | 'server' | 'authority';
  /** Overrides the world's delivery policy for messages to this process, for every message type or per type (`{ HEARTBEAT: 'drop' }`). */
  delivery?: DeliveryPolicy | Record<string, DeliveryPolicy>;
}

/** One way the network can split: `group` is cut off from every other process on the listed networks. */
export interface PartitionSpec {
  name: string;
  group: string[];
  /** Networks cut; default all. Two processes stay connected while any network between them is up. */
  networks?: string[];
}

/**
 * How many of each environment action one behaviour may contain; this keeps the
 * state space finite. Faults (drop, partition, crash) and ticks default to 0;
 * timeouts and requests to unbounded. `Infinity` makes any of them unbounded
 * (TLA+'s lossy channel: `drop: Infinity`); the machines must then keep the
 * state space finite themselves.
 */
export interface Budgets {
  drop?: number;
  partition?: number;
  crash?: number;
  /** Unbounded when absent: the machines must then be finite on their own. */
  timeout?: number;
  request?: number;
  /**
   * Discrete time: when set, a global `tick` action may happen this many times;
   * each tick hands `{ type: 'TICK' }` to every running process that handles it,
   * so machines count ticks in their context to time out after a declared number.
   */
  tick?: number;
}

/** A named projection of the world shown in stories instead of raw contexts (like a TLA+ ALIAS). */
export type ViewSpec = Record<string, (world: WorldView) => unknown>;

export interface WorldSpec {
  processes: Record<string, ProcessSpec>;
  network: NetworkKind;
  /** Named physical networks (default one, `net`). */
  networks?: string[];
  partitions?: PartitionSpec[];
  budgets: Budgets;
  /**
   * Initial states whose inputs go together (TLA+'s `Init` as a disjunction,
   * e.g. the receiver's bit equal to the sender's): each entry gives the inputs
   * of some processes, the others take their `input` or every one of their
   * `inputs`. Absent: one entry that names nobody. Each initial state is
   * explored; traces from any but a world's only one begin with an `init` step
   * naming it (the entry's `name`, then what the chosen alternatives differ in).
   */
  initial?: Array<{ name?: string; inputs: Record<string, unknown> }>;
  /** What happens to a message its receiver cannot take in its current state; `wait` by default. */
  delivery?: DeliveryPolicy;
  view?: ViewSpec;
  /**
   * Groups of interchangeable processes (replicas, volumes, resource managers):
   * renaming the members of a group among themselves, everywhere at once, maps
   * every behaviour onto another behaviour and changes no property. A check
   * asked for symmetry reduction then explores one state per orbit (safety
   * properties only; it switches itself off when a liveness property is checked).
   *
   * The world can verify part of this and rejects a declaration when the members
   * of a group have different machines, timers, requests, crash settings or
   * inputs (up to renaming), when a partition has no renamed counterpart, or when
   * the initial state changes under renaming. The rest is the model's promise:
   * - a name appears in contexts, durable parts and messages only as a whole
   *   string value or an object key equal to it (never inside a longer string,
   *   never as a number); state values are not renamed;
   * - a list of strings holding a member's name is a set and is kept sorted
   *   (`[...xs, x].sort()`): renaming re-sorts it, and an unsorted one is
   *   reported as an error; the order of other lists must not depend on names;
   * - machines, `when` conditions and properties treat members alike: nothing
   *   singles out `rm3` or compares names by order.
   * A process not in any group keeps its name; a machine may mention it freely.
   * A group of one changes nothing (so a builder may declare `[replicas.slice(1)]` at any size).
   */
  symmetry?: string[][];
}
