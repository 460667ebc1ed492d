import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { runCluster } from '../../implementations/replica-election/cluster.js';
import { formatLogEvent } from '../../src/conformance/log.js';
import { runLeaseLock } from '../../examples/lease-lock.impl.js';
import { logOfRecords, validationConfig } from './replica-election-adapter.js';
import { models } from '../../properties/index.js';
import { parseValidateArgs, runValidate } from '../../src/cli/validate.js';
import { UsageError } from '../../src/cli/args.js';

const exec = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'validate-cli-'));

/** `npx tsx src/cli/main.ts validate ARGS`: its exit code and output. */
async function validate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(TSX, ['src/cli/main.ts', 'validate', ...args], { cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const ELECTION = ['--model', 'replica-election', '--variant', 'fixed', '--config-json', JSON.stringify(validationConfig(12))];

describe('outage-checker validate', () => {
  test('a malformed log gets one line per bad entry, each with its line number, and exit code 2', async () => {
    const good = '{"seq":1,"kind":"timeout","process":"instance","event":{"type":"WRITE"}}';
    const lines = [
      good,
      'not json at all',
      '{"kind":"tick"}',
      '{"seq":1,"kind":"tick"}',
      '{"seq":4,"kind":"receive","process":"r9","from":"instance","msg":{"type":"WRITE","id":1,"from":"instance"}}',
      '{"seq":5,"kind":"teleport","process":"r1"}',
      '{"seq":6,"kind":"send","process":"r1","to":"r2","msg":"REPLICATE"}',
      '{"seq":7,"kind":"partition","partition":"r7 isolated"}',
      '{"seq":8,"kind":"request","process":"r2","event":{"type":"PEER_LOST"},"state":{"role":"primary"}}',
      '[1,2]',
      '',
      '{"seq":9,"kind":"tick","time":5}',
      '{"seq":10,"kind":"tick","time":4}',
    ];
    const log = file('malformed.jsonl', lines.join('\n'));
    const { code, stdout, stderr } = await validate(...ELECTION, log);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      `error: ${log}:2: not JSON: not json at all`,
      `error: ${log}:3: "seq" must be a whole number, not nothing`,
      `error: ${log}:4: out of order: seq 1 comes after seq 1 (line 1)`,
      `error: ${log}:5: unknown process 'r9' in "process" (processes: instance, cp, r1, r2, r3)`,
      `error: ${log}:6: unknown kind "teleport" (kinds: receive, send, timeout, request, internal, crash, restart, partition, heal, drop, tick)`,
      `error: ${log}:7: "msg" must be an object with a string "type", not "REPLICATE"`,
      `error: ${log}:8: unknown partition 'r7 isolated' (partitions: r1 isolated, r2 isolated, r3 isolated)`,
      `error: ${log}:9: "state" has unknown field "role" (expected "value" and/or "context")`,
      `error: ${log}:10: expected a JSON object`,
      `error: ${log}:13: out of order: time 4 is before the previous entry's 5`,
    ]);
  });

  test('a log of the correct implementation conforms (exit 0); a planted bug\'s does not (exit 1), with the story, and --diagnose names the variant it fits', async () => {
    const correct = await runCluster({ seed: 2, writes: 12, duration: 3000, isolations: 3, crashes: 2 });
    const good = file('good.jsonl', logOfRecords(correct.records).entries.map(formatLogEvent).join('\n') + '\n');
    const buggy = await runCluster({ seed: 73, writes: 12, duration: 3000, isolations: 3, crashes: 2, bug: 'accept-stale-epoch', network: { duplicate: 0.5, loss: 0.2 }, silence: 40 });
    const adapted = logOfRecords(buggy.records);
    const bad = file('bad.jsonl', adapted.entries.map(formatLogEvent).join('\n'));
    // Two runs of the command (each costs a start of tsx): --story and --diagnose add to the plain answer, they do not change it.
    const [ok, rejected] = await Promise.all([validate(...ELECTION, '--story', good), validate(...ELECTION, '--diagnose', bad)]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^${good}: conforms: \\d+ events are a behaviour of the model \\(\\d+ steps`));
    expect(ok.stdout).toContain('every safety property holds along it');
    // A long story tells a chain of deliveries as one range of steps ("1–6."): src/report/chains.ts.
    expect(ok.stdout).toMatch(/\nthe matched path: \d+ steps of replica-election\/fixed:\n 1(–\d+)?\. \S/);
    expect(rejected.code, rejected.stderr).toBe(1);
    expect(rejected.stdout).toContain(`${bad}:${adapted.bugLines[0]}: does not conform: the model cannot explain this receive`);
    expect(rejected.stdout).toContain('the model could instead:');
    expect(rejected.stdout).toContain('the last matched state, after');
    expect(rejected.stdout).toContain(`the log is a behaviour of: fixed-adopts-any-epoch (breaking primary-granted-by-authority at log line ${adapted.bugLines[0]})`);
  }, 30_000);

  test("a user's model file: the lease lock's unfenced run, rejected by fenced and diagnosed as unfenced", async () => {
    const log = file('lease.jsonl', runLeaseLock(14, { fenced: false, clients: 2, ticks: 6, steps: 40 }));
    const result = await validate('examples/lease-lock.ts', '--variant', 'fenced', '--config-json', '{"clients":2,"ticks":6,"drops":0}', '--diagnose', log);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${log}:44: does not conform: the model cannot explain this receive (seq 44)`);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('the log is a behaviour of: unfenced (breaking writes-in-lease-order at log line 44)');
  });

  test('a missing log is one line on stderr, with exit code 2', async () => {
    const missing = await validate(...ELECTION, join(dir, 'missing.jsonl'));
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([2, '', `error: cannot read log ${join(dir, 'missing.jsonl')}: no such file\n`]);
  });

  // In-process: the same functions the command runs, without the cost of starting it.
  test('--help prints the usage, and bad options are one usage error each', () => {
    expect(runValidate(models, parseValidateArgs(['--help'])).lines[0]).toMatch(/^usage: outage-checker validate --model M --variant V/);
    const usage = (...argv: string[]) => {
      try {
        runValidate(models, parseValidateArgs(argv));
      } catch (error) {
        return error instanceof UsageError ? error.message : `not a usage error: ${String(error)}`;
      }
      return 'no error';
    };
    expect(usage('--model', 'replica-election', '--variant', 'nope', 'x.jsonl')).toMatch(/^model replica-election has no variant 'nope' \(variants: stuck-2011, buggy, fixed,/);
    expect(usage('--model', 'replica-election', '--variant', 'fixed', '--config-json', '{oops', 'x.jsonl')).toBe("--config-json needs a JSON object, not '{oops'");
    expect(usage('--model', 'nope', '--variant', 'fixed', 'x.jsonl')).toBe('unknown model \'nope\' (models: replica-election, re-mirror, rds-failover, control-plane, two-phase-commit)');
    expect(usage('--model', 'replica-election', 'x.jsonl')).toMatch(/^validate needs --variant \(variants of replica-election: /);
    expect(usage('--model', 'replica-election', '--variant', 'fixed', '--hidden', 'teleport', 'x.jsonl')).toMatch(/^--hidden: unknown kind 'teleport' \(kinds: deliver, /);
    expect(usage('--model', 'replica-election', '--variant', 'fixed', '--unlogged', 'r9', 'x.jsonl')).toBe('--unlogged: unknown process \'r9\' (processes: instance, cp, r1, r2, r3)');
    expect(usage('--model', 'replica-election', '--variant', 'fixed', 'a.jsonl', 'b.jsonl')).toBe("validate takes one log, not 'a.jsonl' and 'b.jsonl'");
    expect(usage('--model', 'replica-election', '--variant', 'fixed', '--config', 'three-replicas', '--config-json', '{}', 'x.jsonl')).toBe('give --config or --config-json, not both');
  });
});
