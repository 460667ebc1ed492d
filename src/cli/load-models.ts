import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelDefinition } from '../spec/model.js';
import { UsageError } from './args.js';
import { modelsExportedBy, recordModelSource } from '../check/parallel/models-module.js';

/**
 * Imports the user's model files and collects every model they export
 * (default or named). A file that does not load is reported in one line that
 * names it; the first line of the cause says why.
 */
export async function loadModelFiles(files: readonly string[]): Promise<ModelDefinition<any>[]> {
  const found: ModelDefinition<any>[] = [];
  for (const file of files) {
    const path = resolve(file);
    if (!existsSync(path)) throw new UsageError(`model file ${file} does not exist`);
    let exported: Record<string, unknown>;
    const url = pathToFileURL(path).href;
    try {
      exported = await import(url);
    } catch (error) {
      throw new UsageError(`model file ${file} failed to load: ${loadFailure(error)}`);
    }
    const models = modelsExportedBy(exported);
    if (models.length === 0) throw new UsageError(`model file ${file} exports no model (export the result of defineModel)`);
    for (const model of models) {
      if (found.includes(model)) continue;
      found.push(model);
      // --workers threads import the file again to find the model by name.
      recordModelSource(model.name, url);
    }
  }
  const names = found.map((m) => m.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`two models are named '${twice}'`);
  return found;
}

/**
 * The line of a load error that says what and where. A transform error from
 * esbuild puts a summary first ("Transform failed with 1 error:") and the
 * file:line:column of the problem on the next line, which is the one to show.
 */
function loadFailure(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return 'unknown error';
  const located = lines.find((l) => /:\d+:\d+: /.test(l));
  return /^Transform failed/.test(lines[0]!) && located ? located : lines[0]!;
}
