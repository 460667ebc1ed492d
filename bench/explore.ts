/**
 * One exhaustive exploration with no properties, for timing the explorer as a
 * whole process: `node --import tsx bench/explore.ts MODEL VARIANT CONFIG
 * [--fingerprints]`. Prints the counts and the heap and array-buffer bytes per
 * state measured after the search (run with --expose-gc for a settled heap).
 */
import { breadthFirst } from '../src/engine/bfs.js';
import { instantiate } from '../src/check/instance.js';
import { models } from '../properties/index.js';

const [modelName = 'two-phase-commit', variant = 'correct', config = 'rm6'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const fingerprints = process.argv.includes('--fingerprints');
const model = models.find((m) => m.name === modelName);
if (!model) throw new Error(`no model ${modelName}`);
const instance = instantiate(model, variant, config);
globalThis.gc?.();
const before = process.memoryUsage();
const started = performance.now();
const result = breadthFirst(instance.world, [], { fingerprints });
const seconds = (performance.now() - started) / 1000;
globalThis.gc?.();
const after = process.memoryUsage();
const perState = (field: 'heapUsed' | 'arrayBuffers') => ((after[field] - before[field]) / result.states).toFixed(1);
console.log(
  JSON.stringify({ states: result.states, transitions: result.transitions, depth: result.depth, complete: result.complete, seconds: +seconds.toFixed(2), heapBytesPerState: +perState('heapUsed'), bufferBytesPerState: +perState('arrayBuffers') }),
);
