import { relative, sep } from 'node:path';
import type { CheckResult } from '../check/result.js';
import type { ExternalSuite } from '../spec/model.js';
import { behaviourSteps } from './behaviour-steps.js';

/**
 * The pages `--html` writes besides the trace viewers: one per scheduler-suite
 * counterexample (real code, so no world to step through: its story, its
 * schedule and how to replay it) and an index of every page. Like the viewers
 * they are self-contained: no network, a Content-Security-Policy forbidding any
 * fetch, and bytes that depend only on the results.
 */

/** One page written, as the index lists it. */
export interface HtmlPageEntry {
  /** Absolute path of the page. */
  path: string;
  result: CheckResult;
}

const HEAD = (title: string, style: string) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
`;

const STYLE = `
:root { --bad: #b3261e; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 14px; color: #1d232a; }
body { margin: 0 1.5rem 2rem; }
h1 { font-size: 1.35rem; margin: 1rem 0 .4rem; }
p { max-width: 70rem; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.final { border-left: 4px solid var(--bad); background: #fdecea; padding: .4rem .7rem; font-weight: 600; }
pre.story { background: #f6f8fa; padding: .6rem .8rem; overflow-x: auto; line-height: 1.45; }
ol.schedule li { margin: .1rem 0; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: .25rem .7rem; border-bottom: 1px solid #dde1e6; }
td.steps { text-align: right; }
.violated { color: var(--bad); font-weight: 600; }
`;

/** The page of one scheduler-suite counterexample. */
export function renderSchedulerHtml(result: CheckResult, suite: ExternalSuite | undefined): string {
  const title = `${result.model} / ${result.variant}: ${result.property}`;
  const variant = suite?.variants[result.variant];
  // A suite's rows may carry more than CheckResult declares: replication-close's carry their minimal schedule.
  const replay = (result as CheckResult & { replay?: { schedule: unknown[] } }).replay;
  const steps = result.traceLength ?? 0;
  // The story ends with its causal sentence: shown once, highlighted, rather than again below it.
  const story = [...(result.story ?? [])];
  const final = story.length && story[story.length - 1]!.startsWith('Broken:') ? story.pop()! : result.witness?.message;
  return `${HEAD(title, STYLE)}<h1>${escapeHtml(title)}</h1>
${suite ? `<p><b>Suite.</b> ${escapeHtml(suite.summary)}</p>` : ''}
${variant ? `<p><b>Variant.</b> ${escapeHtml(variant.summary)}</p>` : ''}
<p class="facts">Found by the ${escapeHtml(result.mode)} suite, running the real code under a controlled scheduler: a minimal schedule of ${steps} step${steps === 1 ? '' : 's'}.</p>
${final ? `<p class="final" id="final">${escapeHtml(final)}</p>` : ''}
<h2>Story</h2>
<pre class="story" id="story">${escapeHtml(story.join('\n'))}</pre>
${replay ? `<h2>Schedule</h2><p>The minimal schedule, which <code>replaySchedule</code> runs directly:</p><ol class="schedule" id="schedule">${replay.schedule.map((s) => `<li><code>${escapeHtml(JSON.stringify(s))}</code></li>`).join('')}</ol>` : ''}
<p><a href="../index.html">all pages</a></p>
</body>
</html>
`;
}

/** The index of every page written under `dir`, in the order given, with links relative to it. */
export function renderIndexHtml(dir: string, pages: readonly HtmlPageEntry[]): string {
  const rows = pages.map(({ path, result: r }) => {
    const href = relative(dir, path).split(sep).join('/');
    const steps = r.trace ? behaviourSteps(r.trace) : (r.traceLength ?? 0);
    return `<tr><td>${escapeHtml(r.model)}</td><td>${escapeHtml(r.variant)}</td><td>${escapeHtml(r.config)}</td><td><a href="${escapeHtml(href)}">${escapeHtml(r.property)}</a></td><td class="${escapeHtml(r.verdict)}">${escapeHtml(r.verdict)}</td><td class="steps">${steps}</td><td>${escapeHtml(r.mode)}</td></tr>`;
  });
  return `${HEAD('Counterexamples', STYLE)}<h1>Counterexamples</h1>
<p>${pages.length} page${pages.length === 1 ? '' : 's'}, one per broken property: its shortest counterexample (a scheduler suite's minimal schedule).</p>
<table id="pages">
<thead><tr><th>model</th><th>variant</th><th>configuration</th><th>property</th><th>verdict</th><th>steps</th><th>mode</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
