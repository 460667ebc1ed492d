import fc from 'fast-check';
import { PROTOCOL_KINDS } from '../../world/actions.js';
import type { ModelInstance } from '../instance.js';
import { settle } from './settle.js';
import { aimedCommand, FAULT_KINDS, select, type Aim, type Executor } from './aims.js';

/** A behaviour drawn by fast-check: it drives an executor step by step. */
export interface Plan {
  execute(executor: Executor): void;
}

export type StrategyName = 'mix' | 'uniform' | 'swarm' | 'fault-timed' | 'fault-first' | 'pct' | 'novelty';
export const STRATEGIES: readonly StrategyName[] = ['mix', 'uniform', 'swarm', 'fault-timed', 'fault-first', 'pct', 'novelty'];

/**
 * How random behaviours are drawn (each then settles: see `settle`):
 * - `mix`: each run one of `fault-timed`, `fault-first`, `uniform` and `novelty`;
 * - `uniform`: a sequence of aimed commands, every kind of action alike;
 * - `swarm`: each behaviour first picks a subset of the action kinds it may use
 *   (swarm testing: leaving some out makes rare combinations of the rest likely);
 * - `fault-timed`: protocol steps with a few faults, each a drawn number of
 *   steps after the one before, striking when their kind is enabled;
 * - `fault-first`: a few faults first, then anything;
 * - `pct`: a priority schedule (after PCT): processes get random priorities, the
 *   highest-priority process with something to do always steps, its priority
 *   drops at a few random change points, and faults strike at chosen steps;
 * - `novelty`: starts where an earlier run left a successor unreached, and each
 *   step takes an action leading to a state no earlier run of the search has
 *   reached, while there is one (faults and requests included),
 *   so the runs together push the frontier outwards instead of walking the
 *   same likely paths again: the rare orderings of several faults a bug needs
 *   are the states that plain random walks keep missing.
 */
export function planArbitrary(strategy: StrategyName, instance: ModelInstance, aims: readonly Aim[], maxCommands: number, settleSteps: number): fc.Arbitrary<Plan> {
  const drawn = drawnPlan(strategy, instance, aims, maxCommands);
  if (settleSteps === 0) return drawn;
  return fc.tuple(drawn, fc.nat({ max: 7 })).map(([plan, rotation]) => ({
    execute(ex: Executor) {
      plan.execute(ex);
      settle(ex, settleSteps, rotation);
    },
    toString: () => `${plan}, then settle #${rotation}`,
  }));
}

/** The behaviour a strategy draws, before it settles. */
function drawnPlan(strategy: StrategyName, instance: ModelInstance, aims: readonly Aim[], maxCommands: number): fc.Arbitrary<Plan> {
  const commands = (pool: readonly Aim[]) => fc.commands([aimedCommand(pool)], { maxCommands, size: 'max' }).map(asPlan);
  switch (strategy) {
    case 'mix':
      // fast-check draws each run's strategy from the seed: no single strategy's blind spot is the search's.
      return fc.oneof(...MIXED.map((s) => drawnPlan(s, instance, aims, maxCommands)));
    case 'uniform':
      return commands(aims);
    case 'swarm':
      return fc.subarray(aims as Aim[], { minLength: 1 }).chain((subset) => commands(subset));
    case 'fault-timed':
      return faultTimedPlan(aims, maxCommands);
    case 'fault-first': {
      const faults = aims.filter((a) => FAULT_KINDS.has(a.kind));
      if (faults.length === 0) return commands(aims);
      return fc
        .tuple(fc.array(aimedCommand(faults), { maxLength: 3 }), fc.commands([aimedCommand(aims)], { maxCommands, size: 'max' }))
        .map(([first, rest]) => ({ execute: (ex: Executor) => runCommands([...first, ...rest], ex), toString: () => `${first.join(',')} | ${rest}` }));
    }
    case 'pct':
      return pctPlan(instance, aims, maxCommands);
    case 'novelty':
      return noveltyPlan(maxCommands);
  }
}

/**
 * A walk that starts where an earlier run of the search got to (a state on
 * its frontier, by the path that first reached it) and goes on for up to
 * `maxSteps` steps, each a choice among the enabled actions that lead
 * somewhere new, until there is none. The choices come from a
 * drawn seed: fast-check draws two numbers a walk, which keeps the runs the
 * search skips once it has walked everywhere cheap. Which states are new
 * depends on the runs before, so the same seed gives the same search; a
 * failing walk is replayed from the initial state and reduced on its steps.
 */
function noveltyPlan(maxSteps: number): fc.Arbitrary<Plan> {
  return fc.record({ from: fc.nat(), seed: fc.integer() }).map(({ from, seed }) => ({
    toString: () => `novelty(from #${from}, choices #${seed})`,
    execute(ex: Executor) {
      for (const step of ex.pathToReached(from)) ex.take(step);
      const choose = choices(seed);
      // Where every step leads somewhere known, the walk has done its work: the next one starts on the frontier.
      for (let step = 0; step < maxSteps; step++) {
        const unseen = ex.unseen();
        if (unseen.length === 0) return;
        ex.take(unseen[choose() % unseen.length]!);
      }
    },
  }));
}

/** A stream of non-negative integers from a seed (xorshift32): a walk's choices. */
function choices(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

function asPlan(commands: Iterable<fc.Command<Executor, null>>): Plan {
  return { execute: (ex) => fc.modelRun(() => ({ model: ex, real: null }), commands), toString: () => String(commands) } as Plan;
}

function runCommands(commands: Array<fc.Command<Executor, null>>, ex: Executor): void {
  for (const c of commands) if (c.check(ex)) c.run(ex, null);
}

function pctPlan(instance: ModelInstance, aims: readonly Aim[], maxSteps: number): fc.Arbitrary<Plan> {
  // Ticks belong to no process: the clock takes part in the priorities as '' .
  const names = instance.world.spec.budgets.tick ? [...instance.world.processNames, ''] : instance.world.processNames;
  const faultAims = aims.filter((a) => FAULT_KINDS.has(a.kind));
  const fault = faultAims.length ? fc.record({ at: fc.nat({ max: maxSteps - 1 }), aim: fc.constantFrom(...faultAims), pick: fc.nat({ max: 7 }) }) : fc.constant(null);
  return fc
    .record({
      priorities: fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }),
      changes: fc.uniqueArray(fc.nat({ max: maxSteps - 1 }), { maxLength: 3 }),
      faults: fc.array(fault, { maxLength: faultAims.length ? 3 : 0 }),
      length: fc.integer({ min: 1, max: maxSteps }),
      picks: fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 8 }),
    })
    .map(({ priorities, changes, faults, length, picks }) => ({
      toString: () => `pct(${priorities.join('>')}, changes ${changes.join(',')}, ${length} steps)`,
      execute(ex: Executor) {
        const order = priorities.slice();
        for (let step = 0; step < length; step++) {
          if (changes.includes(step)) order.push(order.shift()!);
          const due = faults.find((f) => f && f.at === step);
          const faultAction = due ? select(ex.enabled(), due.aim, due.pick) : undefined;
          if (faultAction) {
            ex.take(faultAction);
            continue;
          }
          const protocol = ex.enabled().filter((a) => PROTOCOL_KINDS.has(a.kind));
          if (protocol.length === 0) return;
          const top = order.find((p) => protocol.some((a) => a.process === p));
          const candidates = protocol.filter((a) => a.process === top);
          ex.take(candidates[picks[step % picks.length]! % candidates.length] ?? protocol[0]!);
        }
      },
    }));
}

/**
 * Protocol commands with a few faults in a drawn order, each after a drawn
 * number of protocol steps since the one before: it strikes (the `pick`-th
 * enabled action of its kind) at the first step from then on where its kind
 * is enabled, so a drop waits for a message and a restart for a crash, and
 * the faults' small budgets are not all spent at once on whatever happens to
 * be in flight first. When the protocol has nothing left to do, the next
 * fault strikes at once.
 */
function faultTimedPlan(aims: readonly Aim[], maxCommands: number): fc.Arbitrary<Plan> {
  const protocol = aims.filter((a) => !FAULT_KINDS.has(a.kind));
  const kinds = [...new Set(aims.filter((a) => FAULT_KINDS.has(a.kind)).map((a) => a.kind))];
  // Each behaviour draws its pace first: how many protocol steps at most between two faults.
  const faults = fc.constantFrom(...FAULT_PACES).chain((pace) => fc.array(kinds.length ? fc.record({ gap: fc.nat({ max: pace }), kind: fc.constantFrom(...kinds), pick: fc.nat({ max: 7 }) }) : fc.constant(null), { maxLength: 2 * kinds.length }));
  return fc
    .tuple(fc.array(protocol.length ? aimedCommand(protocol) : fc.constant(null), { maxLength: maxCommands, size: 'max' }), faults)
    .map(([commands, drawn]) => ({
      toString: () => `${commands.join(',')} | faults ${drawn.map((f) => `${f!.kind}#${f!.pick}+${f!.gap}`).join(',')}`,
      execute(ex: Executor) {
        const pending = drawn.filter((f) => f !== null);
        let since = 0;
        // The first pending fault that can strike now (a heal waits for its partition, not the faults after it).
        const strike = (due: boolean) => {
          const enabled = ex.enabled();
          const i = pending.findIndex((f) => enabled.some((a) => a.kind === f.kind));
          if (i < 0 || (!due && since < pending[i]!.gap)) return false;
          const next = pending.splice(i, 1)[0]!;
          const ofKind = enabled.filter((a) => a.kind === next.kind);
          ex.take(ofKind[next.pick % ofKind.length]!);
          since = 0;
          return true;
        };
        for (const command of commands) {
          while (strike(false));
          if (command?.check(ex)) {
            command.run(ex, null);
            since++;
          } else if (!ex.enabled().some((a) => PROTOCOL_KINDS.has(a.kind))) strike(true);
        }
      },
    }));
}

/** The strategies `mix` draws from, each for about a quarter of the runs. */
const MIXED: readonly StrategyName[] = ['fault-timed', 'fault-first', 'uniform', 'novelty'];

/** How many protocol steps at most a `fault-timed` behaviour leaves between one fault and the next: bugs differ in how close their faults strike. */
const FAULT_PACES = [1, 3, 8];
