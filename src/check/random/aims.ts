import fc from 'fast-check';
import type { ActionKind, WorldAction } from '../../world/actions.js';
import type { ModelInstance } from '../instance.js';

/** What a command aims at: an action kind, the process it lands on, and a message/event type or partition name. */
export interface Aim {
  kind: ActionKind;
  process: string;
  tag: string;
}

export const FAULT_KINDS: ReadonlySet<ActionKind> = new Set(['drop', 'partition', 'heal', 'crash', 'restart']);

/** Runs one behaviour: what is enabled now, and taking an action (which checks the property and may throw). */
export interface Executor {
  readonly state: string;
  enabled(): readonly WorldAction[];
  /** Whether weak fairness is owed to an action (the world decides: World.isFair). */
  isFair(action: WorldAction): boolean;
  /** The enabled actions that lead to a state no run of this search has reached yet. */
  unseen(): readonly WorldAction[];
  /** The steps from this run's initial state to the `pick`-th state earlier runs reached from it (as first reached). */
  pathToReached(pick: number): readonly WorldAction[];
  take(action: WorldAction): void;
}

/**
 * The enabled action an aim selects: the `pick`-th of those matching kind,
 * process and tag, else of the same kind on the same process, else of the
 * same kind anywhere. Its meaning survives removal of earlier steps, which is
 * what lets fast-check shrink behaviours well (stack-facts §3.1).
 */
export function select(actions: readonly WorldAction[], aim: Aim, pick: number): WorldAction | undefined {
  const ofKind = actions.filter((a) => a.kind === aim.kind);
  for (const pool of [ofKind.filter((a) => a.process === aim.process && a.tag === aim.tag), ofKind.filter((a) => a.process === aim.process), ofKind]) {
    if (pool.length > 0) return pool[pick % pool.length];
  }
  return undefined;
}

/** A fast-check command that takes the action its aim selects; skipped when nothing matches. */
export class AimedCommand implements fc.Command<Executor, null> {
  constructor(
    readonly aim: Aim,
    private readonly pick: number,
  ) {}

  check(m: Readonly<Executor>): boolean {
    return select(m.enabled(), this.aim, this.pick) !== undefined;
  }

  run(m: Executor): void {
    m.take(select(m.enabled(), this.aim, this.pick)!);
  }

  toString(): string {
    const { kind, process, tag } = this.aim;
    return `${kind}(${process || tag}${process && tag !== kind ? ':' + tag : ''}#${this.pick})`;
  }
}

export const aimedCommand = (aims: readonly Aim[]) => fc.oneof(...aims.map((aim) => fc.nat({ max: 7 }).map((pick) => new AimedCommand(aim, pick) as fc.Command<Executor, null>)));

/** Every action a behaviour of this world could contain, by kind, process and tag. */
export function aimsOf(instance: ModelInstance): Aim[] {
  const spec = instance.world.spec;
  const aims: Aim[] = [];
  const messageTypes = new Set<string>();
  for (const p of instance.world.processes) for (const type of p.machine.events) if (!type.startsWith('xstate.')) messageTypes.add(type);
  for (const p of instance.world.processes) {
    const handled = new Set(p.machine.events);
    for (const type of [...messageTypes].sort()) if (handled.has(type)) aims.push({ kind: 'deliver', process: p.name, tag: type });
    for (const t of p.spec.timeouts ?? []) aims.push({ kind: 'timeout', process: p.name, tag: t.event.type });
    for (const s of p.spec.internal ?? []) aims.push({ kind: 'internal', process: p.name, tag: s.event.type });
    for (const r of p.spec.requests ?? []) aims.push({ kind: 'request', process: p.name, tag: r.type });
  }
  if (spec.budgets.tick) aims.push({ kind: 'tick', process: '', tag: 'tick' });
  if (spec.budgets.drop) for (const type of [...messageTypes].sort()) aims.push({ kind: 'drop', process: '', tag: type });
  if (spec.budgets.partition) {
    for (const p of spec.partitions ?? []) aims.push({ kind: 'partition', process: '', tag: p.name }, { kind: 'heal', process: '', tag: p.name });
  }
  if (spec.budgets.crash) {
    for (const p of instance.world.processes) if (p.spec.crash) aims.push({ kind: 'crash', process: p.name, tag: 'crash' }, { kind: 'restart', process: p.name, tag: 'restart' });
  }
  return aims;
}
