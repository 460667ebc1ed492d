import fc from 'fast-check';
import { reduceSequence } from '../engine/reduce.js';
import type { Property, Witness } from '../spec/property.js';
import type { ActionDescriptor, ActionKind, WorldAction } from '../world/actions.js';
import { describeError, ModelStepError } from '../world/errors.js';
import { evaluate, type ModelInstance } from './instance.js';
import type { CheckResult } from './result.js';
import { stepsFind } from './trace.js';
import { coverageOf, markVacuous } from './coverage.js';

export interface RandomOptions {
  seed: number;
  /** Random behaviours tried per property. */
  runs: number;
  /** Commands drawn per behaviour (fewer execute: a command whose target is not enabled is skipped). */
  maxCommands?: number;
}

/** What a command aims at: an action kind, the process it lands on, and a message/event type or partition name. */
interface Aim {
  kind: ActionKind;
  process: string;
  tag: string;
}

interface RunState {
  state: string;
  trace: WorldAction[];
}

class PropertyBroken extends Error {
  constructor(
    readonly trace: ActionDescriptor[],
    readonly witness: Witness,
  ) {
    super(`property broken after ${trace.length} steps: ${witness.message}`);
  }
}

/**
 * A semantic selector (see stack-facts §3.1): "deliver a GRANT to r2" rather
 * than "the third enabled action", so its meaning survives when shrinking
 * removes earlier commands. It falls back to any action of the same kind on the
 * same process, then of the same kind anywhere.
 */
class AimedCommand implements fc.Command<RunState, null> {
  constructor(
    private readonly instance: ModelInstance,
    private readonly property: Property,
    private readonly aim: Aim,
    private readonly pick: number,
  ) {}

  private select(state: string): WorldAction | undefined {
    const { kind, process, tag } = this.aim;
    const ofKind = this.instance.world.actions(state).filter((a) => a.kind === kind);
    for (const pool of [ofKind.filter((a) => a.process === process && a.tag === tag), ofKind.filter((a) => a.process === process), ofKind]) {
      if (pool.length > 0) return pool[this.pick % pool.length];
    }
    return undefined;
  }

  check(m: Readonly<RunState>): boolean {
    return this.select(m.state) !== undefined;
  }

  run(m: RunState): void {
    const action = this.select(m.state)!;
    m.state = this.instance.world.nextState(m.state, action);
    m.trace.push(action);
    const world = this.instance.world;
    const witness = evaluate(this.property, world, m.state, this.property.kind === 'deadlock-free' ? world.actions(m.state) : undefined);
    if (witness) throw new PropertyBroken(m.trace.map((a) => a.descriptor), witness);
  }

  toString(): string {
    const { kind, process, tag } = this.aim;
    return `${kind}(${process || tag}${process && tag !== kind ? ':' + tag : ''}#${this.pick})`;
  }
}

/** Every action a behaviour of this world could contain, by kind, process and tag. */
function aimsOf(instance: ModelInstance): Aim[] {
  const spec = instance.world.spec;
  const aims: Aim[] = [];
  const messageTypes = new Set<string>();
  for (const p of instance.world.processes) for (const type of p.machine.events) if (!type.startsWith('xstate.')) messageTypes.add(type);
  for (const p of instance.world.processes) {
    const handled = new Set(p.machine.events);
    for (const type of [...messageTypes].sort()) if (handled.has(type)) aims.push({ kind: 'deliver', process: p.name, tag: type });
    for (const t of p.spec.timeouts ?? []) aims.push({ kind: 'timeout', process: p.name, tag: t.event.type });
    for (const r of p.spec.requests ?? []) aims.push({ kind: 'request', process: p.name, tag: r.type });
  }
  if (spec.budgets.tick !== undefined) aims.push({ kind: 'tick', process: '', tag: 'tick' });
  if (spec.budgets.drop) for (const type of [...messageTypes].sort()) aims.push({ kind: 'drop', process: '', tag: type });
  if (spec.budgets.partition) {
    for (const p of spec.partitions ?? []) aims.push({ kind: 'partition', process: '', tag: p.name }, { kind: 'heal', process: '', tag: p.name });
  }
  if (spec.budgets.crash) {
    for (const p of instance.world.processes) if (p.spec.crash) aims.push({ kind: 'crash', process: p.name, tag: 'crash' }, { kind: 'restart', process: p.name, tag: 'restart' });
  }
  return aims;
}

/**
 * Random exploration with fast-check: behaviours are sequences of aimed
 * commands run with `fc.check` under a seed; a failure is shrunk by fast-check
 * and then by delta debugging on the concrete steps, which usually reaches the
 * length of the shortest trace.
 */
export function checkRandom(instance: ModelInstance, options: RandomOptions): CheckResult[] {
  const aims = aimsOf(instance);
  const expect = instance.model.variants[instance.variant]!.expect;
  const rows = instance.properties
    .filter((p) => p.kind !== 'eventually')
    .map((property): CheckResult => {
      const started = performance.now();
      const base = {
        model: instance.model.name,
        variant: instance.variant,
        config: instance.config,
        property: property.name,
        kind: property.kind,
        mode: 'random' as const,
        expected: expect[property.name]!,
        complete: false,
        seed: options.seed,
      };
      let executedRuns = 0;
      let steps = 0;
      let longest = 0;
      const commandArb = fc.oneof(
        ...aims.map((aim) => fc.nat({ max: 7 }).map((pick) => new AimedCommand(instance, property, aim, pick) as fc.Command<RunState, null>)),
      );
      const behaviour = fc.property(fc.commands([commandArb], { maxCommands: options.maxCommands ?? 60, size: 'max' }), (commands) => {
        const run: RunState = { state: instance.world.initialStates()[0]!, trace: [] };
        executedRuns++;
        try {
          const world = instance.world;
          const witness = evaluate(property, world, run.state, property.kind === 'deadlock-free' ? world.actions(run.state) : undefined);
          if (witness) throw new PropertyBroken([], witness);
          fc.modelRun(() => ({ model: run, real: null }), commands);
        } finally {
          steps += run.trace.length;
          longest = Math.max(longest, run.trace.length);
        }
      });
      let details: ReturnType<typeof fc.check<[Iterable<fc.Command<RunState, null>>]>>;
      try {
        details = fc.check(behaviour, { seed: options.seed, numRuns: options.runs });
      } catch (error) {
        return { ...base, verdict: 'error' as const, states: executedRuns, transitions: steps, depth: longest, traceLength: null, seconds: 0, note: describeError(error) };
      }
      const stats = { states: executedRuns, transitions: steps, depth: longest };
      const cause = details.errorInstance;
      if (details.failed && !(cause instanceof PropertyBroken)) {
        const detail = cause instanceof ModelStepError ? `process ${cause.process} threw on ${cause.event}: ${cause.detail}` : describeError(cause);
        return { ...base, ...stats, verdict: 'error' as const, traceLength: null, seconds: (performance.now() - started) / 1000, note: `${instance.model.name}/${instance.variant}: ${detail}` };
      }
      const seconds = () => (performance.now() - started) / 1000;
      if (cause instanceof PropertyBroken) {
        const trace = reduceSequence(cause.trace, (candidate) => stepsFind(instance, property, candidate));
        const verdict = property.kind === 'sometimes' ? ('holds' as const) : ('violated' as const);
        const found = property.kind === 'sometimes' ? 'reached' : 'broken';
        return {
          ...base,
          ...stats,
          verdict,
          traceLength: trace.length,
          trace,
          witness: cause.witness,
          seconds: seconds(),
          note: `${found} in run ${details.numRuns} (seed ${options.seed}, path ${details.counterexamplePath}); ${cause.trace.length} steps shrunk to ${trace.length}`,
        };
      }
      if (property.kind === 'sometimes') {
        return { ...base, ...stats, verdict: 'bounded' as const, traceLength: null, seconds: seconds(), note: `not reached in ${executedRuns} random runs` };
      }
      return { ...base, ...stats, verdict: 'holds' as const, traceLength: null, seconds: seconds(), note: `no violation in ${executedRuns} random runs (a search, not a proof)` };
    });
  const coverage = coverageOf(instance.world);
  return markVacuous(rows, coverage).map((r) => ({ ...r, coverage }));
}
