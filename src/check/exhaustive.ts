import { breadthFirst, type BfsProgress } from '../engine/bfs.js';
import { checkLiveness } from './liveness.js';
import { coverageOf, markVacuous } from './coverage.js';
import type { Witness } from '../spec/property.js';
import { describeError, ModelStepError } from '../world/errors.js';
import { stateChecks, type ModelInstance } from './instance.js';
import type { CheckResult } from './result.js';

export interface ExhaustiveOptions {
  maxStates?: number;
  maxDepth?: number;
  /** Stop, reporting `bounded`, before the heap grows past this many megabytes. */
  maxMemoryMb?: number;
  onProgress?: (progress: BfsProgress & { seconds: number }) => void;
}

/**
 * Explores every reachable state of one model instance breadth-first and turns
 * the findings into one result per property: a violation with its shortest
 * trace, a proof that it holds (only when the search was complete), or a plain
 * "no violation within N states" when a bound stopped it.
 */
export function checkExhaustive(instance: ModelInstance, options: ExhaustiveOptions = {}): CheckResult[] {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const liveness = instance.properties.some((p) => p.kind === 'eventually');
  const bfs = breadthFirst(instance.world, stateChecks(instance), {
    maxStates: options.maxStates,
    maxDepth: options.maxDepth,
    exhaustAll: liveness,
    recordEdges: liveness,
    stopWhen: options.maxMemoryMb ? memoryGuard(options.maxMemoryMb) : undefined,
    onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, seconds: seconds() })),
  });
  const elapsed = seconds();
  const expect = instance.model.variants[instance.variant]!.expect;
  const failureNote = bfs.failure ? describeFailure(instance, bfs.failure, bfs.pathTo(Math.max(bfs.failure.stateIndex, 0)).length) : undefined;

  const rows = instance.properties.map((property): CheckResult => {
    const base = {
      model: instance.model.name,
      variant: instance.variant,
      config: instance.config,
      property: property.name,
      kind: property.kind,
      mode: 'exhaustive' as const,
      expected: expect[property.name]!,
      states: bfs.states,
      transitions: bfs.transitions,
      depth: bfs.depth,
      complete: bfs.complete,
      traceLength: null,
      seconds: elapsed,
    };
    if (property.kind === 'eventually') {
      if (failureNote) return { ...base, verdict: 'error', note: failureNote };
      if (!bfs.complete) return { ...base, verdict: 'bounded', note: `liveness needs the whole graph; ${bfs.stopped ?? 'the search stopped at a bound'} after ${bfs.states} states` };
      return { ...base, ...checkLiveness(instance, property, bfs) };
    }
    const finding = bfs.findings.get(property.name);
    if (finding) {
      const trace = bfs.pathTo(finding.stateIndex).map((a) => a.descriptor);
      const found = {
        ...base,
        states: finding.statesSoFar,
        transitions: finding.transitionsSoFar,
        depth: finding.depth,
        traceLength: trace.length,
        trace,
        witness: finding.witness as Witness,
      };
      return property.kind === 'sometimes' ? { ...found, verdict: 'holds', note: `reached in ${trace.length} steps` } : { ...found, verdict: 'violated' };
    }
    if (failureNote) return { ...base, verdict: 'error', note: failureNote };
    if (!bfs.complete) {
      const why = bfs.stopped ?? 'the search stopped at a bound';
      return { ...base, verdict: 'bounded', note: property.kind === 'sometimes' ? `not reached within ${bfs.states} states (${why})` : `no violation within ${bfs.states} states (${why})` };
    }
    return property.kind === 'sometimes'
      ? { ...base, verdict: 'violated', note: `never reached in all ${bfs.states} reachable states` }
      : { ...base, verdict: 'holds' };
  });
  const coverage = coverageOf(instance.world);
  return markVacuous(rows, coverage).map((r) => ({ ...r, coverage }));
}

function describeFailure(instance: ModelInstance, failure: { stateIndex: number; actionIndex: number; error: unknown }, depth: number): string {
  const where = `${instance.model.name}/${instance.variant}`;
  const step = failure.actionIndex >= 0 ? `step ${depth + 1}` : failure.stateIndex >= 0 ? `after step ${depth}` : 'the initial state';
  if (failure.error instanceof ModelStepError) {
    return `${where}: at ${step}, process ${failure.error.process} threw on ${failure.error.event}: ${failure.error.detail}`;
  }
  return `${where}: at ${step}: ${describeError(failure.error)}`;
}

/**
 * Stops the search before the heap passes the limit. The heap grows about
 * linearly with the states stored, so the bytes per state measured so far
 * tell how many more states fit; the message says what a complete run needs.
 */
function memoryGuard(maxMb: number) {
  const baseline = process.memoryUsage().heapUsed;
  return ({ states, queue }: { states: number; queue: number }): string | undefined => {
    const used = process.memoryUsage().heapUsed;
    if (used < maxMb * 1024 * 1024) return undefined;
    const perState = Math.max(1, (used - baseline) / states);
    return `stopped at --max-memory ${maxMb} MB: ${states.toLocaleString('en-US')} states at ~${Math.round(perState)} bytes each, ${queue.toLocaleString('en-US')} still queued; a complete run needs more than ${Math.ceil((used + queue * perState) / 1024 / 1024)} MB`;
  };
}
