import fc from 'fast-check';
import { reduceSequence } from '../../engine/reduce.js';
import type { Property, Witness } from '../../spec/property.js';
import type { ActionDescriptor, WorldAction } from '../../world/actions.js';
import { describeError, ModelStepError, PROPERTY_PROCESS } from '../../world/errors.js';
import { coverageOf, markVacuous } from '../coverage.js';
import { rowIdentity, type ModelInstance } from '../instance.js';
import type { CheckResult } from '../result.js';
import { replaySteps, ReplayError, stepsFind, traceFrom } from '../trace.js';
import { lassoInRun, type RunQuestions } from '../liveness.js';
import type { EventuallyProperty } from '../../spec/property.js';
import { randomMissExcuse } from '../../spec/model.js';
import { aimsOf } from './aims.js';
import { planArbitrary, type Plan, type StrategyName } from './strategies.js';
import { settleStepsOf } from './settle.js';
import { KnownState, Novelty, StateGraph } from './state-graph.js';

export interface RandomOptions {
  seed: number;
  /** Random behaviours tried per property, for each unit of fault budget the configuration has (see `runsOf`). */
  runs: number;
  /** Commands drawn per behaviour, 200 by default (fewer execute: a command whose target is not enabled is skipped). */
  maxCommands?: number;
  strategy?: StrategyName;
  /** Fair protocol steps a behaviour may take after its commands, to settle (0: none); derived from the world by default. */
  settleSteps?: number;
  /** Told every 100 runs and at the end of each property: runs tried so far, steps taken, longest run. */
  onProgress?: (progress: { property: string; runs: number; steps: number; longest: number; seconds: number }) => void;
}

class PropertyBroken extends Error {
  constructor(
    readonly trace: ActionDescriptor[],
    readonly witness: Witness,
    /** For liveness: the steps from here on repeat forever. */
    readonly loopFrom?: number,
  ) {
    super(`property broken after ${trace.length} steps: ${witness.message}`);
  }
}

/** Where a failing behaviour was found, for reports and benchmarks. */
export interface RandomSearch {
  failed: boolean;
  /** Runs until the first failure (before shrinking), or all runs. */
  runsToFailure: number;
}

/**
 * Random exploration with fast-check: behaviours drawn by a strategy (uniform
 * aimed commands by default) run with `fc.check` under a seed; a failure is
 * shrunk by fast-check and then by delta debugging on the concrete steps,
 * which usually reaches the length of the shortest trace.
 */
export function checkRandom(instance: ModelInstance, options: RandomOptions, searches?: RandomSearch[]): CheckResult[] {
  const aims = aimsOf(instance);
  // The command line's default too: callers of the library get the search `npm run check` runs.
  const strategy = options.strategy ?? 'mix';
  const world = instance.world;
  const graph = new StateGraph(instance);
  const planOf = (name: StrategyName) => startingPlans(world, planArbitrary(name, instance, aims, options.maxCommands ?? 200, options.settleSteps ?? settleStepsOf(aims)));
  const phases = phasesOf(instance, options, strategy, planOf);
  // With one property the survey would only repeat its own search's runs.
  const survey = instance.properties.length > 1 ? surveyRuns(instance, phases, options, graph) : undefined;
  const rows = instance.properties.map((property): CheckResult => {
      if (survey && !survey.found.has(property.name)) {
        searches?.push({ failed: false, runsToFailure: survey.runs });
        return quietRow(instance, property, survey, options.seed);
      }
      // Found by a novelty walk: the survey's own run is the counterexample (novelty walks do not shrink; the reducer does).
      const walk = survey?.walked.get(property.name);
      if (survey && walk) {
        searches?.push({ failed: true, runsToFailure: walk.run });
        return brokenRow(instance, property, walk.cause, { states: walk.run, transitions: walk.steps, depth: walk.longest, seconds: survey.seconds, found: { run: walk.run, drawn: survey.extensionDrawn, seed: options.seed } });
      }
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      const base = {
        ...rowIdentity(instance, property, 'random' as const),
        complete: false,
        seed: options.seed,
      };
      let executedRuns = 0;
      let firstFailure = 0;
      let steps = 0;
      let longest = 0;
      // Liveness with a trigger proves nothing until some run reaches the trigger.
      let triggered = property.kind !== 'eventually' || property.trigger === undefined;
      const check = (state: KnownState, trace: WorldAction[]) => {
        const witness = atStep(trace.length, () => graph.verdict(state, property));
        if (witness) throw new PropertyBroken(traceFrom(world, run.states[0]!.state, trace), witness);
      };
      // Liveness is judged on a whole run: a lasso inside it is a real counterexample.
      const checkRun = (states: KnownState[], trace: WorldAction[]) => {
        if (property.kind !== 'eventually') return;
        const asked = graph.questions(property);
        if (!triggered) triggered = states.some((s) => asked.trigger(s));
        const broken = lassoBroken(instance, property, states, trace, asked);
        if (broken) throw broken;
      };
      let run: Run = { states: [], trace: [] };
      const novelty = new Novelty(graph);
      // A novelty walk that breaks the property ends the search: fast-check would shrink its two numbers, which mean nothing on their own.
      let walked: PropertyBroken | undefined;
      const behaviour = (phase: Phase) => fc.property(phase.plans, ([start, plan]: StartingPlan) => {
        if (phase.extension && (walked || novelty.done())) return;
        run = { states: [], trace: [] };
        executedRuns++;
        if (options.onProgress && executedRuns % 100 === 0) options.onProgress({ property: property.name, runs: executedRuns, steps, longest, seconds: seconds() });
        try {
          runPlan(graph, start, plan, run, check, novelty);
          checkRun(run.states, run.trace);
        } catch (error) {
          if (firstFailure === 0) firstFailure = executedRuns;
          if (phase.extension && error instanceof PropertyBroken) walked = error;
          else throw error;
        } finally {
          steps += run.trace.length;
          longest = Math.max(longest, run.trace.length);
        }
      });
      let details: ReturnType<typeof checkPhases>;
      try {
        details = checkPhases(phases, behaviour, options.seed, strategy);
      } catch (error) {
        return { ...base, verdict: 'error' as const, states: executedRuns, transitions: steps, depth: longest, traceLength: null, seconds: seconds(), note: describeError(error) };
      }
      const failed = details.failed || walked !== undefined;
      searches?.push({ failed, runsToFailure: failed ? firstFailure : executedRuns });
      const stats = { states: executedRuns, transitions: steps, depth: longest };
      const cause = details.failed ? details.errorInstance : walked;
      if (details.failed && !(cause instanceof PropertyBroken)) {
        const where = cause instanceof FailedAtStep ? (cause.kind === 'step' ? `at step ${cause.step}, ` : `after step ${cause.step}, `) : '';
        const error = cause instanceof FailedAtStep ? cause.error : cause;
        const detail = !(error instanceof ModelStepError) ? describeError(error) : error.process === PROPERTY_PROCESS ? `property ${error.event} threw: ${error.detail}` : `process ${error.process} threw on ${error.event}: ${error.detail}`;
        return { ...base, ...stats, verdict: 'error' as const, traceLength: null, seconds: seconds(), note: `${instance.model.name}/${instance.variant}: ${where}${detail}` };
      }
      if (cause instanceof PropertyBroken) {
        const drawn = walked ? `a novelty walk after the ${phases[0]!.numRuns} runs of ${strategy}` : strategy;
        return brokenRow(instance, property, cause, { ...stats, seconds: seconds(), found: { run: firstFailure, drawn, seed: options.seed, path: walked ? undefined : details.counterexamplePath ?? undefined } });
      }
      return quietRow(instance, property, { runs: executedRuns, drawn: drawnBy(phases, novelty), steps, longest, triggered: new Set(triggered ? [property.name] : []), seconds: seconds() }, options.seed);
    });
  const coverage = coverageOf(world);
  return markVacuous(rows, coverage, instance.model.variants[instance.variant]).map((r) => {
    const gap = r.expected === 'violated' && r.verdict !== 'violated' ? randomMissExcuse(instance.model, instance.variant, instance.config, r.property) : undefined;
    return gap === undefined ? { ...r, coverage } : { ...r, coverage, knownGap: gap };
  });
}

/** Where a counterexample was found, for its row's note. */
interface Found {
  run: number;
  drawn: string;
  seed: number;
  /** fast-check's path to the failing run, when fast-check drew and shrank it. */
  path?: string;
}

/** The row of a property a run broke (or, for `sometimes`, reached), with its run reduced to the steps that matter. */
function brokenRow(instance: ModelInstance, property: Property, cause: PropertyBroken, at: { states: number; transitions: number; depth: number; seconds: number; found: Found }): CheckResult {
  const { found, ...stats } = at;
  const base = { ...rowIdentity(instance, property, 'random' as const), complete: false, seed: found.seed, ...stats };
  const where = `in run ${found.run} (${found.drawn}, seed ${found.seed}${found.path ? `, path ${found.path}` : ''})`;
  if (property.kind === 'eventually') {
    const reduced = reduceLasso(instance, property, cause.trace);
    return {
      ...base,
      verdict: 'violated',
      traceLength: reduced.trace.length,
      trace: reduced.trace,
      loopFrom: reduced.loopFrom,
      witness: lassoWitness(property, { loopFrom: reduced.loopFrom }, reduced.trace.length),
      note: `a run that can go on forever without the goal, found ${where}; ${cause.trace.length} steps reduced to ${reduced.trace.length}`,
    };
  }
  const trace = reduceSequence(cause.trace, (candidate) => stepsFind(instance, property, candidate));
  return {
    ...base,
    verdict: property.kind === 'sometimes' ? 'holds' : 'violated',
    traceLength: trace.length,
    trace,
    witness: cause.witness,
    note: `${property.kind === 'sometimes' ? 'reached' : 'broken'} ${where}; ${cause.trace.length} steps shrunk to ${trace.length}`,
  };
}

/** The counterexample a lasso inside a run gives, if the run has one. */
function lassoBroken(instance: ModelInstance, property: EventuallyProperty, states: readonly KnownState[], trace: readonly WorldAction[], asked: RunQuestions<KnownState>): PropertyBroken | undefined {
  const lasso = lassoInRun(instance, property, states, trace, asked);
  if (!lasso) return undefined;
  const steps = traceFrom(instance.world, states[0]!.state, trace.slice(0, lasso.end));
  const offset = steps.length - lasso.end;
  return new PropertyBroken(steps, lassoWitness(property, { loopFrom: lasso.loopFrom + offset }, lasso.end + offset), lasso.loopFrom + offset);
}

/** What one pass of the runs, judging every property at once, saw. */
interface Survey {
  /** Properties a novelty walk broke first, with that walk as their counterexample and the search so far. */
  walked: Map<string, { cause: PropertyBroken; run: number; steps: number; longest: number }>;
  /** How the runs of novelty walks are told in notes. */
  extensionDrawn: string;
  runs: number;
  /** How the runs were drawn, as the rows say it. */
  drawn: string;
  steps: number;
  longest: number;
  /** Properties broken (or, for `sometimes`, reached) in some run. */
  found: Set<string>;
  /** Liveness properties whose trigger held in some run. */
  triggered: Set<string>;
  seconds: number;
}

/**
 * One pass of the same runs each property's own search would make (fast-check
 * draws run i from the seed alone), judging every property on every state and
 * never stopping. A property it finds nothing for would find nothing in its
 * own search either, and gets its row from here; only the properties it finds
 * are searched again on their own, to stop at the first failure and shrink.
 * A model error ends the survey: the searches of their own then report it.
 */
function surveyRuns(instance: ModelInstance, phases: readonly Phase[], options: RandomOptions, graph: StateGraph): Survey | undefined {
  const started = performance.now();
  const world = instance.world;
  const survey: Survey = { walked: new Map(), extensionDrawn: `a novelty walk after the ${phases[0]!.numRuns} runs of mix`, runs: 0, drawn: 'mix', steps: 0, longest: 0, found: new Set(), triggered: new Set(), seconds: 0 };
  const stateProperties = instance.properties.filter((p) => p.kind !== 'eventually');
  const liveness = instance.properties.filter((p): p is EventuallyProperty => p.kind === 'eventually');
  let current: Run = { states: [], trace: [] };
  let inExtension = false;
  // A property first found by a novelty walk keeps that walk (told at once: the run goes on and its arrays grow).
  const find = (property: Property, cause: () => PropertyBroken) => {
    survey.found.add(property.name);
    if (inExtension) survey.walked.set(property.name, { cause: cause(), run: survey.runs, steps: survey.steps + current.trace.length, longest: Math.max(survey.longest, current.trace.length) });
  };
  const judge = (state: KnownState, trace: WorldAction[]) => {
    for (const p of stateProperties) {
      if (survey.found.has(p.name)) continue;
      const witness = graph.verdict(state, p);
      if (witness) find(p, () => new PropertyBroken(traceFrom(world, current.states[0]!.state, trace), witness));
    }
  };
  let failed = false;
  const novelty = new Novelty(graph);
  const behaviour = (phase: Phase) => fc.property(phase.plans, ([start, plan]: StartingPlan) => {
    if (failed || (phase.extension && novelty.done())) return;
    inExtension = phase.extension;
    const run: Run = (current = { states: [], trace: [] });
    survey.runs++;
    if (options.onProgress && survey.runs % 100 === 0) options.onProgress({ property: 'every property', runs: survey.runs, steps: survey.steps, longest: survey.longest, seconds: (performance.now() - started) / 1000 });
    try {
      runPlan(graph, start, plan, run, judge, novelty);
      for (const p of liveness) {
        const asked = graph.questions(p);
        if (!survey.triggered.has(p.name) && (p.trigger === undefined || run.states.some((s) => asked.trigger(s)))) survey.triggered.add(p.name);
        if (survey.found.has(p.name)) continue;
        const broken = lassoBroken(instance, p, run.states, run.trace, asked);
        if (broken) find(p, () => broken);
      }
    } catch {
      failed = true;
    } finally {
      survey.steps += run.trace.length;
      survey.longest = Math.max(survey.longest, run.trace.length);
    }
  });
  checkPhases(phases, behaviour, options.seed, 'mix');
  survey.drawn = drawnBy(phases, novelty);
  survey.seconds = (performance.now() - started) / 1000;
  return failed ? undefined : survey;
}

/** One part of a search: the behaviours it draws and how many. */
interface Phase {
  strategy: StrategyName;
  plans: fc.Arbitrary<StartingPlan>;
  numRuns: number;
  /** Runs only while the novelty search has somewhere new to go. */
  extension: boolean;
}

/**
 * The default search (`mix`) makes its runs (`runsOf`), then goes on with up
 * to `EXTENSION` times as many `novelty` walks for as long as some state
 * reached has a successor no run has reached: a bug that needs several faults
 * each at its own point of a long behaviour lies in states that plain random
 * runs almost never reach, and a small configuration is thus walked all over
 * whatever the seed, while a large one stops at the cap. A strategy asked
 * for by name makes its runs only.
 */
function phasesOf(instance: ModelInstance, options: RandomOptions, strategy: StrategyName, planOf: (name: StrategyName) => fc.Arbitrary<StartingPlan>): Phase[] {
  const runs = runsOf(instance, options);
  const phases: Phase[] = [{ strategy, plans: planOf(strategy), numRuns: runs, extension: false }];
  if (strategy === 'mix') phases.push({ strategy: 'novelty', plans: planOf('novelty'), numRuns: EXTENSION * runs, extension: true });
  return phases;
}
const EXTENSION = 10;

/** How a search that found nothing drew its runs, and, after novelty walks, how far they got. */
function drawnBy(phases: readonly Phase[], novelty: Novelty): string {
  const strategy = phases[0]!.strategy;
  if (phases.length === 1) return strategy;
  const count = novelty.size.toLocaleString('en-US');
  if (!novelty.done() || novelty.full) return `${strategy}, then novelty walks, stopped at their cap with ${count} states reached`;
  return `${strategy}, then novelty walks until ${novelty.size === 1 ? 'the one state they could reach was' : `all ${count} states they could reach were`} reached`;
}

/** Runs the phases in order under one seed, up to the first that fails; its details (or the last's), and how its runs were drawn. */
function checkPhases(phases: readonly Phase[], behaviour: (phase: Phase) => fc.IPropertyWithHooks<[StartingPlan]>, seed: number, strategy: StrategyName): fc.RunDetails<[StartingPlan]> & { drawn: string } {
  let details: fc.RunDetails<[StartingPlan]> | undefined;
  let drawn: string = strategy;
  for (const phase of phases) {
    details = fc.check(behaviour(phase), { seed, numRuns: phase.numRuns });
    drawn = phase.extension ? `a novelty walk after the ${phases[0]!.numRuns} runs of ${strategy}` : strategy;
    if (details.failed) break;
  }
  return { ...details!, drawn };
}

/**
 * The runs a search makes: `options.runs` for each fault the configuration
 * allows (drops, partitions, crashes; at least one). Each fault a bug needs
 * must strike at the right point of a behaviour, so a configuration with more
 * of them needs more behaviours to hit a given combination.
 */
export function runsOf(instance: ModelInstance, options: Pick<RandomOptions, 'runs'>): number {
  const budgets = instance.world.spec.budgets;
  // An unbounded budget (Infinity) counts as one fault: more runs would never end.
  const count = (b: number | undefined) => (b === undefined ? 0 : Number.isFinite(b) ? b : 1);
  const faults = count(budgets.drop) + count(budgets.partition) + count(budgets.crash);
  return options.runs * Math.max(1, faults);
}

/** One behaviour so far: the states it went through (the initial one first) and the actions between them. */
interface Run {
  states: KnownState[];
  trace: WorldAction[];
}

/**
 * Runs one behaviour from the initial state as its plan drives it, recording
 * it in `run` (which stays readable when `judge` or a step throws). `judge`
 * sees every state with the steps that led there; a step that throws is
 * tagged with its number.
 */
function runPlan(graph: StateGraph, start: number, plan: Plan, run: Run, judge: (state: KnownState, trace: WorldAction[]) => void, novelty: Novelty): void {
  const world = graph.world;
  let state = graph.known(world.initialStates()[start]!);
  run.states.push(state);
  novelty.reach(state, undefined, undefined);
  judge(state, run.trace);
  plan.execute({
    get state() {
      return state.state;
    },
    enabled: () => graph.actions(state),
    isFair: (action) => world.isFair(action),
    unseen: () => novelty.unseen(state),
    pathToReached: (pick) => novelty.pathTo(run.states[0]!, pick),
    take(action) {
      const before = state;
      state = atStep(run.trace.length + 1, () => graph.successor(before, action));
      run.trace.push(action);
      run.states.push(state);
      novelty.reach(state, before, action);
      judge(state, run.trace);
    },
  });
}

/** A plan with the index of the initial state it starts from. */
type StartingPlan = [number, Plan];

/**
 * Plans that start from an initial state fast-check draws (so it shrinks it and
 * replays it from {seed, path}); with one initial state nothing is drawn, which
 * keeps the runs of such models what they were.
 */
function startingPlans(world: ModelInstance['world'], plans: fc.Arbitrary<Plan>): fc.Arbitrary<StartingPlan> {
  const count = world.initialStates().length;
  // `chain`, not `tuple`: a plan runs once, and chain draws a fresh one for each shrunk start.
  return count > 1 ? fc.nat({ max: count - 1 }).chain((start) => plans.map((plan): StartingPlan => [start, plan])) : plans.map((plan): StartingPlan => [0, plan]);
}

/** The row of a property no run broke (or, for `sometimes`, reached). */
function quietRow(instance: ModelInstance, property: Property, seen: Pick<Survey, 'runs' | 'drawn' | 'steps' | 'longest' | 'triggered' | 'seconds'>, seed: number): CheckResult {
  const strategy = seen.drawn;
  const row = (verdict: CheckResult['verdict'], note: string): CheckResult => ({
    ...rowIdentity(instance, property, 'random' as const),
    complete: false,
    seed,
    states: seen.runs,
    transitions: seen.steps,
    depth: seen.longest,
    verdict,
    traceLength: null,
    seconds: seen.seconds,
    note,
  });
  if (property.kind === 'sometimes') return row('bounded', `not reached in ${seen.runs} random runs (${strategy})`);
  if (property.kind === 'eventually' && property.trigger !== undefined && !seen.triggered.has(property.name)) {
    return row('vacuous', `vacuous: the trigger never held in ${seen.runs} random runs (${strategy})`);
  }
  if (property.kind === 'eventually') {
    return row('holds', `no run of up to ${seen.longest} steps in ${seen.runs} random runs could go on without the goal (${strategy}; liveness not refuted, not proved)`);
  }
  return row('holds', `no violation in ${seen.runs} random runs (${strategy}; a search, not a proof)`);
}

/** An error of the model or a property, with the step of the (shrunk) run it happened at. */
class FailedAtStep extends Error {
  constructor(
    readonly error: unknown,
    readonly step: number,
    readonly kind: 'step' | 'state',
  ) {
    super(describeError(error));
  }
}

/** Runs `f` for step `step` of a run (0: the initial state), tagging what it throws with that step. */
function atStep<T>(step: number, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof PropertyBroken || error instanceof FailedAtStep) throw error;
    // Evaluating a state (a property) happens after its step; taking an action happens at it.
    throw new FailedAtStep(error, step, error instanceof ModelStepError && error.process === PROPERTY_PROCESS ? 'state' : 'step');
  }
}

function lassoWitness(property: EventuallyProperty, lasso: { loopFrom: number }, end: number): Witness {
  const statement = property.statement.charAt(0).toLowerCase() + property.statement.slice(1);
  return {
    message:
      lasso.loopFrom >= end
        ? `after step ${end} nothing the protocol owes can happen, so this is never achieved: ${statement}`
        : `steps ${lasso.loopFrom + 1} to ${end} can repeat forever, fairly, so this is never achieved: ${statement}`,
  };
}

/** Delta debugging for lassos: drop steps while the replayed run still contains a fair lasso, then cut it at the lasso's end. */
function reduceLasso(instance: ModelInstance, property: EventuallyProperty, steps: ActionDescriptor[]): { trace: ActionDescriptor[]; loopFrom: number } {
  const lassoOf = (candidate: readonly ActionDescriptor[]) => {
    try {
      const replayed = replaySteps(instance, candidate);
      return lassoInRun(instance, property, replayed.states, replayed.actions);
    } catch (error) {
      if (error instanceof ReplayError) return undefined;
      throw error;
    }
  };
  const reduced = reduceSequence(steps, (candidate) => lassoOf(candidate) !== undefined);
  const lasso = lassoOf(reduced)!;
  return { trace: reduced.slice(0, lasso.end), loopFrom: lasso.loopFrom };
}
