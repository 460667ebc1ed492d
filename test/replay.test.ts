import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicaElection } from '../properties/replica-election.js';
import { checkExhaustive, defineModel, instantiate } from '../src/index.js';
import { fingerprintOf } from '../src/check/fingerprint.js';
import { replay } from '../src/check/replay.js';
import { writeFileAtomic } from '../src/report/atomic-write.js';
import { toReplayFile } from '../src/report/replay-file.js';

function recordedSinglePrimary(): string {
  const instance = instantiate(replicaElection, 'buggy', 'two-suspicions');
  const result = checkExhaustive(instance).find((r) => r.property === 'single-primary')!;
  return JSON.stringify(toReplayFile(result, fingerprintOf(instance)));
}

describe('replay files', () => {
  it('reproduce the violation they recorded, step by step', () => {
    const outcome = replay(recordedSinglePrimary(), 'single.json', [replicaElection]);
    expect(outcome.reproduced).toBe(true);
    expect(outcome.result.traceLength).toBe(6);
  });

  it('fail with one clear line once the model has changed', () => {
    // The same model with one more write allowed: a real change of behaviour, with nothing renamed.
    const changed = defineModel({
      ...replicaElection,
      build: (variant, config) => replicaElection.build(variant, { ...config, writes: config.writes + 1 }),
    });
    expect(() => replay(recordedSinglePrimary(), 'single.json', [changed])).toThrow(
      /^single.json: model replica-election\/buggy has changed since this file was written; regenerate it with: npm run check -- --model replica-election --variant buggy --out counterexamples$/,
    );
  });

  it('fail when a step is no longer possible', () => {
    const text = recordedSinglePrimary().replace(/"type": ?"WRITE"/, '"type":"WRITE_TWICE"');
    expect(() => replay(text, 'edited.json', [replicaElection])).toThrow(/edited.json: step 1 .* is not possible at that point/);
  });

  it('do not reproduce on the fixed variant: the same steps break nothing there', () => {
    const text = recordedSinglePrimary();
    const onFixed = JSON.parse(text);
    onFixed.variant = 'fixed';
    onFixed.fingerprint = fingerprintOf(instantiate(replicaElection, 'fixed', 'two-suspicions'));
    const outcome = replay(JSON.stringify(onFixed), 'fixed.json', [replicaElection]);
    expect(outcome.reproduced).toBe(false);
  });
});

describe('atomic writes', () => {
  it('leave the complete file and no temporary behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeFileAtomic(join(dir, 'a', 'b.json'), '{"x":1}');
    expect(readdirSync(join(dir, 'a'))).toEqual(['b.json']);
  });

  it('leave nothing when the write fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeFileSync(join(dir, 'taken'), 'a file where a folder is needed');
    expect(() => writeFileAtomic(join(dir, 'taken', 'b.json'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
