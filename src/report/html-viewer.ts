import type { ModelInstance } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import type { ActionDescriptor } from '../world/actions.js';
import { replaySteps } from '../check/trace.js';
import { canonicalJson } from '../world/canonical-json.js';
import { WorldView, type ProcessView } from '../world/world-view.js';
import { fieldMatches } from '../spec/story-presentation.js';
import { describeAction, describeLoop, show, showMessage, showStateValue } from './describe.js';
import { causalSentence, explanationOf } from './explain.js';
import { foldTrace, repeatLine } from './folds.js';
import { outcomeWords } from './verdict-words.js';
import { match } from 'ts-pattern';

/** One process at one step, as the viewer prints it. */
interface ProcessState {
  name: string;
  down: boolean;
  /** The state value as a dotted path, or "down". */
  state: string;
  /** Context fields (what survived, while down) in the machine's own order. */
  fields: Array<[string, string]>;
}

interface WorldSnapshot {
  processes: ProcessState[];
  /** In-flight messages; `fresh` when this step sent it. */
  messages: Array<{ text: string; fresh: boolean }>;
  partitions: string[];
  /** The model's named projections (its `view`), with whether this step changed them. */
  views: Array<{ name: string; value: string; changed: boolean }>;
}

interface StepData {
  /** What the step did; step 0 is the initial state. */
  description: string;
  /** Messages the step sent, as `from → to: message`; `lost` when no network could carry them. */
  sent: Array<{ from: string; to: string; message: string; lost: boolean; why?: string }>;
  /** Per process: whether its state (or up/down) changed, and which context fields did. */
  changed: Record<string, { state: boolean; fields: string[] }>;
  inLoop: boolean;
}

/** Everything the page's script needs, embedded as JSON. */
export interface ViewerData {
  title: string;
  /** "Broken: single-primary" (or "Never: …" for liveness). */
  headline: string;
  /** The sentence naming the broken property and its cause (its witness when the property gives no explanation). */
  final: string;
  /** Fields that keep one value over the whole trace: listed once, not in each step's cards. */
  constant: Array<{ process: string; field: string; value: string }>;
  witnessProcesses: string[];
  loopFrom: number | null;
  /** The last state repeats forever (a liveness stutter) rather than a loop of steps. */
  stutter: boolean;
  states: WorldSnapshot[];
  steps: StepData[];
}

const ROLE_ORDER = { client: 0, authority: 1, server: 2 } as const;

/**
 * One self-contained HTML page for a counterexample: a sequence diagram drawn
 * with HTML/CSS, and a step slider showing every process's full state at each
 * step with the fields that step changed highlighted. No network is needed:
 * styles, script and data are all inline, and a Content-Security-Policy forbids
 * any fetch. The bytes depend only on the model and the result.
 */
export function renderTraceHtml(instance: ModelInstance, result: CheckResult): string {
  const data = viewerData(instance, result);
  const order = participantOrder(instance);
  const property = instance.model.properties.find((p) => p.name === result.property);
  const variant = instance.model.variants[instance.variant];
  const n = data.steps.length - 1; // steps of behaviour: an `init` step is the initial state, step 0
  const facts = `${result.mode} exploration, configuration <code>${esc(instance.config)}</code>, ${n} step${n === 1 ? '' : 's'}${result.states ? `, ${result.states} states explored` : ''}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(data.title)}</h1>
${property ? `<p><b>Property.</b> ${esc(property.statement)}</p>` : ''}
${variant ? `<p><b>Variant.</b> ${esc(variant.summary)}</p>` : ''}
<p class="facts">Found by ${facts}.</p>
<p class="final" id="final">${esc(data.final)}</p>
${data.constant.length ? `<details class="constant"><summary>Unchanged throughout (${data.constant.length} fields, not repeated below)</summary><ul>${data.constant.map((c) => `<li><code>${esc(c.process)}.${esc(c.field)}</code> = <code>${esc(c.value)}</code></li>`).join('')}</ul></details>` : ''}
</header>
<nav class="controls">
<button id="prev" type="button" title="previous step (←)">◀ prev</button>
<input id="slider" type="range" min="0" max="${n}" value="0" step="1" aria-label="step">
<button id="next" type="button" title="next step (→)">next ▶</button>
<span id="position" aria-live="polite">step 0 of ${n}</span>
</nav>
<nav class="pills">${data.steps.map((s, k) => `<button type="button" class="pill${s.inLoop ? ' loop' : ''}" data-step="${k}">${s.inLoop ? '↻' : ''}${k}</button>`).join('')}</nav>
<main>
<section class="diagram-pane"><h2>Sequence</h2>${renderDiagram(result.trace ?? [], data, order)}</section>
<section class="state-pane"><h2 id="step-title"></h2><p id="step-description"></p><ul id="step-sent"></ul><p id="loop-note" class="loop-note"></p>
<div id="processes" class="cards"></div>
<h3>Messages in flight</h3><ul id="messages" class="messages"></ul>
<div id="world-extra"></div>
</section>
</main>
<script type="application/json" id="trace-data">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** Replays the trace and records, per step, the whole world and what changed. */
export function viewerData(instance: ModelInstance, result: CheckResult): ViewerData {
  const world = instance.world;
  const trace = result.trace ?? [];
  const replayed = replaySteps(instance, trace);
  // A leading `init` step chooses among several initial states; nothing happens in it. As in the story, the state
  // it chooses is step 0 and the slider counts steps of behaviour only.
  const init = trace[0]?.kind === 'init' ? trace[0] : undefined;
  const offset = init ? 1 : 0;
  const states = replayed.states.slice(offset);
  const actions = replayed.actions.slice(offset);
  const order = participantOrder(instance);
  const projections = Object.entries(world.spec.view ?? {});
  const loopFrom = result.loopFrom === undefined ? null : result.loopFrom - offset;

  const snapshots: WorldSnapshot[] = [];
  states.forEach((state, i) => {
    const view = new WorldView(world, state);
    const previous = i > 0 ? new WorldView(world, states[i - 1]!) : undefined;
    // Sorted by their text: the world keeps messages in the order it first met them, which depends on what was explored before.
    const messages = view.messages().map((m) => `${m.from} → ${m.to}: ${showMessage(m.msg)}`).sort();
    const before = countTexts(previous?.messages().map((m) => `${m.from} → ${m.to}: ${showMessage(m.msg)}`) ?? []);
    const seen = new Map<string, number>();
    snapshots.push({
      processes: order.map((name) => processState(view.process(name))),
      messages: messages.map((text) => {
        const k = (seen.get(text) ?? 0) + 1;
        seen.set(text, k);
        return { text, fresh: previous !== undefined && k > (before.get(text) ?? 0) };
      }),
      partitions: view.partitions(),
      views: projections.map(([name, project]) => {
        const value = show(project(view));
        return { name, value, changed: previous !== undefined && show(project(previous)) !== value };
      }),
    });
  });

  const start = init ? `The initial state ${init.initial} (one of several), before anything happens.` : 'The initial state, before anything happens.';
  const stepData: StepData[] = [{ description: start, sent: [], changed: {}, inLoop: false }];
  actions.forEach((action, i) => {
    const before = new WorldView(world, states[i]!);
    const after = new WorldView(world, states[i + 1]!);
    const changed: StepData['changed'] = {};
    for (const name of order) {
      const change = changeOf(before.process(name), after.process(name));
      if (change) changed[name] = change;
    }
    stepData.push({
      description: describeAction(action.descriptor),
      sent: world.sendsOf(states[i]!, action).map((s) => ({
        from: s.from,
        to: s.to,
        message: showMessage(s.msg as never),
        lost: s.lost,
        ...(s.lost ? { why: after.process(s.to).crashed ? `${s.to} is down` : `no network between ${s.from} and ${s.to}` } : {}),
      })),
      changed,
      inLoop: loopFrom !== null && i >= loopFrom,
    });
  });

  // Bookkeeping the model hides is never shown; fields that never change are listed once, above the steps.
  const hidden = instance.model.story?.hide ?? [];
  const constant: ViewerData['constant'] = [];
  order.forEach((name, p) => {
    const first = snapshots[0]!.processes[p]!;
    for (const [field, value] of first.fields) {
      if (fieldMatches(hidden, name, field)) continue;
      if (snapshots.every((s) => s.processes[p]!.fields.some(([f, v]) => f === field && v === value))) constant.push({ process: name, field, value });
    }
    for (const s of snapshots) {
      const proc = s.processes[p]!;
      proc.fields = proc.fields.filter(([f]) => !fieldMatches(hidden, name, f) && !constant.some((c) => c.process === name && c.field === f));
    }
  });
  const views = states.map((st) => new WorldView(world, st));
  const explanation = result.kind === 'sometimes' ? undefined : explanationOf(instance, result, views[views.length - 1]!);

  return {
    title: `${instance.model.name} / ${instance.variant}: ${result.property}`,
    headline: headline(result),
    final: explanation ? `${headline(result)}: ${causalSentence(explanation, views)}` : finalSentence(result),
    constant,
    witnessProcesses: result.witness?.processes ?? [],
    loopFrom,
    stutter: loopFrom !== null && loopFrom >= actions.length,
    states: snapshots,
    steps: stepData,
  };
}

function processState(p: ProcessView): ProcessState {
  const context: unknown = p.context ?? {};
  const fields = context && typeof context === 'object' ? Object.entries(context).map(([k, v]): [string, string] => [k, show(v)]) : [['(context)', show(context)] as [string, string]];
  return { name: p.name, down: p.crashed, state: p.crashed ? 'down' : showStateValue(p.value) || '(no states)', fields };
}

function changeOf(was: ProcessView, now: ProcessView): { state: boolean; fields: string[] } | undefined {
  const state = was.crashed !== now.crashed || (!now.crashed && showStateValue(was.value) !== showStateValue(now.value));
  const keys = new Set([...Object.keys(was.context ?? {}), ...Object.keys(now.context ?? {})]);
  const fields = [...keys].filter((k) => canonicalJson(was.context?.[k] ?? null) !== canonicalJson(now.context?.[k] ?? null));
  return state || fields.length ? { state, fields } : undefined;
}

function countTexts(texts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

function headline(result: CheckResult): string {
  return `${outcomeWords(result.kind).verb}: ${result.property}`;
}

function finalSentence(result: CheckResult): string {
  const message = (result.witness?.message ?? result.note ?? '').trim();
  return `${headline(result)}${message ? `: ${/[.!?]$/.test(message) ? message : `${message}.`}` : '.'}`;
}

/** Clients first, then authorities, then servers, as in the Mermaid diagrams; declaration order within a role. */
function participantOrder(instance: ModelInstance): string[] {
  const spec = instance.world.spec.processes;
  const rank = (name: string) => ROLE_ORDER[spec[name]!.role ?? 'server'];
  return instance.world.processNames.slice().sort((a, b) => rank(a) - rank(b));
}

/**
 * The sequence diagram as a grid with one column per process (its lifeline is
 * the column's centre line) and one block per step: an arrow per delivered or
 * lost message, a note per fault or timer, and the state moves it caused.
 */
function renderDiagram(trace: readonly ActionDescriptor[], data: ViewerData, order: string[]): string {
  const init = trace[0]?.kind === 'init' ? trace[0] : undefined;
  const steps = init ? trace.slice(1) : trace; // indexed as data.steps, whose step 0 is the initial state
  const column = (name: string) => order.indexOf(name) + 1;
  const all = `1 / ${order.length + 1}`;
  const blocks: string[] = [`<div class="step" data-step="0"><div class="note start" style="grid-column: ${all}">${esc(`0. ${init ? describeAction(init) : 'start'}`)}</div></div>`];
  const drawStep = (d: ActionDescriptor, i: number): string => {
    const label = `${i + 1}. `;
    const items: string[] = [];
    // Messages are arrows, a process's own step is a note on its lifeline, the world's doings span all lanes.
    items.push(
      match(d)
        .with({ kind: 'deliver' }, (a) => arrow(column(a.from), column(a.to), label + showMessage(a.msg as never), false))
        .with({ kind: 'drop' }, (a) => arrow(column(a.from), column(a.to), `${label}lost: ${showMessage(a.msg as never)}`, true))
        .with({ kind: 'timeout' }, { kind: 'request' }, { kind: 'internal' }, { kind: 'crash' }, { kind: 'restart' }, (a) => `<div class="note" style="grid-column: ${column(a.process)}">${esc(label + describeAction(a))}</div>`)
        .with({ kind: 'tick' }, { kind: 'partition' }, { kind: 'heal' }, { kind: 'init' }, (a) => `<div class="note" style="grid-column: ${all}">${esc(label + describeAction(a))}</div>`)
        .exhaustive(),
    );
    for (const send of data.steps[i + 1]!.sent) {
      if (send.lost) items.push(arrow(column(send.from), column(send.to), `${send.message} (lost)`, true));
    }
    const now = data.states[i + 1]!.processes;
    for (const [name, change] of Object.entries(data.steps[i + 1]!.changed)) {
      if (!change.state) continue;
      const was = data.states[i]!.processes.find((p) => p.name === name)!.state;
      items.push(`<div class="move" style="grid-column: ${column(name)}">${esc(`${was} → ${now.find((p) => p.name === name)!.state}`)}</div>`);
    }
    return `<div class="step" data-step="${i + 1}">${items.join('')}</div>`;
  };
  // Folded as the story folds: a block taken again and again is drawn once, then one row for the repeats.
  for (const segment of foldTrace(steps, data.loopFrom ?? undefined)) {
    const at = segment.kind === 'step' ? segment.index : segment.start;
    if (at === data.loopFrom) blocks.push(`<div class="loop"><div class="loop-label">↻ ${describeLoop(at, steps.length)}</div>`);
    if (segment.kind === 'step') {
      blocks.push(drawStep(steps[segment.index]!, segment.index));
      continue;
    }
    const last = segment.start + segment.length * segment.times;
    blocks.push(`<div class="repeat">`);
    for (let k = 0; k < segment.length; k++) blocks.push(drawStep(steps[segment.start + k]!, segment.start + k));
    blocks.push(`<div class="step" data-step="${last}"><div class="note folded" style="grid-column: ${all}">${esc(repeatLine(segment))}</div></div></div>`);
  }
  if (data.loopFrom !== null && !data.stutter) blocks.push('</div>');
  if (data.stutter) blocks.push(`<div class="step"><div class="note stutter" style="grid-column: ${all}">↻ nothing the protocol owes can happen from here on</div></div>`);
  blocks.push(`<div class="step"><div class="note verdict" style="grid-column: ${all}">${esc(data.headline)}</div></div>`);
  const heads = order.map((name) => `<div class="head">${esc(name)}</div>`).join('');
  return `<div class="diagram" style="--n: ${order.length}"><div class="heads">${heads}</div>${blocks.join('')}</div>`;
}

function arrow(from: number, to: number, label: string, lost: boolean): string {
  if (from === to) return `<div class="note" style="grid-column: ${from}">${esc(label)}</div>`;
  const [a, b] = from < to ? [from, to] : [to, from];
  const classes = `arrow ${from < to ? 'right' : 'left'}${lost ? ' lost' : ''}`;
  return `<div class="${classes}" style="grid-column: ${a} / ${b + 1}; --k: ${b - a + 1}"><span>${esc(label)}</span></div>`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside a script element: `<` escaped so no value can close the element. */
function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const STYLE = `
:root { --line: #9aa3ad; --hi: #fff2a8; --accent: #1f5fbf; --bad: #b3261e; --loop: #7a4fbf; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 14px; color: #1d232a; }
body { margin: 0 1.5rem 2rem; }
header h1 { font-size: 1.35rem; margin: 1rem 0 .4rem; }
header p { margin: .25rem 0; max-width: 70rem; }
.facts { color: #555; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.final { border-left: 4px solid var(--bad); background: #fdecea; padding: .4rem .7rem; font-weight: 600; }
.controls { display: flex; gap: .6rem; align-items: center; margin: .8rem 0 .3rem; position: sticky; top: 0; background: #fff; padding: .3rem 0; z-index: 2; }
.controls input { flex: 1; max-width: 40rem; }
.controls button, .pill { font: inherit; cursor: pointer; border: 1px solid #b8c0c8; background: #f4f6f8; border-radius: 4px; padding: .2rem .6rem; }
#position { font-weight: 600; min-width: 7rem; }
.pills { display: flex; flex-wrap: wrap; gap: .25rem; margin-bottom: .8rem; }
.pill { padding: .05rem .45rem; font-size: .85rem; line-height: 1.3; }
.pill.loop { border-color: var(--loop); color: var(--loop); }
.pill.current { background: var(--accent); color: #fff; border-color: var(--accent); }
main { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 1.5rem; align-items: start; }
@media (max-width: 1000px) { main { grid-template-columns: 1fr; } }
h2 { font-size: 1.05rem; margin: .2rem 0 .6rem; }
h3 { font-size: .95rem; margin: 1rem 0 .3rem; }
.diagram { overflow-x: auto; font-size: .82rem; }
.heads, .step { display: grid; grid-template-columns: repeat(var(--n), minmax(8.5rem, 1fr)); min-width: calc(var(--n) * 8.5rem);
  background-image: linear-gradient(to right, transparent calc(50% - .5px), var(--line) calc(50% - .5px), var(--line) calc(50% + .5px), transparent calc(50% + .5px));
  background-size: calc(100% / var(--n)) 100%; }
.heads { background: none; position: sticky; top: 0; }
.head { margin: 0 .4rem .3rem; text-align: center; font-weight: 600; border: 1px solid #5b6670; border-radius: 4px; background: #eef2f6; padding: .3rem; }
.step { padding: .15rem 0; border-radius: 4px; }
.step[data-step] { cursor: pointer; }
.step[data-step]:hover { background-color: #f3f6fa; }
.step.current { background-color: #e3edfb; outline: 2px solid var(--accent); }
.note { margin: .15rem .3rem; padding: .2rem .4rem; background: #fff8d6; border: 1px solid #d8c979; border-radius: 3px; text-align: center; }
.note.start { background: #f0f0f0; border-color: #ccc; color: #555; }
.note.verdict { background: #fdecea; border-color: var(--bad); color: var(--bad); font-weight: 600; }
.note.stutter { background: #f1eafb; border-color: var(--loop); color: var(--loop); }
.move { margin: .1rem .3rem; text-align: center; font-style: italic; color: #3a4a5a; }
.arrow { position: relative; min-height: 2.2em; text-align: center; }
.arrow span { position: relative; display: inline-block; padding: 0 .3rem; background: rgba(255,255,255,.85); margin-top: .1rem; }
.arrow::before { content: ""; position: absolute; left: calc(100% / (2 * var(--k))); right: calc(100% / (2 * var(--k))); bottom: .45em; border-top: 1.5px solid #2b3640; }
.arrow::after { content: ""; position: absolute; bottom: calc(.45em - 4px); border: 5px solid transparent; }
.arrow.right::after { right: calc(100% / (2 * var(--k))); border-left: 8px solid #2b3640; border-right: 0; }
.arrow.left::after { left: calc(100% / (2 * var(--k))); border-right: 8px solid #2b3640; border-left: 0; }
.arrow.lost::before { border-top: 1.5px dashed var(--bad); }
.arrow.lost::after { content: "✕"; border: 0; color: var(--bad); font-weight: 700; bottom: 0; }
.arrow.lost span { color: var(--bad); }
.repeat { border-left: 3px double var(--loop); margin: .2rem 0; }
.note.folded { background: #f1eafb; border-color: var(--loop); color: var(--loop); }
.constant { margin: .4rem 0; font-size: .9rem; }
.loop { border: 2px solid var(--loop); border-radius: 6px; margin: .3rem 0; padding-bottom: .2rem; }
.loop-label { color: var(--loop); font-weight: 600; padding: .1rem .5rem; }
.loop-note { color: var(--loop); font-weight: 600; }
.loop-note:empty { display: none; }
#step-title { margin-bottom: .2rem; }
#step-description { font-size: 1rem; margin: .2rem 0; }
#step-sent { margin: .2rem 0 .6rem; padding-left: 1.2rem; color: #333; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .6rem; }
.card { border: 1px solid #c3cbd3; border-radius: 6px; padding: .4rem .6rem; background: #fbfcfd; }
.card.down { background: #eceff1; color: #6b747c; }
.card.witness { border: 2px solid var(--bad); }
.card h4 { margin: 0 0 .3rem; font-size: .95rem; display: flex; justify-content: space-between; gap: .5rem; }
.badge { font-weight: 600; padding: 0 .4rem; border-radius: 3px; background: #e3edfb; color: #123e7c; }
.down .badge { background: #5b6670; color: #fff; }
.changed { background: var(--hi); }
.badge.changed { background: var(--hi); color: #5a4500; outline: 1px solid #d4b100; }
.card table { border-collapse: collapse; width: 100%; font-size: .85rem; }
.card td { padding: .05rem .3rem; vertical-align: top; font-family: ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-word; }
.card td:first-child { color: #555; width: 1%; white-space: nowrap; padding-right: .8rem; }
.was { color: #7b6a2a; font-size: .8em; }
.messages { padding-left: 1.2rem; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; }
.messages li.fresh { background: var(--hi); }
.views { border-collapse: collapse; }
.views td { padding: .05rem .8rem .05rem 0; }
.views td:last-child { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; }
.muted { color: #777; }
`;

/** Renders the state pane for the chosen step from the embedded data; kept small and dependency-free. */
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('trace-data').textContent);
  var last = data.steps.length - 1;
  var slider = document.getElementById('slider');
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function show(k) {
    k = Math.max(0, Math.min(last, k));
    var step = data.steps[k], state = data.states[k], before = k > 0 ? data.states[k - 1] : null;
    slider.value = String(k);
    document.getElementById('position').textContent = 'step ' + k + ' of ' + last;
    document.getElementById('step-title').textContent = k === 0 ? 'Step 0 (initial state)' : 'Step ' + k + ' of ' + last;
    document.getElementById('step-description').textContent = step.description;
    var sent = document.getElementById('step-sent'); sent.replaceChildren();
    step.sent.forEach(function (s) { sent.appendChild(el('li', s.lost ? 'lost' : '', 'sends ' + s.from + ' → ' + s.to + ': ' + s.message + (s.lost ? '  (lost: ' + s.why + ')' : ''))); });
    var loop = document.getElementById('loop-note');
    loop.textContent = step.inLoop ? '↻ in the loop: ' + (data.loopFrom + 1 === last ? 'step ' + last + ' repeats forever' : 'steps ' + (data.loopFrom + 1) + ' to ' + last + ' repeat forever')
      : (data.stutter && k === last ? '↻ from here on nothing the protocol owes can happen: the world stays in this state forever' : '');
    var cards = document.getElementById('processes'); cards.replaceChildren();
    state.processes.forEach(function (p, i) {
      var change = step.changed[p.name] || { state: false, fields: [] };
      var witness = k === last && data.witnessProcesses.indexOf(p.name) >= 0;
      var card = el('div', 'card' + (p.down ? ' down' : '') + (witness ? ' witness' : ''));
      card.dataset.process = p.name;
      var h = el('h4'); h.appendChild(el('span', 'name', p.name));
      var badge = el('span', 'badge state' + (change.state ? ' changed' : ''), p.state);
      if (change.state && before) badge.title = 'was ' + before.processes[i].state;
      h.appendChild(badge); card.appendChild(h);
      var table = el('table');
      p.fields.forEach(function (f) {
        var row = el('tr'); row.dataset.field = f[0];
        var changed = change.fields.indexOf(f[0]) >= 0;
        if (changed) row.className = 'changed';
        row.appendChild(el('td', '', f[0]));
        var value = el('td', 'value', f[1]);
        if (changed && before) {
          var old = before.processes[i].fields.filter(function (g) { return g[0] === f[0]; })[0];
          value.appendChild(el('span', 'was', '  (was ' + (old ? old[1] : 'none') + ')'));
        }
        row.appendChild(value); table.appendChild(row);
      });
      if (p.down) card.appendChild(el('div', 'muted', p.fields.length ? 'down; keeps:' : 'down'));
      card.appendChild(table); cards.appendChild(card);
    });
    var messages = document.getElementById('messages'); messages.replaceChildren();
    state.messages.forEach(function (m) { messages.appendChild(el('li', m.fresh ? 'fresh' : '', m.text)); });
    if (!state.messages.length) messages.appendChild(el('li', 'muted', 'none'));
    var extra = document.getElementById('world-extra'); extra.replaceChildren();
    if (state.partitions.length) { extra.appendChild(el('h3', '', 'Partitions in force')); extra.appendChild(el('p', '', state.partitions.join(', '))); }
    if (state.views.length) {
      extra.appendChild(el('h3', '', 'Views'));
      var t = el('table', 'views');
      state.views.forEach(function (v) { var r = el('tr', v.changed ? 'changed' : ''); r.appendChild(el('td', '', v.name)); r.appendChild(el('td', '', v.value)); t.appendChild(r); });
      extra.appendChild(t);
    }
    document.querySelectorAll('[data-step]').forEach(function (e) { e.classList.toggle('current', e.dataset.step === String(k)); });
    document.getElementById('final').classList.toggle('current', k === last);
    try { history.replaceState(null, '', '#step-' + k); } catch (e) { /* some browsers refuse on file:// */ }
  }
  function current() { return Number(slider.value); }
  slider.addEventListener('input', function () { show(current()); });
  document.getElementById('prev').addEventListener('click', function () { show(current() - 1); });
  document.getElementById('next').addEventListener('click', function () { show(current() + 1); });
  document.querySelectorAll('[data-step]').forEach(function (e) { e.addEventListener('click', function () { show(Number(e.dataset.step)); }); });
  document.addEventListener('keydown', function (e) {
    if (e.target === slider) return;
    if (e.key === 'ArrowRight') { show(current() + 1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft') { show(current() - 1); e.preventDefault(); }
    else if (e.key === 'Home') { show(0); e.preventDefault(); }
    else if (e.key === 'End') { show(last); e.preventDefault(); }
  });
  var m = /^#step-(\\d+)$/.exec(location.hash);
  show(m ? Number(m[1]) : 0);
})();
`;
