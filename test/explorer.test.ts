import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { models } from '../properties/index.js';
import { replicaElection } from '../properties/replica-election.js';
import { checkExhaustive, instantiate } from '../src/index.js';
import { createExplorerServer } from '../src/explorer/server.js';
import { ExplorerSessions } from '../src/explorer/session.js';
import { parseExploreArgs, startQuery } from '../src/cli/explore.js';
import { alternatingBit } from '../models/examples/alternating-bit/model.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const WALK = { model: 'replica-election', variant: 'buggy', config: 'two-suspicions' };

/** The two-primaries counterexample exhaustive search finds, as the action indices the explorer addresses steps by. */
function twoPrimariesPath(): number[] {
  const row = checkExhaustive(instantiate(replicaElection, WALK.variant, WALK.config)).find((r) => r.property === 'single-primary')!;
  expect(row.verdict).toBe('violated');
  return new ExplorerSessions(models).walkOf(WALK, row.trace!).path;
}

let base = '';
const server = createExplorerServer({ models, corpusDir: 'counterexamples' });
beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('the explorer API', () => {
  const get = async (path: string) => {
    const response = await fetch(base + path);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it('describes the state a walk of action indices reaches, with what is enabled there', async () => {
    const path = twoPrimariesPath();
    const { status, body } = await get(`/api/page?${new URLSearchParams(WALK)}&path=${path.join('.')}`);
    expect(status).toBe(200);
    expect(body.steps).toHaveLength(path.length);
    expect(body.properties.find((p: any) => p.name === 'single-primary')).toMatchObject({ status: 'broken here' });
    expect(body.processes.filter((p: any) => p.state === 'primary').map((p: any) => p.name)).toEqual(['r1', 'r2']);
    // The last step made r2 primary of epoch 2: those are its changes; its id never changed along the walk.
    const r2 = body.processes.find((p: any) => p.name === 'r2');
    expect(r2.changed).toEqual(expect.arrayContaining(['state', 'epoch']));
    expect(r2.constant).toContain('id');
    expect(r2.constant).not.toContain('epoch');
    // One step fewer: the property still holds.
    const before = await get(`/api/page?${new URLSearchParams(WALK)}&path=${path.slice(0, -1).join('.')}`);
    expect(before.body.properties.find((p: any) => p.name === 'single-primary')).toMatchObject({ status: 'holds here' });
    expect(before.body.enabled[path[path.length - 1]!].description).toBe(body.steps[path.length - 1].description);
  });

  it('finds the shortest walk to a violation, or says none exists among all reachable states', async () => {
    expect((await get(`/api/shortest?${new URLSearchParams(WALK)}&property=single-primary`)).body).toEqual({ ...WALK, init: 0, path: twoPrimariesPath() });
    const fixed = await get(`/api/shortest?${new URLSearchParams({ ...WALK, variant: 'fixed' })}&property=single-primary`);
    expect(fixed.body.missing).toMatch(/^no state breaks single-primary among [\d,]+ states \(all reachable\)$/);
    expect((await get(`/api/shortest?${new URLSearchParams(WALK)}&property=eventually-writable`)).body.error).toMatch(/no state property 'eventually-writable'/);
  });

  it('starts a world with several initial states from any of them, each named', () => {
    const sessions = new ExplorerSessions([alternatingBit]);
    const walk = { model: alternatingBit.name, variant: Object.keys(alternatingBit.variants)[0]!, config: Object.keys(alternatingBit.configs)[0]! };
    const first = sessions.page({ ...walk, init: 0, path: [] });
    expect(first.initialStates).toBe(8);
    expect(new Set(first.initialLabels).size).toBe(8);
    const last = sessions.page({ ...walk, init: 7, path: [0] });
    expect(last.walk.init).toBe(7);
    expect(() => sessions.page({ ...walk, init: 8, path: [] })).toThrow('initial state 8 does not exist: this world has 8');
  });

  it('answers a bad request with one clear line', async () => {
    expect(await get('/api/page?model=nope&variant=v&config=c')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^unknown model 'nope' \(models: replica-election/) } });
    expect(await get(`/api/page?${new URLSearchParams(WALK)}&path=0.99`)).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^step 2: action 99 is not enabled there \(\d+ actions are, numbered from 0\)$/) } });
    expect(await get(`/api/page?${new URLSearchParams(WALK)}&path=0.x`)).toMatchObject({ status: 400, body: { error: "path '0.x' is not a list of action indices separated by dots" } });
    expect(await get('/nowhere')).toMatchObject({ status: 404 });
  });

  it('lists the recorded counterexamples of a model as walks that reach their violation', async () => {
    const { body } = await get('/api/recorded?model=replica-election');
    const recorded = body as unknown as Array<{ file: string; variant: string; config: string; path?: number[]; property: string }>;
    const file = recorded.find((r) => r.file === 'buggy--single-primary.replay.json')!;
    expect(file.path).toBeDefined();
    const page = await get(`/api/page?${new URLSearchParams({ model: 'replica-election', variant: file.variant, config: file.config })}&path=${file.path!.join('.')}`);
    expect(page.body.properties.find((p: any) => p.name === file.property)).toMatchObject({ status: 'broken here' });
  });

  it('the command line refuses bad options with one line and starts at the variant asked for', () => {
    expect(() => parseExploreArgs(['--port', 'x'])).toThrow("--port needs a port number (0 to 65535), not 'x'");
    expect(() => parseExploreArgs(['--model', 'a', '--model', 'b'])).toThrow('--model is given twice');
    expect(() => parseExploreArgs(['--nope', '1'])).toThrow(/explore has no option --nope/);
    expect(startQuery(models, parseExploreArgs(['--model', 'replica-election', '--variant', 'buggy']))).toBe('model=replica-election&variant=buggy&config=' + encodeURIComponent(replicaElection.variants.buggy!.configs?.[0] ?? replicaElection.checked![0]!));
    expect(() => startQuery(models, parseExploreArgs(['--model', 'replica-election', '--variant', 'nope']))).toThrow(/has no variant 'nope'/);
  });
});

describe('the explorer in a real browser', () => {
  const name = 'walks from the initial state to two primaries by clicking enabled actions, steps back, and reopens the state from its URL';
  it.skipIf(!hasChromium)(hasChromium ? name : `${name} (skipped: no browser at ${CHROMIUM}; install Debian's chromium package)`, async () => {
    const path = twoPrimariesPath();
    const dir = mkdtempSync(join(tmpdir(), 'explorer-'));
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const requested: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    const status = (property: string) => page.locator(`#properties li[data-property="${property}"]`).getAttribute('data-status');
    const depth = () => page.textContent('#depth');
    try {
      await page.goto(`${base}/?${new URLSearchParams(WALK)}`);
      await page.waitForSelector('button.action');
      expect(await status('single-primary')).toBe('holds here');
      for (const [k, index] of path.entries()) {
        await page.click(`button.action[data-index="${index}"]`);
        await page.waitForFunction((n) => document.getElementById('depth')!.textContent === String(n), k + 1);
      }
      expect(await status('single-primary')).toBe('broken here');
      expect(await page.locator('#state tr[data-process="r1"] td').nth(1).textContent()).toBe('primary');
      expect(await page.locator('#state tr[data-process="r2"] td').nth(1).textContent()).toBe('primary');
      expect(await page.locator('#state tr[data-process="r2"] [data-field="epoch"]').getAttribute('class')).toBe('changed');
      await page.check('#hide-constant');
      expect(await page.locator('#state tr[data-process="r2"] [data-field="id"]').count()).toBe(0);
      expect(await page.locator('#state tr[data-process="r2"] [data-field="epoch"]').count()).toBe(1);
      await page.uncheck('#hide-constant');
      // One lane per process in the sequence, one row per step.
      expect(await page.locator('#diagram tr').count()).toBe(path.length + 1);
      const url = page.url();
      expect(url).toContain(`path=${path.join('.')}`);

      // Back one step: the violation is gone; forward again by the same action.
      await page.click('#back');
      await page.waitForFunction((n) => document.getElementById('depth')!.textContent === String(n), path.length - 1);
      expect(await status('single-primary')).toBe('holds here');
      await page.goBack();
      await page.waitForFunction((n) => document.getElementById('depth')!.textContent === String(n), path.length);
      expect(await status('single-primary')).toBe('broken here');

      // The URL alone reopens the same state in a fresh page.
      const again = await context.newPage();
      await again.goto(url);
      await again.waitForFunction((n) => document.getElementById('depth')!.textContent === String(n), path.length);
      expect(await again.locator('#properties li[data-property="single-primary"]').getAttribute('data-status')).toBe('broken here');
      expect(await again.locator('#steps li').allTextContents()).toEqual(await page.locator('#steps li').allTextContents());

      // "Shortest walk to a violation" from the initial state takes the same path.
      await page.click('#restart');
      await page.waitForFunction(() => document.getElementById('depth')!.textContent === '0');
      await page.click('button[data-find="single-primary"]');
      await page.waitForFunction((n) => document.getElementById('depth')!.textContent === String(n), path.length);
      expect(page.url()).toBe(url);

      // A recorded counterexample opens from the list.
      await page.click('#recorded a[data-file="buggy--acked-writes-on-primary.replay.json"]');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('config') === 'two-suspicions' && document.querySelector('#properties li[data-property="acked-writes-on-primary"]')?.getAttribute('data-status') === 'broken here');
      expect(await depth()).not.toBe('0');
      expect(errors).toEqual([]);
      expect(requested.every((u) => u.startsWith(base))).toBe(true);
    } catch (error) {
      await page.screenshot({ path: join(tmpdir(), 'explorer-failure.png') }).catch(() => {});
      throw new Error(`${error instanceof Error ? error.message : String(error)} (screenshot: ${join(tmpdir(), 'explorer-failure.png')})`);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
