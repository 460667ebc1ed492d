/**
 * The explorer's two visited-state stores side by side on one model: exact
 * mode (every state kept) and fingerprint mode (64-bit fingerprints, parents
 * and action indices), each as states per second of wall and of CPU time, and
 * as bytes per state: the heap and typed arrays the search holds at its peak,
 * sampled every 4,096 states, over the states stored.
 */
import { breadthFirst } from '../src/engine/bfs.js';
import { instantiate, stateChecks } from '../src/check/instance.js';
import type { ModelDefinition } from '../src/index.js';

export interface StoreMeasurement {
  mode: 'exact' | 'fingerprints';
  /** The properties checked on every state (none: the search alone). */
  properties: string[];
  states: number;
  transitions: number;
  wallSeconds: number;
  cpuSeconds: number;
}

export function timeStore(model: ModelDefinition<any>, variant: string, config: string, fingerprints: boolean, properties: string[] = []): StoreMeasurement {
  const instance = instantiate(model, variant, config);
  const checks = stateChecks({ ...instance, properties: instance.properties.filter((p) => properties.includes(p.name)) });
  globalThis.gc?.();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = breadthFirst(instance.world, checks, { fingerprints });
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  if (result.findings.size > 0 || !result.complete) throw new Error(`the benchmark's ${model.name}/${variant} (${config}) should hold ${properties.join(', ')} in a complete search`);
  return { mode: fingerprints ? 'fingerprints' : 'exact', properties, states: result.states, transitions: result.transitions, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Live bytes per state at the search's peak, or NaN without --expose-gc. */
export function peakBytesPerState(model: ModelDefinition<any>, variant: string, config: string, fingerprints: boolean): number {
  const gc = globalThis.gc;
  if (!gc) return NaN;
  const instance = instantiate(model, variant, config);
  const live = () => {
    // Twice: array buffers freed by the first collection leave the count only after a second.
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = live();
  let peak = before;
  let sampledAtQueue = 0;
  const result = breadthFirst(instance.world, [], {
    fingerprints,
    stopWhen: ({ queue }) => {
      if (queue > sampledAtQueue * 1.5) {
        sampledAtQueue = queue;
        peak = Math.max(peak, live());
      }
      return undefined;
    },
  });
  peak = Math.max(peak, live());
  // Still reachable here, so the final sample counts what the result keeps.
  return result.states > 0 ? (peak - before) / result.states : NaN;
}
