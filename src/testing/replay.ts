import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { replay } from '../check/replay.js';
import type { ModelDefinition } from '../spec/model.js';
import { ModelCheck } from './check.js';

/**
 * Re-runs a replay file written by `outage-checker check … --out DIR` on the
 * current model: a saved counterexample as a regression test. The row's verdict
 * is `violated` while the steps still break the property. A model that changed
 * since the file was written makes this throw, saying how to regenerate it.
 */
export async function replayCounterexample(file: string | URL, ...models: ModelDefinition<any>[]): Promise<ModelCheck> {
  const path = file instanceof URL ? fileURLToPath(file) : file;
  const outcome = replay(await readFile(path, 'utf8'), path, models);
  return new ModelCheck(outcome.instance.model, [outcome.result], new Map([[outcome.instance.variant, outcome.instance]]));
}
