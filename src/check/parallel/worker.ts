/**
 * A worker of the parallel breadth-first search: it loads the model itself,
 * keeps its World's interning tables equal to the coordinator's (so state
 * strings mean the same in both), and expands the chunks of a level it is
 * given: property checks on each state, then every successor in the World's
 * canonical action order. Successors it has seen before are not sent again:
 * the coordinator already has them, which takes most hashing off its thread.
 */
import { parentPort } from 'node:worker_threads';
import type { StateCheck } from '../../engine/bfs.js';
import type { WorldAction } from '../../world/actions.js';
import type { ModelDefinition } from '../../spec/model.js';
import { instantiate, stateChecks, type ModelInstance } from '../instance.js';
import { coverageOf, mergeCoverage, type Coverage } from '../coverage.js';
import { importModels } from './models-module.js';
import { ModelStepError } from '../../world/errors.js';
import { envelopesFrom, internEnvelope, internLocalKey, localKeys, tableSizes } from '../../world/portable.js';
import { PROVISIONAL, SENT, SKIPPED, type ChunkFinding, type ChunkResult, type Dictionary, type ModelRef, type PortableError, type ToWorker } from './protocol.js';

const port = parentPort!;
let ref: ModelRef;
let definition: ModelDefinition<any>;
let instance: ModelInstance;
let checkNames: string[] | undefined;
let checks: StateCheck<string, WorldAction>[] = [];
/** Check indices with a finding already: later states cannot hold an earlier one. */
const found = new Set<number>();
/** Coverage of the Worlds this worker started afresh during the search. */
const retired: Coverage[] = [];
/** Every state this worker expanded or sent: the coordinator has them all. */
const seen = new Set<string>();
/** Table sizes when the level started: ids at or above them may differ from the coordinator's. */
let base = { locals: [] as number[], envelopes: 0 };
/** Table sizes already reported to the coordinator. */
let reported = { locals: [] as number[], envelopes: 0 };

port.on('message', async (message: ToWorker) => {
  try {
    switch (message.type) {
      case 'init':
        await init(message.ref, message.checks);
        port.postMessage({ type: 'ready', checks: checks.map((c) => ({ name: c.name, kind: c.kind })) });
        break;
      case 'sync': {
        sync(message.rebuild, message.dictionary, message.found);
        break;
      }
      case 'coverage':
        port.postMessage({ type: 'coverage', coverage: mergeCoverage([...retired, coverageOf(instance.world)]) });
        break;
      case 'expand': {
        const started = performance.now();
        const result = expand(message.chunk, message.depth, message.expandSuccessors, message.states);
        result.workMs = performance.now() - started;
        port.postMessage(result);
        break;
      }
    }
  } catch (error) {
    port.postMessage({ type: 'fatal', error: portableError(error) });
  }
});

async function init(modelRef: ModelRef, names: string[] | undefined): Promise<void> {
  // A pooled worker may have searched another model before.
  found.clear();
  seen.clear();
  retired.length = 0;
  ref = modelRef;
  const model = (await importModels(ref.modelsModule)).find((m) => m.name === ref.model);
  if (!model) throw new Error(`no model named ${ref.model} in ${ref.modelsModule}`);
  definition = model;
  checkNames = names;
  startWorld();
  markLevelStart();
}

function sync(rebuild: boolean, dictionary: Dictionary, alreadyFound: number[]): void {
  if (rebuild) startWorld();
  const world = instance.world;
  dictionary.locals.forEach((keys, p) => {
    keys.forEach((key, i) => {
      const expected = dictionary.localsFrom[p]! + i;
      const id = internLocalKey(world, p, key);
      if (id !== expected) throw new Error(`worker tables out of step: local ${key} of process ${p} got id ${id}, not ${expected}`);
    });
  });
  dictionary.envelopes.forEach((envelope, i) => {
    const id = internEnvelope(world, envelope);
    if (id !== dictionary.envelopesFrom + i) throw new Error(`worker tables out of step: envelope got id ${id}, not ${dictionary.envelopesFrom + i}`);
  });
  for (const c of alreadyFound) found.add(c);
  markLevelStart();
}

/** A fresh World (and checks bound to it): its tables hold only what its constructor interned. */
function startWorld(): void {
  // What the old World exercised still counts towards coverage.
  if (instance && instance.model === definition) retired.push(coverageOf(instance.world));
  instance = instantiate(definition, ref.variant, ref.config);
  checks = stateChecks(instance).filter((c) => checkNames === undefined || checkNames.includes(c.name));
}

function markLevelStart(): void {
  base = tableSizes(instance.world);
  reported = { locals: base.locals.slice(), envelopes: base.envelopes };
}

function expand(chunk: number, depth: number, expandSuccessors: boolean, states: string[]): ChunkResult {
  const world = instance.world;
  const P = world.processes.length;
  const actionCounts = new Int32Array(states.length);
  const sent: number[] = [];
  const successors: string[] = [];
  const findings: ChunkFinding[] = [];
  let failure: ChunkResult['failure'];
  // Whether the tables grew this level: only then can a successor hold an id the coordinator numbers differently.
  let grown = hasGrown();
  const isProvisional = (state: string): boolean => {
    for (let p = 0; p < P; p++) if (state.charCodeAt(p) >= base.locals[p]!) return true;
    for (let i = world.networkOffset; i < state.length; i++) if (state.charCodeAt(i) >= base.envelopes) return true;
    return false;
  };
  const runCheck = (c: number, offset: number, witness: unknown) => {
    if (witness === undefined || witness === false || witness === null) return;
    found.add(c);
    findings.push({ check: c, offset, witness });
  };

  stateLoop: for (let offset = 0; offset < states.length; offset++) {
    const state = states[offset]!;
    seen.add(state);
    for (let c = 0; c < checks.length; c++) {
      if (checks[c]!.kind !== 'deadlock' && !found.has(c)) runCheck(c, offset, checks[c]!.test(state));
    }
    let actions: WorldAction[];
    try {
      actions = world.actions(state);
    } catch (error) {
      failure = { offset, actionIndex: -1, error: portableError(error) };
      break;
    }
    for (let c = 0; c < checks.length; c++) {
      if (checks[c]!.kind === 'deadlock' && !found.has(c)) runCheck(c, offset, checks[c]!.test(state, actions));
    }
    actionCounts[offset] = actions.length;
    if (!expandSuccessors) continue;
    for (let i = 0; i < actions.length; i++) {
      let next: string;
      try {
        next = world.nextState(state, actions[i]!);
      } catch (error) {
        actionCounts[offset] = i;
        failure = { offset, actionIndex: i, error: portableError(error) };
        break stateLoop;
      }
      if (!grown) grown = hasGrown();
      if (grown && isProvisional(next)) {
        // Its ids may be renumbered by the coordinator, so it must not enter `seen`.
        sent.push(PROVISIONAL);
        successors.push(next);
      } else if (seen.has(next)) {
        sent.push(SKIPPED);
      } else {
        seen.add(next);
        sent.push(SENT);
        successors.push(next);
      }
    }
  }
  const sizes = tableSizes(world);
  const newLocals = sizes.locals.map((n, p) => localKeys(world, p, reported.locals[p]!).slice(0, n - reported.locals[p]!));
  const newEnvelopes = envelopesFrom(world, reported.envelopes);
  reported = sizes;
  return { type: 'result', chunk, actionCounts, sent: Uint8Array.from(sent), successors, findings, newLocals, newEnvelopes, failure };

  function hasGrown(): boolean {
    if (world.envelopes.length !== base.envelopes) return true;
    for (let p = 0; p < P; p++) if (world.processes[p]!.locals.length !== base.locals[p]) return true;
    return false;
  }
}

function portableError(error: unknown): PortableError {
  if (error instanceof ModelStepError) return { name: error.name, message: error.message, process: error.process, event: error.event, detail: error.detail };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
