import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replay } from '../src/check/replay.js';
import { reMirror } from '../properties/re-mirror.js';
import { checkExhaustive, checkRandom, checkedConfigs, instantiate, renderStory, type ActionDescriptor, type CheckResult } from '../src/index.js';
import { checkByDefault } from '../src/check/default-check.js';

/**
 * A variant on a configuration as `npm run check` checks it (exhaustively, or by random search where the exhaustive
 * search is on request), made when a test first asks for it. Every variant's verdicts on every configuration are
 * checked in test/default-check.test.ts; the tests here read the stories behind some of them.
 */
const runs = new Map<string, CheckResult[]>();
const key = (variant: string, config: string) => `${variant}@${config}`;
const runOf = (variant: string, config: string) => {
  if (!runs.has(key(variant, config))) runs.set(key(variant, config), checkByDefault(reMirror, variant, config));
  return runs.get(key(variant, config))!;
};
const row = (variant: string, config: string, property: string) => runOf(variant, config).find((r) => r.property === property)!;
const stepsOf = (r: CheckResult) => r.trace!.map((a: ActionDescriptor) => ('msg' in a ? `${a.kind} ${a.msg.type}` : a.kind));

describe('re-mirror model, the stories behind its verdicts', () => {
  it('keeps the exhaustive search for requests only on the configurations that say how far it got', () => {
    expect(Object.keys(reMirror.exhaustiveOnRequest ?? {}).sort()).toEqual(['stale-pairing-async']);
    for (const [config, howFar] of Object.entries(reMirror.exhaustiveOnRequest!)) expect([config, howFar]).toEqual([config, expect.stringMatching(/stopped at [\d,]+ states/)]);
  });

  it('checks the fix with timers that fire while messages are in flight, a lost message, a crash and restart, and a writer', () => {
    const configs = checkedConfigs(reMirror, 'fixed').map((c) => reMirror.configs[c]!);
    expect(configs.some((c) => c.timers === 'any-time' && c.drops > 0)).toBe(true);
    expect(configs.some((c) => c.writers.length > 0 && c.diskLost.length > 0 && c.drops > 0)).toBe(true);
    expect(configs.some((c) => c.crashable.length > 0 && c.crashes > 0)).toBe(true);
    expect(configs.some((c) => c.falseSuspicions > 0 && c.drops > 0 && c.diskLost.length > 0)).toBe(true);
    // The crash fault fired, and so did the restart (the liveness trigger needs every node running).
    const fired = runOf('fixed', 'crash')[0]!.coverage!.faults.fired;
    expect(fired.some((f) => f.startsWith('crash '))).toBe(true);
  });

  it('release-before-confirm: the replaced copy is freed before the new owner confirms, and a destroyed disk leaves no copy', () => {
    const r = row('release-before-confirm', 'writes', 'durability');
    expect(r.verdict).toBe('violated');
    expect(stepsOf(r)).toContain('deliver REPLACED');
    expect(r.witness!.message).toMatch(/is on no disk/);
  });

  it('reuse-failed-nodes: the failed node is wiped while it holds another volume’s copy, which a destroyed disk then needed', () => {
    const r = row('reuse-failed-nodes', 'crash', 'durability');
    expect(r.verdict).toBe('violated');
    const steps = stepsOf(r);
    expect(steps).toContain('deliver WIPE');
    expect(steps.lastIndexOf('crash')).toBeGreaterThan(steps.indexOf('deliver WIPE'));
  });

  it('storm: after the heal, a node keeps searching for space that is not there, forever', () => {
    const r = row('storm', 'storm', 'eventually-redundant');
    expect(r.verdict).toBe('violated');
    const loop = r.trace!.slice(r.loopFrom!);
    expect(loop.some((s) => s.kind === 'deliver' && s.msg.type === 'NO_SPACE')).toBe(true);
    expect(row('storm', 'storm', 'negotiation-load').verdict).toBe('violated');
  });

  it('flaky: the false suspicion of a live peer really strikes the fix', () => {
    const coverage = runOf('fixed', 'flaky')[0]!.coverage!;
    const detector = coverage.machines.find((m) => m.machine === 'flaky-detector')!;
    expect(detector.transitions.missed).toEqual([]);
    expect(coverage.machines.find((m) => m.machine === 'ebs-node')!.transitions.missed).not.toContain('up on SUSPECT');
  });

  it('backoff-stalls-after-suspicion: the first fix, after a false suspicion and a destroyed disk, leaves a volume unserved for ever', () => {
    const r = row('backoff-stalls-after-suspicion', 'flaky-disk', 'eventually-available');
    expect(r.verdict).toBe('violated');
    const steps = stepsOf(r);
    expect(steps).toContain('deliver SUSPECT');
    expect(steps.indexOf('crash')).toBeGreaterThan(steps.indexOf('deliver SUSPECT'));
  });

  it('lost-probe-stalls-backoff: with no free slot, one lost PING leaves a backing-off replica waiting for ever', () => {
    const r = row('lost-probe-stalls-backoff', 'full', 'eventually-redundant');
    expect(r.verdict).toBe('violated');
    const steps = stepsOf(r);
    expect(steps).toContain('deliver NO_SPACE');
    // The shortest lasso loses its PING to the partition rather than to a later drop: either way no PING arrives.
    expect(steps).not.toContain('deliver PING');
    expect(renderStory(instantiate(reMirror, 'lost-probe-stalls-backoff', 'full'), r).join('\n')).toMatch(/PING \{[^}]*\} {2}\(lost: |the network loses PING/);
  });

  it('full-async: the fix backs off and rejoins with timers firing while messages are in flight', () => {
    const coverage = runOf('fixed', 'full-async')[0]!.coverage!;
    expect(coverage.timersInFlight!.some((t) => t.startsWith('PROBE at '))).toBe(true);
    expect(coverage.timersInFlight!.some((t) => t.startsWith('RETRY at '))).toBe(true);
    expect(coverage.faults.fired).toContain('message loss');
  });

  it('restart-empty-unreported: a node that restarts with its disk lost is never asked, and its free slot never used; the fix asks it', () => {
    const r = row('restart-empty-unreported', 'restart-empty', 'eventually-available');
    expect(r.verdict).toBe('violated');
    const steps = stepsOf(r);
    // The probe finds the peer empty, and that is as far as the ablation gets: the control plane never asks it.
    expect(steps.indexOf('deliver NOT_HELD')).toBeGreaterThan(steps.indexOf('restart'));
    expect(steps).not.toContain('deliver INVENTORY');
    // The fix on the same configuration takes both ends of the question: the node's answer and the control plane's use of EMPTY.
    const coverage = runOf('fixed', 'restart-empty')[0]!.coverage!;
    expect(coverage.machines.find((m) => m.machine === 'ebs-node')!.transitions.missed).not.toContain('up on INVENTORY');
    expect(coverage.machines.find((m) => m.machine === 'control-plane')!.transitions.missed).not.toContain('serving on EMPTY');
    expect(coverage.restarted).toContain('n3');
  });

  it('ownership-by-request: a request from the grant target counts as its confirmation, and a volume never becomes redundant again', () => {
    expect(row('ownership-by-request', 'writes', 'eventually-redundant').verdict).toBe('violated');
  });
});

// Random search: test/random-search.test.ts finds every violation a re-mirror variant must have, on every configuration it is checked on, on seeds 1–5.

describe('re-mirror model: linearizable judges the write and reads an instance saw', () => {
  // A run the first block made, or an exhaustive one made here: each is explored once per file.
  const linearizableOn = (variant: string, config: string) => {
    if (!runs.has(key(variant, config))) runs.set(key(variant, config), checkExhaustive(instantiate(reMirror, variant, config)));
    return row(variant, config, 'linearizable');
  };

  it('holds on fixed with a writer, from a complete search and in random runs; and the instance does read its acknowledged write back', () => {
    const r = linearizableOn('fixed', 'writes');
    expect([r.verdict, r.complete]).toEqual(['holds', true]);
    const random = checkRandom(instantiate(reMirror, 'fixed', 'writes'), { seed: 7, runs: 200 }).find((x) => x.property === 'linearizable')!;
    expect(random.verdict).toBe('holds');
    // Not held vacuously: the read through the pair is answered, in the fix, after the write (the safeguard's transition is taken).
    const node = r.coverage!.machines.find((m) => m.machine === 'ebs-node')!;
    expect(node.transitions.missed).not.toContain('up on READ_CHECK');
  });

  it('reads-unconfirmed: a replica replaced while cut off serves its stale copy after the heal', () => {
    const r = linearizableOn('reads-unconfirmed', 'writes');
    expect(r.verdict).toBe('violated');
    expect(r.witness!.message).toBe("read 1 of v1 returned version 0 after the write had been answered: no order of c1's operations (write: ok; read: version 0) gives that");
    // The stale answer comes from n1, the replica the control plane replaced while it was cut off.
    const last = r.trace!.slice(-2) as Array<{ kind: string; from?: string; msg?: { type: string } }>;
    expect(last.map((a) => [a.kind, a.from, a.msg?.type])).toEqual([
      ['deliver', 'c1', 'READ'],
      ['deliver', 'n1', 'READ_RESULT'],
    ]);
    const story = renderStory(instantiate(reMirror, 'reads-unconfirmed', 'writes'), r).join('\n');
    expect(story).toMatch(/so the write and read 1 cannot be ordered: read 1 was issued after the write had been answered/);
    // Random search finds it too: 'breaks every variant that must break a safety property' (above) runs it, at 1,000 behaviours.
    expect(reMirror.variants['reads-unconfirmed']!.expect.linearizable).toBe('violated');
  });

  it('release-before-confirm loses the data but never serves a stale copy: an unanswered read is pending, so only durability sees the loss', () => {
    expect(linearizableOn('release-before-confirm', 'writes').verdict).toBe('holds');
  });

  it('the corpus holds reads-unconfirmed breaking it, and the file still replays', () => {
    const file = join('counterexamples', 're-mirror', 'reads-unconfirmed--linearizable.replay.json');
    const outcome = replay(readFileSync(file, 'utf8'), file, [reMirror]);
    expect(outcome.reproduced, outcome.message).toBe(true);
  });
});
