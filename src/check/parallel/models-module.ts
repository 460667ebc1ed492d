import type { ModelDefinition } from '../../spec/model.js';

/** A model definition is recognised by its shape: what `defineModel` returns. */
export function isModel(value: unknown): value is ModelDefinition<unknown> {
  const m = value as Partial<ModelDefinition<unknown>> | null;
  return !!m && typeof m === 'object' && typeof m.name === 'string' && typeof m.build === 'function' && typeof m.variants === 'object' && Array.isArray(m.properties);
}

/**
 * The models a module offers: its `models` list (the built-in index), or else
 * every model it exports, default or named (a user's model file).
 */
export function modelsExportedBy(exported: Record<string, unknown>): ModelDefinition<any>[] {
  if (Array.isArray(exported.models)) return exported.models.filter(isModel);
  const found: ModelDefinition<any>[] = [];
  for (const value of Object.values(exported)) if (isModel(value) && !found.includes(value)) found.push(value);
  return found;
}

export async function importModels(url: string): Promise<ModelDefinition<any>[]> {
  return modelsExportedBy((await import(url)) as Record<string, unknown>);
}

/**
 * Where each model loaded from a user's file came from, by model name: worker
 * threads start empty and must import the same file to find the model.
 */
const sources = new Map<string, string>();

export function recordModelSource(model: string, url: string): void {
  sources.set(model, url);
}

export function modelSourceOf(model: string): string | undefined {
  return sources.get(model);
}
