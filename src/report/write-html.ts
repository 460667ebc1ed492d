import { join } from 'node:path';
import { instantiate } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import type { ModelDefinition } from '../spec/model.js';
import { writeFileAtomic } from './atomic-write.js';
import { renderTraceHtml } from './html-viewer.js';
import { shortestCounterexamples } from './corpus.js';

/** Where a counterexample's page lives: beside its corpus files, same name. */
export const htmlViewerPath = (dir: string, r: Pick<CheckResult, 'model' | 'variant' | 'property'>) => join(dir, r.model, `${r.variant}--${r.property}.html`);

/**
 * For each broken property, one HTML trace viewer of its shortest
 * counterexample, chosen as the corpus chooses (exhaustive mode wins ties, so
 * the pages do not depend on seeds), each written atomically. Rows from suites
 * that are not worlds of machines (no model in `models`, or no trace) have
 * nothing to step through and are skipped. Returns the paths written, sorted.
 */
export function writeHtmlViewers(dir: string, results: readonly CheckResult[], models: ReadonlyArray<ModelDefinition<any>>): string[] {
  const written: string[] = [];
  for (const r of shortestCounterexamples(results, models)) {
    const path = htmlViewerPath(dir, r);
    const instance = instantiate(models.find((m) => m.name === r.model)!, r.variant, r.config);
    writeFileAtomic(path, renderTraceHtml(instance, r));
    written.push(path);
  }
  return written;
}
