import { describe, expect, test } from 'vitest';
import { replicaElection } from '../../properties/replica-election.js';
import { runCluster, type ClusterRun } from '../../implementations/replica-election/cluster.js';
import { formatLogEvent, parseLog } from '../../src/conformance/log.js';
import { describeValidation, validateLog, validationInstance, type Validation } from '../../src/conformance/validate.js';
import { logOfRecords, validationConfig } from './replica-election-adapter.js';

const WRITES = 12;

/** A seeded run of the implementation, its log as text, and that log validated against a variant of the model. */
async function runAndValidate(run: Omit<ClusterRun, 'writes'>, variant = 'fixed') {
  const outcome = await runCluster({ writes: WRITES, duration: 3000, isolations: 3, crashes: 2, ...run });
  const { entries, bugLines } = logOfRecords(outcome.records);
  const text = entries.map(formatLogEvent).join('\n');
  const instance = validationInstance(replicaElection, variant, validationConfig(WRITES));
  const events = parseLog(text, { processes: instance.world.processNames });
  return { outcome, text, events, bugLines, validation: validateLog(instance, events) };
}

const brokenOf = (v: Validation) => (v.verdict === 'bounded' ? [] : v.properties.filter((p) => p.broken).map((p) => ({ property: p.property, line: p.broken!.line })));

describe('the correct implementation conforms to replica-election/fixed', () => {
  test('30 seeded runs with loss, duplicates, isolated replicas and crashes: every log conforms and every safety property holds along it', async () => {
    const seen = { elections: 0, crashes: 0, partitions: 0, stutters: 0, events: 0 };
    for (let seed = 1; seed <= 30; seed++) {
      const { validation, events, outcome } = await runAndValidate({ seed });
      expect(validation.verdict, `seed ${seed}: ${describeValidation(validation).slice(0, 2).join(' / ')}`).toBe('conforms');
      expect(brokenOf(validation), `seed ${seed}`).toEqual([]);
      expect(outcome.acknowledged, `seed ${seed}: every write acknowledged`).toBe(WRITES);
      if (validation.verdict !== 'conforms') continue;
      seen.events += events.length;
      seen.stutters += validation.stutters;
      seen.elections += validation.path.filter((d) => d.kind === 'deliver' && d.msg.type === 'REQUEST_PRIMACY').length > 0 ? 1 : 0;
      seen.crashes += validation.path.filter((d) => d.kind === 'crash').length;
      seen.partitions += validation.path.filter((d) => d.kind === 'partition').length;
    }
    // The runs are not easy ones: elections, crashes and cuts happened, and some messages were taken and ignored.
    expect(seen.elections).toBeGreaterThanOrEqual(25);
    expect(seen.crashes).toBeGreaterThanOrEqual(30);
    expect(seen.partitions).toBeGreaterThanOrEqual(30);
    expect(seen.stutters).toBeGreaterThan(0);
  }, 30_000);

  test('the same seed gives the same log, byte for byte', async () => {
    const a = await runAndValidate({ seed: 7 });
    const b = await runAndValidate({ seed: 7 });
    expect(a.text).toBe(b.text);
    expect(a.text).not.toBe((await runAndValidate({ seed: 8 })).text);
  });

  test('a log changed by one field no longer conforms, and the answer names its line', async () => {
    const { text, validation } = await runAndValidate({ seed: 3 });
    expect(validation.verdict).toBe('conforms');
    const lines = text.split('\n');
    const k = lines.findIndex((l) => l.includes('"kind":"receive"') && l.includes('"type":"REPL_ACK"'));
    lines[k] = lines[k]!.replace(/"id":(\d+)/, (_, id) => `"id":${Number(id) + 1}`);
    const instance = validationInstance(replicaElection, 'fixed', validationConfig(WRITES));
    const tampered = validateLog(instance, parseLog(lines.join('\n'), { processes: instance.world.processNames }));
    expect(tampered.verdict).toBe('diverges');
    if (tampered.verdict === 'diverges') expect(tampered.event.line).toBe(k + 1);
  });
});

describe("without the authority's log", () => {
  test("10 runs with every line of cp taken out: its steps are found by the bounded search, and every log still conforms", async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { text } = await runAndValidate({ seed });
      const withoutCp = text.split('\n').filter((line) => !line.includes('"process":"cp"'));
      const instance = validationInstance(replicaElection, 'fixed', validationConfig(WRITES));
      const validation = validateLog(instance, parseLog(withoutCp.join('\n'), { processes: instance.world.processNames }), { unlogged: ['cp'] });
      expect(validation.verdict, `seed ${seed}: ${describeValidation(validation).slice(0, 2).join(' / ')}`).toBe('conforms');
      if (validation.verdict !== 'conforms') continue;
      // The authority's steps are in the matched path, with no log line of their own.
      const found = validation.path.map((d, i) => [d, validation.lines[i]] as const).filter(([d]) => d.kind === 'deliver' && d.to === 'cp');
      expect(found.length, `seed ${seed}`).toBeGreaterThan(0);
      expect(found.every(([, line]) => line === undefined)).toBe(true);
      expect(brokenOf(validation)).toEqual([]);
    }
  }, 30_000);
});

describe('planted bugs are rejected at the event where they diverge', () => {
  test('accept-stale-epoch: rejected by fixed at the step that took up an older epoch; under fixed-adopts-any-epoch the log conforms and primary-granted-by-authority breaks at that step', async () => {
    const run = { seed: 73, bug: 'accept-stale-epoch' as const, network: { duplicate: 0.5, loss: 0.2 }, silence: 40 };
    const { validation, bugLines } = await runAndValidate(run);
    expect(bugLines.length).toBeGreaterThan(0);
    expect(validation.verdict).toBe('diverges');
    if (validation.verdict !== 'diverges') return;
    expect(validation.event.line).toBe(bugLines[0]);
    expect(validation.reason).toMatch(/reports .*epoch \d+ in the log, \d+ in the model/);
    const story = describeValidation(validation, 'run.jsonl').join('\n');
    expect(story).toContain(`run.jsonl:${bugLines[0]}: does not conform: the model cannot explain this receive`);
    expect(story).toContain('the last matched state, after');
    expect(story).toMatch(/cp: epoch \d → \d/);
    const asBug = await runAndValidate(run, 'fixed-adopts-any-epoch');
    expect(asBug.validation.verdict).toBe('conforms');
    expect(brokenOf(asBug.validation)).toEqual([{ property: 'primary-granted-by-authority', line: bugLines[0] }]);
  });

  test('accept-stale-epoch on many seeds: wherever the bug took its path, fixed rejects the log exactly there', async () => {
    let fired = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const { validation, bugLines } = await runAndValidate({ seed, bug: 'accept-stale-epoch', network: { duplicate: 0.3 }, silence: 60 });
      if (bugLines.length === 0) {
        expect(validation.verdict, `seed ${seed}`).toBe('conforms');
        continue;
      }
      fired++;
      expect(validation.verdict === 'diverges' && validation.event.line, `seed ${seed}`).toBe(bugLines[0]);
    }
    expect(fired).toBeGreaterThanOrEqual(5);
  }, 30_000);

  test('promote-on-timeout: rejected by fixed at the suspicion; under fixed-primary-drops-peer it conforms and a safety property breaks after it', async () => {
    let rejected = 0;
    for (let seed = 1; seed <= 15; seed++) {
      const { validation, bugLines } = await runAndValidate({ seed, bug: 'promote-on-timeout' });
      if (bugLines.length === 0) {
        // The failure detector never fired on a primary waiting for a confirmation: the bug's code never ran.
        expect(validation.verdict, `seed ${seed}`).toBe('conforms');
        continue;
      }
      expect(validation.verdict === 'diverges' && validation.event.line, `seed ${seed}`).toBe(bugLines[0]);
      if (validation.verdict !== 'diverges') continue;
      rejected++;
      expect(validation.event.kind).toBe('request');
      expect(validation.reason).toMatch(/reports state "primary" in the log, "negotiating" in the model/);
      const asBug = await runAndValidate({ seed, bug: 'promote-on-timeout' }, 'fixed-primary-drops-peer');
      expect(asBug.validation.verdict, `seed ${seed}`).toBe('conforms');
      const broken = brokenOf(asBug.validation);
      // The lone primary's acknowledgement leaves the write off a replica the authority later names, or a second primary is elected beside it.
      expect(broken.map((b) => b.property).filter((p) => p === 'acked-writes-on-primary' || p === 'single-primary').length, `seed ${seed}`).toBeGreaterThan(0);
      for (const b of broken) expect(b.line!, `seed ${seed} ${b.property}`).toBeGreaterThan(bugLines[0]!);
    }
    expect(rejected).toBeGreaterThanOrEqual(12);
  }, 30_000);
});
