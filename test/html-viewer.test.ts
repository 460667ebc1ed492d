import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { emit, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { replicaElection } from '../properties/replica-election.js';
import { checkExhaustive, defineModel, eventually, instantiate } from '../src/index.js';
import type { CheckResult } from '../src/check/result.js';
import { renderTraceHtml, type ViewerData } from '../src/report/html-viewer.js';
import { htmlIndexPath, htmlViewerPath, writeHtmlViewers } from '../src/report/write-html.js';
import { escapeHtml } from '../src/report/html-pages.js';
import { replicationCloseSuite, runReplicationCloseCheck } from '../properties/replication-close/index.js';

/** The replication-close scheduler suite's rows for its buggy variant, on few runs (well under a second). */
const closeRows = () => runReplicationCloseCheck({ variant: 'buggy', seed: 1, runs: 100 });

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

/** The replica-election two-primaries counterexample, as the explorer finds it. */
function singlePrimary() {
  const instance = instantiate(replicaElection, 'buggy', 'two-suspicions');
  const results = checkExhaustive(instance);
  return { instance, results, result: results.find((r) => r.property === 'single-primary')! };
}

/**
 * A client asks until answered and a server refuses forever: a liveness
 * counterexample whose last steps loop. The refusal's reason holds markup, to
 * show the page prints it as text.
 */
const REASON = '</script><b id="injected">no</b> & "never"';
const ask = defineModel<{}>({
  name: 'ask',
  summary: 'One question, refused forever.',
  configs: { default: {} },
  variants: { 'refused-forever': { summary: 'the server always says no', expect: { answered: 'violated' } } },
  properties: [eventually({ name: 'answered', statement: 'The client eventually gets its answer.', goal: (w) => w.process('client').is('done') })],
  build: () => ({
    processes: {
      client: {
        machine: setup({ types: {} as { events: { type: 'ACK' } | { type: 'NACK'; reason: string }; emitted: { type: 'send'; to: string; msg: { type: 'ASK'; from: string } } } }).createMachine({
          initial: 'asking',
          states: {
            asking: { entry: emit({ type: 'send' as const, to: 'server', msg: { type: 'ASK' as const, from: 'client' } }), on: { ACK: 'done', NACK: { target: 'asking', reenter: true } } },
            done: { type: 'final' },
          },
        }),
        role: 'client',
      },
      server: {
        machine: setup({ types: {} as { events: { type: 'ASK'; from: string }; emitted: { type: 'send'; to: string; msg: { type: 'NACK'; reason: string } } } }).createMachine({
          on: { ASK: { actions: emit(({ event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'NACK' as const, reason: REASON } })) } },
        }),
      },
    },
    network: 'bag',
    budgets: {},
  }),
});

function embedded(html: string): ViewerData {
  const json = /<script type="application\/json" id="trace-data">(.*?)<\/script>/s.exec(html)![1]!;
  return JSON.parse(json) as ViewerData;
}

describe('the HTML trace viewer page', () => {
  it('is the same bytes on every run and needs no network', () => {
    const first = singlePrimary();
    const html = renderTraceHtml(first.instance, first.result);
    const again = singlePrimary();
    expect(renderTraceHtml(again.instance, again.result)).toBe(html);

    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link|<img|<iframe|\ssrc=|@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
  });

  it('embeds every state of the trace, with what each step changed', () => {
    const { instance, result } = singlePrimary();
    const data = embedded(renderTraceHtml(instance, result));
    expect(result.traceLength).toBe(6);
    expect(data.states).toHaveLength(7);
    expect(data.steps[6]!.description).toBe('r2 receives NEW_PRIMARY {epoch: 2, primary: r2, members: [r2, r3]} from cp');
    expect(data.steps[6]!.changed.r2!.state).toBe(true);
    const r2 = (k: number) => data.states[k]!.processes.find((p) => p.name === 'r2')!;
    expect([0, 1, 2, 3, 4, 5, 6].map((k) => r2(k).state)).toEqual(['secondary', 'secondary', 'secondary', 'secondary', 'negotiating', 'negotiating', 'primary']);
    expect(data.final).toMatch(/^Broken: single-primary: r1 serves writes as primary of epoch 1 .*\((step \d|from the start)\); however r2 serves writes as primary of epoch 2 .*\(step 6\): so /);
    // r1's epoch never changes: listed once, above the steps, and in no step's card.
    expect(data.constant).toContainEqual({ process: 'r1', field: 'epoch', value: '1' });
    expect(data.states.every((s) => !s.processes.find((p) => p.name === 'r1')!.fields.some(([f]) => f === 'epoch'))).toBe(true);
    expect(data.witnessProcesses.slice().sort()).toEqual(['r1', 'r2']);
    expect(data.loopFrom).toBeNull();
  });

  it('marks the loop of a liveness counterexample and prints message text as text', () => {
    const instance = instantiate(ask, 'refused-forever');
    const result = checkExhaustive(instance)[0]!;
    expect(result).toMatchObject({ verdict: 'violated', kind: 'eventually' });
    expect(result.loopFrom).toBeLessThan(result.traceLength!);
    const html = renderTraceHtml(instance, result);
    const data = embedded(html);
    expect(data.steps.map((s) => s.inLoop)).toEqual(data.steps.map((_, k) => k > result.loopFrom!));
    expect(html).toContain(`↻ steps ${result.loopFrom! + 1} to ${result.traceLength} repeat forever`);
    expect(html).not.toContain('<b id="injected">');
    expect(JSON.stringify(data)).toContain(JSON.stringify(REASON).slice(1, -1));
  });

  it('writes one page per broken property where the corpus puts its files, the same bytes each time', () => {
    const { instance, results, result } = singlePrimary();
    const holding: CheckResult = { ...result, verdict: 'holds', property: 'not-broken' };
    const dirs = [mkdtempSync(join(tmpdir(), 'html-a-')), mkdtempSync(join(tmpdir(), 'html-b-'))];
    try {
      const written = dirs.map((dir) => writeHtmlViewers(dir, [...results, holding], [replicaElection]));
      expect(written[0]).toEqual([
        join(dirs[0]!, 'replica-election', 'buggy--acked-writes-on-primary.html'),
        join(dirs[0]!, 'replica-election', 'buggy--primary-granted-by-authority.html'),
        join(dirs[0]!, 'replica-election', 'buggy--single-primary.html'),
        join(dirs[0]!, 'index.html'),
      ]);
      const page = htmlViewerPath(dirs[0]!, result);
      expect(readFileSync(page, 'utf8')).toBe(renderTraceHtml(instance, result));
      expect(readFileSync(htmlViewerPath(dirs[1]!, result), 'utf8')).toBe(readFileSync(page, 'utf8'));
      expect(readFileSync(htmlIndexPath(dirs[1]!), 'utf8')).toBe(readFileSync(htmlIndexPath(dirs[0]!), 'utf8'));
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes pages an earlier run left that this run did not write, so the folder holds what the index lists', () => {
    const { results } = singlePrimary();
    const dir = mkdtempSync(join(tmpdir(), 'html-stale-'));
    try {
      writeHtmlViewers(dir, results, [replicaElection]);
      const notes = join(dir, 'replica-election', 'notes.txt');
      writeFileSync(notes, 'mine');
      const kept = results.filter((r) => r.property !== 'single-primary');
      const written = writeHtmlViewers(dir, kept, [replicaElection]);
      const left = readdirSync(join(dir, 'replica-election')).sort();
      expect(left).toEqual(['buggy--acked-writes-on-primary.html', 'buggy--primary-granted-by-authority.html', 'notes.txt']);
      expect(written.map((p) => p.slice(dir.length + 1))).toEqual(['replica-election/buggy--acked-writes-on-primary.html', 'replica-election/buggy--primary-granted-by-authority.html', 'index.html']);
      expect(readFileSync(htmlIndexPath(dir), 'utf8')).not.toContain('single-primary');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes an index listing every page with its model, variant, property, verdict and steps, and a page per scheduler counterexample', async () => {
    const { results } = singlePrimary();
    const suiteRows = await closeRows();
    const dir = mkdtempSync(join(tmpdir(), 'html-index-'));
    try {
      const written = writeHtmlViewers(dir, [...results, ...suiteRows], [replicaElection], [replicationCloseSuite]);
      const pages = written.filter((p) => p !== htmlIndexPath(dir));
      const broken = suiteRows.filter((r) => r.verdict === 'violated');
      expect(broken.length).toBeGreaterThan(0);
      expect(pages).toHaveLength(3 + broken.length);
      const index = readFileSync(htmlIndexPath(dir), 'utf8');
      const rows = [...index.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><td>.*?<\/td><td><a href="(.*?)">(.*?)<\/a><\/td><td class=".*?">(.*?)<\/td><td class="steps">(\d+)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => m.slice(1));
      expect(rows.map((r) => join(dir, r[2]!)).sort()).toEqual([...pages].sort());
      const row = (model: string, property: string) => rows.find((r) => r[0] === model && r[3] === property)!;
      expect(row('replica-election', 'single-primary')).toEqual(['replica-election', 'buggy', 'replica-election/buggy--single-primary.html', 'single-primary', 'violated', '6', 'exhaustive']);
      for (const r of broken) expect(row('replication-close', r.property)).toEqual(['replication-close', 'buggy', `replication-close/buggy--${r.property}.html`, r.property, 'violated', String(r.traceLength), 'scheduler']);
      // A scheduler page tells the suite's story, its causal sentence once, and the minimal schedule step by step.
      const chunk = broken.find((r) => r.property === 'chunks-in-order') ?? broken[0]!;
      const page = readFileSync(htmlViewerPath(dir, chunk), 'utf8');
      const lastLine = chunk.story!.at(-1)!;
      expect(page).toContain(`<p class="final" id="final">${escapeHtml(lastLine)}</p>`);
      expect(page.split(escapeHtml(lastLine))).toHaveLength(2);
      for (const line of chunk.story!.slice(1, -1)) expect(page).toContain(escapeHtml(line));
      expect([...page.matchAll(/<li><code>/g)]).toHaveLength(chunk.replay!.schedule.length);
      expect(page).not.toMatch(/https?:\/\/|<script/i);
      // Holding rows have no page.
      expect(pages.some((p) => p.includes('no-zombie-session'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--html from the command line', () => {
  it('writes the scheduler suite\'s pages and an index listing them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'html-cli-'));
    try {
      const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
      await promisify(execFile)(tsx, ['src/cli/main.ts', '--model', 'replication-close', '--mode', 'scheduler', '--variant', 'buggy', '--runs', '100', '--html', dir], { cwd: process.cwd() });
      const index = readFileSync(htmlIndexPath(dir), 'utf8');
      const links = [...index.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThan(0);
      expect(links.every((l) => l.startsWith('replication-close/buggy--'))).toBe(true);
      for (const link of links) expect(readFileSync(join(dir, link), 'utf8')).toContain('<pre class="story" id="story">');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the HTML trace viewer in a real browser', () => {
  const name = 'steps through the two-primaries counterexample with slider, buttons, keys and clicks';
  it.skipIf(!hasChromium)(hasChromium ? name : `${name} (skipped: no browser at ${CHROMIUM}; install Debian's chromium package)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'html-viewer-'));
    const { results } = singlePrimary();
    const [page1] = writeHtmlViewers(dir, results, [replicaElection]).filter((p) => p.endsWith('buggy--single-primary.html'));
    const askInstance = instantiate(ask, 'refused-forever');
    const loopPage = writeHtmlViewers(dir, checkExhaustive(askInstance), [ask])[0]!;

    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const requested: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(page1!).href);

      const badge = (p: string) => page.locator(`.card[data-process="${p}"] .badge`);
      const row = (p: string, field: string) => page.locator(`.card[data-process="${p}"] tr[data-field="${field}"]`);
      await expectPosition(page, 0, 6);
      expect(await badge('r1').textContent()).toBe('primary');
      expect(await badge('r2').textContent()).toBe('secondary');
      expect(await page.locator('.changed').count()).toBe(0);

      // Prev at the start stays there; next walks forward.
      await page.click('#prev');
      await expectPosition(page, 0, 6);
      for (let k = 1; k <= 4; k++) await page.click('#next');
      await expectPosition(page, 4, 6);
      expect(await page.textContent('#step-description')).toBe('request: r2 issues PEER_LOST');
      expect(await badge('r2').textContent()).toBe('negotiating');
      expect(await badge('r2').getAttribute('class')).toContain('changed');

      // The slider, driven from the keyboard, to the last step: two primaries, r2's just changed.
      await page.focus('#slider');
      await page.keyboard.press('End');
      await expectPosition(page, 6, 6);
      expect(await page.textContent('#step-description')).toBe('r2 receives NEW_PRIMARY {epoch: 2, primary: r2, members: [r2, r3]} from cp');
      expect(await badge('r1').textContent()).toBe('primary');
      expect(await badge('r1').getAttribute('class')).not.toContain('changed');
      expect(await badge('r2').textContent()).toBe('primary');
      expect(await badge('r2').getAttribute('class')).toContain('changed');
      expect(await row('r2', 'epoch').getAttribute('class')).toBe('changed');
      expect(await row('r2', 'epoch').textContent()).toContain('(was 1)');
      expect(await row('r1', 'epoch').count()).toBe(0);
      expect(await page.textContent('details.constant')).toContain('r1.epoch');
      expect(await page.locator('.card.witness').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.process))).toEqual(['r1', 'r2']);
      expect(await page.textContent('#final')).toMatch(/r1 serves writes as primary of epoch 1.*; however r2 serves writes as primary of epoch 2 .*\(step 6\)/);
      expect(await page.getAttribute('.diagram .step.current', 'data-step')).toBe('6');

      // Arrow keys on the page; messages the step sent are highlighted.
      await page.locator('h1').click();
      await page.keyboard.press('ArrowLeft');
      await expectPosition(page, 5, 6);
      expect(await page.locator('#messages li.fresh').allTextContents()).toContain('cp → r2: NEW_PRIMARY {epoch: 2, primary: r2, members: [r2, r3]}');
      expect(await page.textContent('#step-sent')).toContain('cp → r1: NEW_PRIMARY {epoch: 2, primary: r2, members: [r2, r3]}');

      // A click on a step of the sequence diagram jumps there: r1 dropped the peers it lost.
      await page.click('.diagram .step[data-step="3"]');
      await expectPosition(page, 3, 6);
      expect(await row('r1', 'members').getAttribute('class')).toBe('changed');
      await page.screenshot({ path: join(tmpdir(), 'html-viewer-single-primary-step2.png'), fullPage: true });

      // The liveness page: the loop is announced, and markup in a message stays text.
      await page.goto(pathToFileURL(loopPage).href);
      await page.click('.pill:last-child');
      expect(await page.textContent('#loop-note')).toMatch(/^↻ in the loop: steps \d+ to \d+ repeat forever$/);
      expect(await page.locator('#injected').count()).toBe(0);
      expect(await page.locator('body').textContent()).toContain(REASON);

      expect(errors).toEqual([]);
      expect(requested.every((url) => url.startsWith('file://'))).toBe(true);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the HTML index in a real browser', () => {
  const name = 'lists the pages, and its links open a trace viewer and a scheduler page';
  it.skipIf(!hasChromium)(hasChromium ? name : `${name} (skipped: no browser at ${CHROMIUM})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'html-index-browser-'));
    const suiteRows = await closeRows();
    writeHtmlViewers(dir, [...singlePrimary().results, ...suiteRows], [replicaElection], [replicationCloseSuite]);
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(pathToFileURL(htmlIndexPath(dir)).href);
      const listed = await page.locator('#pages tbody tr').count();
      expect(listed).toBe(3 + suiteRows.filter((r) => r.verdict === 'violated').length);
      // Follow the two-primaries link: the viewer opens at step 0 of 6 and steps.
      await page.click('#pages a[href="replica-election/buggy--single-primary.html"]');
      await expectPosition(page, 0, 6);
      await page.click('#next');
      await expectPosition(page, 1, 6);
      // Back to the index (stepping replaces the history entry, it adds none), then a scheduler page, and from it back to the index.
      await page.goBack();
      expect(page.url()).toBe(pathToFileURL(htmlIndexPath(dir)).href);
      await page.click('#pages a[href="replication-close/buggy--chunks-in-order.html"]');
      expect(await page.textContent('#final')).toMatch(/^Broken: .*chunk.*\(step \d+\)/);
      expect(await page.locator('#schedule li').count()).toBeGreaterThan(0);
      await page.click('a[href="../index.html"]');
      expect(await page.locator('#pages tbody tr').count()).toBe(listed);
      expect(errors).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: join(tmpdir(), 'html-index-failure.png'), fullPage: true });
      throw error;
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function expectPosition(page: Page, step: number, of: number): Promise<void> {
  expect(await page.textContent('#position')).toBe(`step ${step} of ${of}`);
  expect(await page.inputValue('#slider')).toBe(String(step));
  expect(await page.getAttribute('.pill.current', 'data-step')).toBe(String(step));
}
