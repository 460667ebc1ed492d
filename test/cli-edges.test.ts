import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

async function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['src/cli/main.ts', ...args], { cwd: process.cwd(), timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const oneLine = (text: string) => text.trim().split('\n');

describe('output folders are checked before the search', () => {
  it('a folder that cannot be made is one line and exit 2, at once (Node’s recursive mkdir spins on /proc)', async () => {
    const r = await check('--model', 'replica-election', '--out', '/proc/outage-checker-x');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/^error: --out \/proc\/outage-checker-x: cannot write there: /)]);
    expect(r.stdout).toBe('');
  });

  it('--html onto a file is refused before any model is checked, and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-html-'));
    writeFileSync(join(dir, 'plain'), 'x');
    const r = await check('--model', 'two-phase-commit', '--html', join(dir, 'plain', 'pages'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a file, not a folder/);
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  it('an interrupted write’s temporary file is cleared by the next run into that folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-out-'));
    writeFileSync(join(dir, '.buggy--single-primary.md.4242.tmp'), 'half');
    const r = await check('--model', 'replica-election', '--variant', 'buggy', '--mode', 'exhaustive', '--out', dir);
    expect(r.code).toBe(0);
    expect(readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a run that checks nothing fails', () => {
  it('the scheduler mode of a model that has no scheduler suite', async () => {
    const r = await check('--model', 'replica-election', '--mode', 'scheduler');
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual(['error: nothing was checked: no variant of the chosen models has a property to check in mode scheduler (models: replica-election)']);
  });

  it('a merge of a result that holds no rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-merge-'));
    writeFileSync(join(dir, 'empty.json'), JSON.stringify({ ok: true, results: [] }));
    const r = await check('--merge', join(dir, 'empty.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: nothing was checked: the merged files hold no results/);
  });
});

describe('options that would do nothing are refused', () => {
  it.each([
    [['--seed', '1', '--seed', '2'], '--seed is given twice'],
    [['--mode', 'exhaustive', '--shard', '1/2'], '--shard steers the random search, which --mode exhaustive does not run'],
    [['--mode', 'random', '--max-states', '5'], '--max-states steers the exhaustive search, which --mode random does not run'],
    [['--replay', 'x.replay.json', '--json'], '--replay re-runs one file and takes no other option but --variant (not --json)'],
    [['--merge', 'a.json', '--model', 're-mirror'], '--merge combines finished results and runs nothing, so --model would do nothing'],
  ])('%j', async (args, message) => {
    const r = await check(...args);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([`error: ${message}`]);
  });
});

describe('names that select nothing', () => {
  it('--config on the suite of real code, which has none, is refused', async () => {
    const r = await check('--model', 'replication-close', '--config', 'small');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual(['error: replication-close is a suite of real code and has no configurations, so --config small cannot apply to it']);
  });

  it('an unknown variant lists each valid name once', async () => {
    const r = await check('--variant', 'nope');
    expect(r.code).toBe(2);
    const listed = /\(variants of [^:]+: (.*)\)$/.exec(r.stderr.trim())![1]!.split(', ');
    expect(listed).toEqual([...new Set(listed)]);
    expect(listed).toContain('fixed');
  });
});

describe('--merge of shards', () => {
  const shard = async (dir: string, name: string, ...args: string[]) => {
    const r = await check('--model', 'replica-election', '--variant', 'fixed', '--mode', 'random', '--runs', '40', '--json', ...args);
    const path = join(dir, name);
    writeFileSync(path, r.stdout);
    return { path, json: JSON.parse(r.stdout) as { results: Array<Record<string, any>> } };
  };

  it('refuses the same shard twice, shards of different runs, and rows of the wrong shape, each in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-shards-'));
    const a = await shard(dir, 'a.json', '--shard', '1/2');
    const twice = await check('--merge', `${a.path},${a.path}`);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/it is the same shard as .*a\.json \(both seed 1\)/);

    const other = await check('--model', 'two-phase-commit', '--mode', 'random', '--runs', '20', '--json', '--shard', '2/2');
    writeFileSync(join(dir, 'other.json'), other.stdout);
    const mixed = await check('--merge', `${a.path},${join(dir, 'other.json')}`);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/checked other models, variants, configurations or properties than/);

    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ results: [{ ...a.json.results[0], verdict: 'maybe' }] }));
    const bad = await check('--merge', join(dir, 'bad.json'));
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toEqual([expect.stringMatching(/result 1: verdict 'maybe' is not one the checker gives$/)]);
  });

  it('decides vacuity on the merged coverage: a fault one shard missed and the other fired was exercised', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-vacuity-'));
    const a = await shard(dir, 'a.json', '--shard', '1/2');
    const b = await shard(dir, 'b.json', '--shard', '2/2');
    const faults = a.json.results[0]!.coverage.faults as { fired: string[]; never: string[] };
    expect(faults.never).toEqual([]);
    const [first, ...rest] = faults.fired;
    // Each shard claims to have missed a different fault, so each alone is vacuous.
    const missing = (json: typeof a.json, never: string[]) => ({
      ok: false,
      results: json.results.map((r) => ({ ...r, verdict: r.kind === 'sometimes' ? r.verdict : 'vacuous', coverage: { ...r.coverage, faults: { fired: faults.fired.filter((f) => !never.includes(f)), never } } })),
    });
    writeFileSync(a.path, JSON.stringify(missing(a.json, [first!])));
    writeFileSync(b.path, JSON.stringify(missing(b.json, rest)));
    const merged = await check('--merge', `${a.path},${b.path}`, '--json');
    expect(merged.code).toBe(0);
    const rows = JSON.parse(merged.stdout).results as Array<{ verdict: string; expected: string }>;
    expect(rows.every((r) => r.verdict === r.expected)).toBe(true);

    writeFileSync(b.path, JSON.stringify(missing(b.json, [first!])));
    const stillMissing = await check('--merge', `${a.path},${b.path}`, '--json');
    expect(stillMissing.code).toBe(1);
    expect(JSON.parse(stillMissing.stdout).results.find((r: { kind: string }) => r.kind === 'always').note).toMatch(/vacuous: .* never happened/);
  });
});

describe('a search too big for memory', () => {
  it('past half the default memory guard (derived from the heap limit) goes on in fingerprint mode, completes, and says so', async () => {
    let result: { code: number; stdout: string; stderr: string };
    try {
      const { stdout, stderr } = await run(TSX, ['src/cli/main.ts', '--model', 'two-phase-commit', '--config', 'rm8', '--variant', 'correct', '--property', 'tc-consistent', '--mode', 'exhaustive', '--json'], {
        cwd: process.cwd(),
        env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=80' },
        timeout: 120_000,
      });
      result = { code: 0, stdout, stderr };
    } catch (error) {
      result = error as typeof result;
    }
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout).results;
    expect(row).toMatchObject({ verdict: 'holds', complete: true, states: 1_745_408 });
    expect(row.note).toMatch(/^switched to fingerprint mode after [\d,]+ states: the exact search outgrew 50% of the memory guard \(\d+ MB\); fingerprint mode \(\d+ bytes a state in its arrays\): probability/);
  }, 150_000);

  it('a bound of the user\'s (--max-memory) stops the search as bounded, with a line that says what a complete run needs', async () => {
    const r = await check('--model', 'two-phase-commit', '--config', 'rm8', '--variant', 'correct', '--property', 'tc-consistent', '--mode', 'exhaustive', '--max-memory', '40', '--json');
    const [row] = JSON.parse(r.stdout).results;
    expect(row).toMatchObject({ verdict: 'bounded', complete: false });
    expect(row.states).toBeLessThan(1_745_408);
    expect(row.note).toMatch(/^no violation within \d+ states \(stopped at --max-memory 40 MB: [\d,]+ states at ~\d+ bytes each, [\d,]+ still queued; a complete run needs more than (\d+) MB \(--max-memory \1\), or try --fingerprints\)$/);
  }, 120_000);
});

describe('checking several models at once', () => {
  it('--jobs 2 prints the same rows, in the same order, as one after another', async () => {
    const strip = (text: string) => JSON.stringify(JSON.parse(text), (k, v) => (k === 'seconds' ? undefined : v));
    const args = ['--model', 'two-phase-commit,control-plane', '--runs', '100', '--json'];
    const [one, two] = [await check(...args, '--jobs', '1'), await check(...args, '--jobs', '2')];
    expect(one.code).toBe(0);
    expect(strip(two.stdout)).toBe(strip(one.stdout));
  }, 120_000);
});

describe('a model file that does not load', () => {
  it('a syntax error names the file, line and column, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-bad-'));
    writeFileSync(join(dir, 'bad.ts'), 'export const x = {;\n');
    const r = await check(join(dir, 'bad.ts'));
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([`error: model file ${join(dir, 'bad.ts')} failed to load: ${join(dir, 'bad.ts')}:1:18: ERROR: Expected identifier but found ";"`]);
  });
});

describe('--replay on another variant', () => {
  it('says what the steps do there and whether that is what the variant promises', async () => {
    const r = await check('--replay', 'counterexamples/replica-election/buggy--single-primary.replay.json', '--variant', 'fixed');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^on fixed (all \d+ steps replay and single-primary is not broken|the steps cannot be replayed: step \d+ .* is not possible there .*); fixed is expected to keep it\.$/);
  });

  it('refuses a variant the model does not have, in one line', async () => {
    const r = await check('--replay', 'counterexamples/replica-election/buggy--single-primary.replay.json', '--variant', 'nope');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/^error: model replica-election has no variant 'nope' \(variants: .*\)$/)]);
  });
});

describe('init writes a starter, never over a file', () => {
  it('writes the three starter files, then refuses to write them again (one line, exit 2)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'oc-init-')), 'starter');
    const first = await check('init', dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`npx outage-checker check ${dir}/model.ts`);
    expect(readdirSync(dir).sort()).toEqual(['model.test.ts', 'model.ts', 'properties.ts']);
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file), 'utf8')).toBe(readFileSync(join('examples/starter', file), 'utf8'));
    writeFileSync(join(dir, 'model.ts'), 'mine');
    const again = await check('init', dir);
    expect(again.code).toBe(2);
    expect(oneLine(again.stderr)).toEqual([expect.stringMatching(/^error: init writes no file over an existing one: .*model\.ts/)]);
    expect(readFileSync(join(dir, 'model.ts'), 'utf8')).toBe('mine');
  });

  it('refuses options and a second folder', async () => {
    for (const args of [['init', 'a', 'b'], ['init', '--force']]) {
      const r = await check(...args);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toEqual(['error: init takes at most one folder, and no options (usage: outage-checker init [DIR])']);
    }
  });
});

describe('fingerprint mode in the table', () => {
  it('says once per search what a collision could have hidden', async () => {
    const r = await check('--model', 'two-phase-commit', '--config', 'rm3', '--variant', 'correct', '--mode', 'exhaustive', '--fingerprints');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('ⓘ'));
    expect(lines).toEqual([expect.stringMatching(/^ⓘ two-phase-commit\/correct \(rm3\): fingerprint mode \(\d+ bytes a state in its arrays\): probability that a fingerprint collision hid a state [\d.e-]+ \(TLC's optimistic estimate\)$/)]);
  });
});
