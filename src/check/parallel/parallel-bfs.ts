import { pathThroughParents, rootThroughParents, type BfsFailure, type BfsResult, type Finding, type StateCheck } from '../../engine/bfs.js';
import type { WorldAction } from '../../world/actions.js';
import type { World } from '../../world/world.js';
import { instantiate, stateChecks, type ModelInstance } from '../instance.js';
import { envelopesFrom, internEnvelope, internLocalKey, localKeys, tableSizes } from '../../world/portable.js';
import { PROVISIONAL, SKIPPED, type ChunkResult, type Dictionary } from './protocol.js';
import { SearchWorker, rebuildError } from './worker-pool.js';
import { mergeCoverage, type Coverage } from '../coverage.js';
import { importModels, modelSourceOf } from './models-module.js';

export interface ParallelBfsOptions {
  /** Worker threads; 1 is the parallel machinery on one worker (for comparison). */
  workers?: number;
  /** Names of the properties to check (default: every property of the variant except liveness). */
  checks?: string[];
  maxStates?: number;
  maxDepth?: number;
  exhaustAll?: boolean;
  /** States per unit of work handed to a worker; independent of the worker count, so output is too. */
  chunkSize?: number;
  /** URL of the module exporting `models` (default: `properties/index.ts`). */
  modelsModule?: string;
  /** Workers to reuse (from `openWorkers`), so that several searches pay the start-up once; `workers` is then ignored. */
  pool?: SearchWorker[];
  /** Also gather what the workers' Worlds exercised (`result.coverage`). */
  coverage?: boolean;
}

/** Starts worker threads for several searches; end them with `closeWorkers`. */
export function openWorkers(count: number): SearchWorker[] {
  return Array.from({ length: Math.max(1, count) }, () => new SearchWorker());
}

export async function closeWorkers(pool: readonly SearchWorker[]): Promise<void> {
  await Promise.all(pool.map((w) => w.terminate()));
}

/** Where the coordinator's time went: for tuning and for the benchmark report. */
export interface ParallelStats {
  workers: number;
  levels: number;
  /** Milliseconds merging chunk results (the serial part). */
  mergeMs: number;
  /** Milliseconds waiting for workers. */
  waitMs: number;
  /** Milliseconds posting chunks and syncing tables. */
  dispatchMs: number;
  /** Successors workers sent (the rest they knew were old). */
  successorsSent: number;
  /** Milliseconds workers spent expanding, summed over workers. */
  workerMs: number;
  /** Successors a worker wrote with ids it had interned itself that level, renumbered here. */
  renumbered: number;
  /** Times a worker's World was rebuilt because its ids diverged. */
  rebuilds: number;
}

export interface ParallelBfsResult extends BfsResult<string, WorldAction> {
  stats: ParallelStats;
  /** The coordinator's instance: its World numbers the states `stateAt` returns and replays `pathTo`. */
  instance: ModelInstance;
  /** What the search exercised, merged over the workers, when asked for. */
  coverage?: Coverage;
}

// Compiled (dist/, .js) or run from source (.ts): the built-in models sit beside this module alike.
const DEFAULT_MODELS = new URL(`../../../properties/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

/**
 * Breadth-first search of a model on worker threads, with the same result as
 * `breadthFirst` on one thread: the same states in the same order, the same
 * transitions, depth and first finding per property, hence the same shortest
 * traces, whatever the number of workers.
 *
 * Level-synchronous: workers expand contiguous chunks of the current level
 * (property checks, actions, successors) and the coordinator merges the chunks
 * in index order, state by state and action by action, exactly as the
 * sequential loop adds successors. Properties are checked when a state is
 * expanded rather than when it is discovered; the stop point and the totals a
 * sequential search would have reported are recomputed from per-state counters.
 * Not supported: recorded edges (liveness) and symmetry reduction.
 */
export async function parallelBreadthFirst(model: string, variant: string, config: string | undefined, options: ParallelBfsOptions = {}): Promise<ParallelBfsResult> {
  const modelsModule = options.modelsModule ?? modelSourceOf(model) ?? DEFAULT_MODELS;
  const models = await importModels(modelsModule);
  const definition = models.find((m) => m.name === model);
  if (!definition) throw new Error(`no model named ${model} in ${modelsModule}`);
  const instance = instantiate(definition, variant, config);
  const checks = stateChecks(instance).filter((c) => options.checks === undefined || options.checks.includes(c.name));
  const pool = options.pool ?? openWorkers(options.workers ?? 2);
  try {
    for (const worker of pool) worker.send({ type: 'init', ref: { modelsModule, model, variant, config }, checks: options.checks });
    await Promise.all(pool.map((w) => w.next()));
    const result = await new LevelSearch(instance, checks, pool, options).run();
    if (options.coverage) result.coverage = await gatherCoverage(pool);
    return result;
  } finally {
    if (!options.pool) await closeWorkers(pool);
  }
}

interface Sizes {
  locals: number[];
  envelopes: number;
}

/** Per worker: how its interning tables relate to the coordinator's during a level. */
interface WorkerTables {
  sizes: Sizes;
  /** It interned a key under an id the coordinator gave to another key: it must start afresh. */
  diverged: boolean;
  /** Coordinator ids of the ids it interned this level, by (id - level base). */
  localIds: number[][];
  envelopeIds: number[];
}

class LevelSearch {
  private readonly world: World;
  private readonly index = new Map<string, number>();
  private readonly states: string[] = [];
  private parent = new Int32Array(1024);
  private via = new Int32Array(1024);
  private depthOf = new Uint16Array(1024);
  /** Transitions counted when the state was discovered. */
  private discoveredAt = new Float64Array(1024);
  /** States and transitions counted once the state was expanded. */
  private statesAfter = new Int32Array(1024);
  private transitionsAfter = new Float64Array(1024);
  private transitions = 0;
  private initialCount = 0;
  /** The first state whose expansion hit a bound (max states or depth), if any. */
  private truncatedAt = Infinity;
  private failure: BfsFailure | undefined;
  private readonly findings = new Map<string, Finding>();
  /** When each finding became known to a sequential search: the cursor from which it counts. */
  private readonly availableAt = new Map<string, number>();
  private readonly tables: WorkerTables[];
  private base: Sizes;
  private readonly maxStates: number;
  private readonly maxDepth: number;
  private readonly chunkSize: number;
  private readonly stats: ParallelStats;

  constructor(
    private readonly instance: ModelInstance,
    private readonly checks: StateCheck<string, WorldAction>[],
    private readonly pool: SearchWorker[],
    private readonly options: ParallelBfsOptions,
  ) {
    this.world = instance.world;
    this.base = tableSizes(this.world);
    this.tables = pool.map(() => ({ sizes: tableSizes(this.world), diverged: false, localIds: [], envelopeIds: [] }));
    this.maxStates = options.maxStates ?? Infinity;
    this.maxDepth = options.maxDepth ?? Infinity;
    this.chunkSize = options.chunkSize ?? 2048;
    this.stats = { workers: pool.length, levels: 0, mergeMs: 0, waitMs: 0, dispatchMs: 0, successorsSent: 0, rebuilds: 0, workerMs: 0, renumbered: 0 };
  }

  async run(): Promise<ParallelBfsResult> {
    for (const s of this.world.initialStates()) if (!this.index.has(s)) this.add(s, -1, -1, 0);
    this.initialCount = this.states.length;
    let stopAt: number | undefined;
    for (let start = 0, depth = 0; start < this.states.length; depth++) {
      const end = this.states.length;
      await this.expandLevel(start, end, depth);
      if (this.failure) {
        this.checkDiscoveredOnCoordinator(end);
        stopAt = this.stopCursor();
        if (stopAt !== undefined && stopAt <= this.failure.stateIndex) this.failure = undefined;
        else stopAt = undefined;
        break;
      }
      stopAt = this.stopCursor();
      if (stopAt !== undefined) break;
      start = end;
    }
    return this.result(stopAt);
  }

  private async expandLevel(start: number, end: number, depth: number): Promise<void> {
    let t = performance.now();
    this.stats.levels++;
    this.syncWorkers();
    const expandSuccessors = depth < this.maxDepth;
    const chunks = Math.ceil((end - start) / this.chunkSize);
    for (let k = 0; k < chunks; k++) {
      const from = start + k * this.chunkSize;
      this.pool[k % this.pool.length]!.send({ type: 'expand', chunk: k, depth, expandSuccessors, states: this.states.slice(from, Math.min(end, from + this.chunkSize)) });
    }
    this.stats.dispatchMs += performance.now() - t;
    for (let k = 0; k < chunks; k++) {
      const w = k % this.pool.length;
      t = performance.now();
      // Each worker answers its chunks in the order it got them; later answers wait in its inbox.
      const result = await this.pool[w]!.nextResult();
      if (result.chunk !== k) throw new Error(`chunk ${result.chunk} arrived where ${k} was expected`);
      // After a failure the rest of the level is only collected, so that pooled workers start the next search clean.
      if (this.failure) continue;
      const received = performance.now();
      this.stats.waitMs += received - t;
      this.merge(w, start + k * this.chunkSize, depth, expandSuccessors, result);
      this.stats.mergeMs += performance.now() - received;
      this.stats.successorsSent += result.successors.length;
      this.stats.workerMs += result.workMs ?? 0;
    }
  }

  /** Brings every worker's tables to the coordinator's: the tail it lacks, or all of them if it diverged. */
  private syncWorkers(): void {
    const sizes = tableSizes(this.world);
    const found = this.checks.flatMap((c, i) => (this.findings.has(c.name) ? [i] : []));
    this.pool.forEach((worker, w) => {
      const t = this.tables[w]!;
      if (t.diverged) this.stats.rebuilds++;
      const from: Sizes = t.diverged ? { locals: sizes.locals.map(() => 0), envelopes: 0 } : t.sizes;
      worker.send({ type: 'sync', rebuild: t.diverged, dictionary: this.dictionaryFrom(from), found });
      this.tables[w] = { sizes: { locals: sizes.locals.slice(), envelopes: sizes.envelopes }, diverged: false, localIds: sizes.locals.map(() => []), envelopeIds: [] };
    });
    this.base = sizes;
  }

  private dictionaryFrom(from: Sizes): Dictionary {
    return {
      localsFrom: from.locals,
      locals: from.locals.map((n, p) => localKeys(this.world, p, n)),
      envelopesFrom: from.envelopes,
      envelopes: envelopesFrom(this.world, from.envelopes),
    };
  }

  /** Adds a chunk's successors in index order, then its findings. */
  private merge(w: number, first: number, depth: number, expandSuccessors: boolean, r: ChunkResult): void {
    this.learnKeys(w, r);
    const last = r.failure ? r.failure.offset : r.actionCounts.length - 1;
    let edge = 0;
    let sent = 0;
    for (let offset = 0; offset <= last; offset++) {
      const at = first + offset;
      const actions = r.actionCounts[offset]!;
      if (!expandSuccessors) {
        if (actions > 0 && at < this.truncatedAt) this.truncatedAt = at;
      } else {
        for (let i = 0; i < actions; i++) {
          this.transitions++;
          const flag = r.sent[edge++];
          if (flag === SKIPPED) continue;
          let next = r.successors[sent++]!;
          if (flag === PROVISIONAL) {
            next = this.renumber(w, next);
            this.stats.renumbered++;
          }
          if (this.index.has(next)) continue;
          if (this.states.length >= this.maxStates) {
            if (at < this.truncatedAt) this.truncatedAt = at;
            continue;
          }
          this.add(next, at, i, depth + 1);
        }
      }
      this.statesAfter[at] = this.states.length;
      this.transitionsAfter[at] = this.transitions;
    }
    for (const f of r.findings) if (f.offset <= last) this.record(f.check, first + f.offset, f.witness);
    if (r.failure) this.failure = { stateIndex: first + r.failure.offset, actionIndex: r.failure.actionIndex, error: rebuildError(r.failure.error) };
  }

  /** Interns the keys a worker met, in its order; notes whether its ids still match. */
  private learnKeys(w: number, r: ChunkResult): void {
    const t = this.tables[w]!;
    r.newLocals.forEach((keys, p) => {
      for (const key of keys) {
        const own = t.sizes.locals[p]!++;
        const id = internLocalKey(this.world, p, key);
        if (id !== own) t.diverged = true;
        t.localIds[p]![own - this.base.locals[p]!] = id;
      }
    });
    for (const envelope of r.newEnvelopes) {
      const own = t.sizes.envelopes++;
      const id = internEnvelope(this.world, envelope);
      if (id !== own) t.diverged = true;
      t.envelopeIds[own - this.base.envelopes] = id;
    }
  }

  /** A successor written with a worker's new ids, in the coordinator's ids and canonical order. */
  private renumber(w: number, state: string): string {
    const t = this.tables[w]!;
    const head = this.world.headOf(state);
    for (let p = 0; p < this.world.processes.length; p++) {
      if (head[p]! >= this.base.locals[p]!) head[p] = t.localIds[p]![head[p]! - this.base.locals[p]!]!;
    }
    const network: number[] = [];
    for (let i = this.world.networkOffset; i < state.length; i++) {
      const id = state.charCodeAt(i);
      network.push(id >= this.base.envelopes ? t.envelopeIds[id - this.base.envelopes]! : id);
    }
    return this.world.encode(head, network);
  }

  private add(state: string, from: number, action: number, depth: number): void {
    const at = this.states.length;
    if (at === this.parent.length) this.grow();
    this.index.set(state, at);
    this.states.push(state);
    this.parent[at] = from;
    this.via[at] = action;
    this.depthOf[at] = depth;
    this.discoveredAt[at] = this.transitions;
  }

  private record(check: number, at: number, witness: unknown): void {
    const c = this.checks[check]!;
    if (this.findings.has(c.name)) return;
    const deadlock = c.kind === 'deadlock';
    // A sequential search records a state check when the state is discovered, a deadlock when it is expanded.
    const statesSoFar = deadlock ? (at === 0 ? this.initialCount : this.statesAfter[at - 1]!) : at + 1;
    const transitionsSoFar = deadlock ? (at === 0 ? 0 : this.transitionsAfter[at - 1]!) : this.discoveredAt[at]!;
    this.findings.set(c.name, { check: c.name, stateIndex: at, depth: this.depthOf[at]!, witness, statesSoFar, transitionsSoFar });
    this.availableAt.set(c.name, deadlock ? at + 1 : this.parent[at]! + 1);
  }

  /** After a failure, the states found in the failing level were never checked by a worker: check them here. */
  private checkDiscoveredOnCoordinator(from: number): void {
    for (let at = from; at < this.states.length; at++) {
      this.checks.forEach((c, i) => {
        if (c.kind === 'deadlock' || this.findings.has(c.name)) return;
        const witness = c.test(this.states[at]!);
        if (witness !== undefined && witness !== false && witness !== null) this.record(i, at, witness);
      });
    }
  }

  /** Where a sequential search would have stopped because every check had its finding, once that is known. */
  private stopCursor(): number | undefined {
    if (this.options.exhaustAll || this.checks.length === 0 || this.findings.size < this.checks.length) return undefined;
    return Math.max(...this.availableAt.values());
  }

  private result(stopAt: number | undefined): ParallelBfsResult {
    const expanded = this.failure ? this.failure.stateIndex : stopAt ?? this.states.length;
    const failed = this.failure !== undefined;
    const states = failed ? this.states.length : expanded === 0 ? this.initialCount : this.statesAfter[expanded - 1]!;
    const transitions = failed ? this.transitions : expanded === 0 ? 0 : this.transitionsAfter[expanded - 1]!;
    const truncated = this.truncatedAt < (failed ? expanded + 1 : expanded);
    const world = this.world;
    const { parent, via, depthOf } = this;
    const kept = this.states;
    return {
      stats: this.stats,
      instance: this.instance,
      states,
      transitions,
      depth: states > 0 ? depthOf[states - 1]! : 0,
      complete: !failed && !truncated && expanded === states,
      findings: this.findings,
      failure: this.failure,
      stateAt: (i) => kept[i]!,
      pathTo: (stateIndex) => pathThroughParents(world, kept, parent, via, stateIndex),
      rootOf: (stateIndex) => rootThroughParents({ parentOf: (i) => parent[i]! }, stateIndex),
    };
  }

  private grow(): void {
    const grow = <T extends Int32Array | Uint16Array | Float64Array>(a: T): T => {
      const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
      bigger.set(a);
      return bigger;
    };
    this.parent = grow(this.parent);
    this.via = grow(this.via);
    this.depthOf = grow(this.depthOf);
    this.discoveredAt = grow(this.discoveredAt);
    this.statesAfter = grow(this.statesAfter);
    this.transitionsAfter = grow(this.transitionsAfter);
  }
}

async function gatherCoverage(pool: readonly SearchWorker[]): Promise<Coverage> {
  for (const worker of pool) worker.send({ type: 'coverage' });
  const parts = await Promise.all(
    pool.map(async (worker) => {
      const message = await worker.next();
      if (message.type !== 'coverage') throw new Error(`worker sent ${message.type} where its coverage was expected`);
      return message.coverage;
    }),
  );
  return mergeCoverage(parts);
}
