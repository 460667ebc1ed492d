import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assign, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { always, checkExhaustive, defineModel, eventually, instantiate, renderStory, type WorldSpec } from '../../src/index.js';
import { renderTraceHtml, viewerData } from '../../src/report/html-viewer.js';
import { renderSequenceDiagram } from '../../src/report/sequence-diagram.js';
import { writeCorpus } from '../../src/report/corpus.js';

/*
 * Two dials, each starting at level 0 or 2 (four initial states), each able to
 * step up once while below `limit`. Both at 3 is reachable only from the last
 * initial state, so the counterexample starts with an `init` step naming it.
 */
const dial = (limit: number) =>
  setup({ types: {} as { context: { level: number }; input: { level: number }; events: { type: 'STEP' } } }).createMachine({
    id: `dial-${limit}`,
    context: ({ input }) => ({ level: input.level }),
    initial: 'idle',
    states: {
      idle: { on: { STEP: { guard: ({ context }) => context.level < limit, target: 'done', actions: assign({ level: ({ context }) => context.level + 1 }) } } },
      done: {},
    },
  });
const world = (limit: number): WorldSpec => ({
  processes: {
    a: { machine: dial(limit), inputs: [{ level: 0 }, { level: 2 }], internal: [{ event: { type: 'STEP' } }] },
    b: { machine: dial(limit), inputs: [{ level: 0 }, { level: 2 }], internal: [{ event: { type: 'STEP' } }] },
  },
  network: 'bag',
  budgets: {},
});
const level = (w: { process(n: string): { context: { level: number } } }, n: string) => w.process(n).context.level;

const dials = defineModel({
  name: 'dials',
  summary: 'Two dials with two initial levels each.',
  configs: { default: {} },
  variants: { spec: { summary: 'Both can reach 3.', expect: { 'not-both-at-three': 'violated' } } },
  properties: [
    always({ name: 'not-both-at-three', statement: 'The two dials are never both at level 3.', check: (w) => (level(w, 'a') === 3 && level(w, 'b') === 3 ? 'both dials are at 3' : undefined) }),
    eventually({ name: 'both-step', statement: 'Both dials eventually step.', goal: (w) => w.process('a').is('done') && w.process('b').is('done') }),
  ],
  build: () => world(3),
});
/** The same dials, but one at level 2 cannot step: from an initial state with a dial at 2, not both ever step. */
const stuckDials = defineModel({ ...dials, variants: { stuck: { summary: 'A dial at 2 cannot step.', expect: { 'both-step': 'violated' } } }, build: () => world(2) });

const numbered = (lines: string[]) => lines.map((l) => /^\s*(\d+)\. /.exec(l)).filter((m) => m !== null).map((m) => Number(m![1]));

describe('a story that starts by choosing among several initial states', () => {
  it('counts steps of behaviour only: the init step is step 0, the header and the numbers agree', () => {
    const instance = instantiate(dials, 'spec');
    const row = checkExhaustive(instance).find((r) => r.property === 'not-both-at-three')!;
    expect(row.trace![0]).toEqual({ kind: 'init', initial: 'a level=2 b level=2' });
    expect(row.trace).toHaveLength(3); // init, then each dial steps once
    const story = renderStory(instance, row);
    expect(story[0]).toBe('dials/spec breaks not-both-at-three in 2 steps (exhaustive):');
    expect(story[1]).toMatch(/^ 0\. starts from initial state a level=2 b level=2/);
    expect(numbered(story)).toEqual([0, 1, 2]);
    // Steps the last line names exist among the numbered ones.
    for (const m of story.at(-1)!.matchAll(/step (\d+)/g)) expect(Number(m[1])).toBeGreaterThanOrEqual(1), expect(Number(m[1])).toBeLessThanOrEqual(2);
  });

  it('numbers a liveness loop by behaviour steps too', () => {
    const instance = instantiate(stuckDials, 'stuck');
    const row = checkExhaustive(instance).find((r) => r.property === 'both-step')!;
    expect(row.verdict).toBe('violated');
    expect(row.trace![0]!.kind).toBe('init');
    const story = renderStory(instance, row);
    const steps = row.trace!.length - 1;
    expect(story[0]).toBe(`dials/stuck breaks both-step in ${steps} step${steps === 1 ? '' : 's'} (exhaustive):`);
    expect(Math.max(...numbered(story))).toBe(steps);
  });
});

describe('the HTML viewer and the Mermaid diagram count the init step as the story does', () => {
  const instance = instantiate(dials, 'spec');
  const row = checkExhaustive(instance).find((r) => r.property === 'not-both-at-three')!;

  it('the viewer: step 0 is the chosen initial state, the slider and the pills run 0 to the number of behaviour steps', () => {
    const data = viewerData(instance, row);
    expect(data.steps).toHaveLength(3);
    expect(data.states).toHaveLength(3);
    expect(data.steps[0]!.description).toContain('a level=2 b level=2');
    // Step 0 shows the chosen state, not the first declared one (both dials at 0).
    expect(data.states[0]!.processes.map((p) => p.fields)).toEqual([[['level', '2']], [['level', '2']]]);
    expect(data.states[0]!.views.every((v) => !v.changed) && data.states[0]!.messages.every((m) => !m.fresh)).toBe(true);
    expect(data.steps.slice(1).map((s) => s.description).sort()).toEqual(['a takes its own step STEP', 'b takes its own step STEP']);
    const html = renderTraceHtml(instance, row);
    expect(html).toContain('max="2"');
    expect(html).toContain('step 0 of 2');
    expect(html).toContain(', 2 steps,');
    expect([...html.matchAll(/class="pill[^"]*" data-step="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([0, 1, 2]);
    expect(html).toContain('0. starts from initial state a level=2 b level=2');
    // Every step block the diagram draws is a step the slider can show.
    for (const m of html.matchAll(/<div class="step" data-step="(\d+)">/g)) expect(Number(m[1])).toBeLessThanOrEqual(2);
  });

  it('Mermaid: the init step is note 0 and the steps of behaviour are 1 to N', () => {
    const diagram = renderSequenceDiagram(instance, row);
    const labels = diagram.map((l) => /: (\d+)\. /.exec(l)).filter((m) => m !== null).map((m) => Number(m![1]));
    expect(labels).toEqual([0, 1, 2]);
    expect(diagram.join('\n')).toContain('0. starts from initial state a level=2 b level=2');
  });

  it('a liveness loop after an init step is numbered by behaviour steps in both', () => {
    const stuck = instantiate(stuckDials, 'stuck');
    const lasso = checkExhaustive(stuck).find((r) => r.property === 'both-step')!;
    const steps = lasso.trace!.length - 1;
    const data = viewerData(stuck, lasso);
    expect(data.steps).toHaveLength(steps + 1);
    expect(data.loopFrom).toBe(lasso.loopFrom! - 1);
    const story = renderStory(stuck, lasso).join('\n');
    const loop = story.match(/↻ from here, (.*):/)?.[1];
    if (loop) expect(renderSequenceDiagram(stuck, lasso).join('\n')).toContain(`loop ${loop}`);
    else expect(data.stutter).toBe(true);
  });
});

describe('a corpus page of a trace that starts with an init step', () => {
  it('counts steps of behaviour, as its story does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-corpus-'));
    try {
      const instance = instantiate(dials, 'spec');
      const written = writeCorpus(dir, checkExhaustive(instance), [dials]);
      const page = readFileSync(written.find((f) => f.endsWith('.md'))!, 'utf8');
      expect(page).toContain('): 2 steps.');
      expect(page).toContain('breaks not-both-at-three in 2 steps');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
