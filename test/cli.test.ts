import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

async function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['src/cli/main.ts', ...args], { cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run check', () => {
  it('prints the same --json twice apart from timings, with every verdict as expected', async () => {
    const strip = (text: string) => JSON.stringify(JSON.parse(text), (k, v) => (k === 'seconds' ? undefined : v));
    const args = ['--model', 'replica-election', '--variant', 'buggy', '--config', 'two-suspicions', '--json', '--runs', '300'];
    const [a, b] = await Promise.all([check(...args), check(...args)]);
    expect(a.code).toBe(0);
    expect(strip(a.stdout)).toBe(strip(b.stdout));
    const parsed = JSON.parse(a.stdout);
    expect(parsed.ok).toBe(true);
    const single = parsed.results.filter((r: { variant: string; property: string }) => r.variant === 'buggy' && r.property === 'single-primary');
    expect(single.map((r: { mode: string; verdict: string }) => `${r.mode}:${r.verdict}`)).toEqual(['exhaustive:violated', 'random:violated']);
    const onFixed = JSON.parse((await check('--model', 'replica-election', '--variant', 'fixed', '--config', 'three-replicas', '--mode', 'exhaustive', '--json')).stdout);
    const fixed = onFixed.results.find((r: { variant: string; property: string; mode: string }) => r.variant === 'fixed' && r.property === 'single-primary' && r.mode === 'exhaustive');
    expect(fixed).toMatchObject({ verdict: 'holds', complete: true });
  });

  it('gives the same --json on worker threads as in one thread, coverage included', async () => {
    const strip = (text: string) => JSON.stringify(JSON.parse(text), (k, v) => (k === 'seconds' ? undefined : v));
    const args = ['--model', 'two-phase-commit', '--config', 'rm4', '--mode', 'exhaustive', '--json'];
    const [one, two] = await Promise.all([check(...args), check(...args, '--workers', '2')]);
    expect(two.code).toBe(0);
    expect(strip(two.stdout)).toBe(strip(one.stdout));
  });

  it.each([
    [['--model', 'nope'], /^error: unknown model 'nope' \(models: .*replica-election.*\)$/],
    [['--model', 'replica-election', '--variant', 'nope'], /^error: unknown variant 'nope' \(variants of replica-election: stuck-2011, buggy, fixed, fixed-primary-drops-peer, fixed-grants-any-request, fixed-adopts-any-epoch, fixed-applies-stale-duplicates, fixed-forgets-its-request, fixed-without-retries, fixed-regional-authority\)$/],
    [['--seed', 'x'], /^error: --seed must be a whole number, not 'x'$/],
    [['--max-states', '-3'], /^error: --max-states must be between 1 and \d+, not -3$/],
    [['--frobnicate'], /^error: unknown option '--frobnicate'/],
    [['--replay', '/nonexistent/file.json'], /^error: cannot read replay file \/nonexistent\/file.json: no such file$/],
  ])('rejects %j with one line on stderr and exit 2', async (args, message) => {
    const r = await check(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('writes counterexamples atomically and replays them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ce-'));
    const written = await check('--model', 'replica-election', '--variant', 'buggy', '--config', 'two-suspicions', '--mode', 'exhaustive', '--out', dir);
    expect(written.code).toBe(0);
    expect(readdirSync(join(dir, 'replica-election')).sort()).toEqual([
      'buggy--acked-writes-on-primary.md',
      'buggy--acked-writes-on-primary.replay.json',
      'buggy--primary-granted-by-authority.md',
      'buggy--primary-granted-by-authority.replay.json',
      'buggy--single-primary.md',
      'buggy--single-primary.replay.json',
    ]);
    const file = join(dir, 'replica-election', 'buggy--single-primary.replay.json');
    const replayed = await check('--replay', file);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('reproduced: replica-election/buggy breaks single-primary after 6 of 6 steps');

    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, readFileSync(file, 'utf8').slice(0, 40));
    const broken = await check('--replay', corrupt);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim()).toMatch(/corrupt.json is not valid JSON/);

    const stale = join(dir, 'stale.json');
    writeFileSync(stale, readFileSync(file, 'utf8').replace(/"fingerprint": "[0-9a-f]+"/, '"fingerprint": "0000000000000000"'));
    const old = await check('--replay', stale);
    expect(old.code).toBe(2);
    expect(old.stderr.trim()).toMatch(/stale.json: model replica-election\/buggy has changed since this file was written; regenerate it with: npm run check/);
  });
});
