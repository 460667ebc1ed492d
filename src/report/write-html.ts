import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { instantiate } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import type { ExternalSuite, ModelDefinition } from '../spec/model.js';
import { writeFileAtomic } from './atomic-write.js';
import { renderTraceHtml } from './html-viewer.js';
import { renderIndexHtml, renderSchedulerHtml, type HtmlPageEntry } from './html-pages.js';
import { shortestCounterexamples } from './corpus.js';

/** Where a counterexample's page lives: beside its corpus files, same name. */
export const htmlViewerPath = (dir: string, r: Pick<CheckResult, 'model' | 'variant' | 'property'>) => join(dir, r.model, `${r.variant}--${r.property}.html`);

/** Where the index of every page lives. */
export const htmlIndexPath = (dir: string) => join(dir, 'index.html');

/**
 * For each broken property, one HTML trace viewer of its shortest
 * counterexample, chosen as the corpus chooses (exhaustive mode wins ties, so
 * the pages do not depend on seeds); for each broken invariant of a scheduler
 * suite (real code, no world to step through), a page with its story and
 * minimal schedule; then `index.html` listing them all. Each is written
 * atomically. Rows with no counterexample, and suite rows with no story, have
 * no page. Returns the paths written: the pages sorted, the index last.
 */
export function writeHtmlViewers(dir: string, results: readonly CheckResult[], models: ReadonlyArray<ModelDefinition<any>>, suites: ReadonlyArray<ExternalSuite> = []): string[] {
  const pages: HtmlPageEntry[] = [];
  for (const r of shortestCounterexamples(results, models)) {
    const path = htmlViewerPath(dir, r);
    const instance = instantiate(models.find((m) => m.name === r.model)!, r.variant, r.config);
    writeFileAtomic(path, renderTraceHtml(instance, r));
    pages.push({ path, result: r });
  }
  for (const r of schedulerCounterexamples(results)) {
    const path = htmlViewerPath(dir, r);
    writeFileAtomic(path, renderSchedulerHtml(r, suites.find((s) => s.name === r.model)));
    pages.push({ path, result: r });
  }
  pages.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  removeStalePages(dir, new Set(pages.map((p) => p.path)), [...models.map((m) => m.name), ...suites.map((s) => s.name)]);
  const index = htmlIndexPath(dir);
  writeFileAtomic(index, renderIndexHtml(dir, pages));
  return [...pages.map((p) => p.path), index];
}

/**
 * Pages an earlier run left in the folders of these models that this run did
 * not write: the folder then holds what its index lists, and a counterexample
 * that is gone (a fix, another model or variant checked) leaves no page that
 * looks current. Only page-shaped names (`<variant>--<property>.html`) go.
 */
function removeStalePages(dir: string, written: ReadonlySet<string>, modelNames: readonly string[]): void {
  for (const name of modelNames) {
    const folder = join(dir, name);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder)) {
      const path = join(folder, file);
      if (/^[^/]+--[^/]+\.html$/.test(file) && !written.has(path)) rmSync(path, { force: true });
    }
  }
}

/** The scheduler rows that broke their invariant and tell it: the first per model, variant and invariant, so a re-run row does not add a page. */
function schedulerCounterexamples(results: readonly CheckResult[]): CheckResult[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    if (r.mode !== 'scheduler' || r.verdict !== 'violated' || !r.story?.length) return false;
    const key = `${r.model}/${r.variant}--${r.property}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
