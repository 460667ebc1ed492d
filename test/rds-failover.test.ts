import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { replay } from '../src/check/replay.js';
import { checkExhaustive, checkRandom, checkedConfigs, instantiate, type CheckResult, type WorldView } from '../src/index.js';
import { WorldView as View } from '../src/world/world-view.js';
import { rdsFailover } from '../properties/rds-failover.js';
import type { AgentContext } from '../models/rds-failover/agent.js';
import type { DatabaseContext } from '../models/rds-failover/database.js';

const variants = Object.keys(rdsFailover.variants);
const pairs = variants.flatMap((variant) => checkedConfigs(rdsFailover, variant).map((config) => [variant, config] as const));
const MUST_BREAK = new Set(['as-it-happened', 'without-safeguard', 'ablation', 'failed-fix']);

const exhaustive = new Map<string, CheckResult[]>();
function explore(variant: string, config: string): CheckResult[] {
  const key = `${variant}@${config}`;
  if (!exhaustive.has(key)) exhaustive.set(key, checkExhaustive(instantiate(rdsFailover, variant, config)));
  return exhaustive.get(key)!;
}
const row = (variant: string, config: string, property: string) => explore(variant, config).find((r) => r.property === property)!;

describe('rds-failover: every verdict comes out of exhaustive exploration as declared, on every configuration the check runs', () => {
  test.each(pairs)('%s on %s', (variant, config) => {
    const results = explore(variant, config);
    expect(results.map((r) => r.property).sort()).toEqual(Object.keys(rdsFailover.variants[variant]!.expect).sort());
    for (const r of results) {
      expect({ property: r.property, verdict: r.verdict }).toEqual({ property: r.property, verdict: r.expected });
      // A property that holds was proved over the whole reachable graph, never up to a bound.
      if (r.verdict === 'holds') expect(r.complete, r.property).toBe(true);
    }
  });
});

describe('rds-failover: random search finds every violation too', () => {
  const breaking = pairs.filter(([variant]) => MUST_BREAK.has(rdsFailover.variants[variant]!.kind!));
  test.each(breaking)('%s on %s', (variant, config) => {
    const results = checkRandom(instantiate(rdsFailover, variant, config), { seed: 1, runs: 1000 });
    for (const r of results.filter((x) => x.expected === 'violated')) expect({ property: r.property, verdict: r.verdict }).toEqual({ property: r.property, verdict: 'violated' });
  });
  test.each(checkedConfigs(rdsFailover, 'fixed'))('fixed on %s: no random run breaks it', (config) => {
    const results = checkRandom(instantiate(rdsFailover, 'fixed', config), { seed: 1, runs: 200 });
    for (const r of results) expect({ property: r.property, verdict: r.verdict }).toEqual({ property: r.property, verdict: 'holds' });
  });
});

/** What one exhaustive walk of the fixed variant's graph saw happen: the behaviours the verification claims to cover. */
function exercised(config: string): Set<string> {
  const { world } = instantiate(rdsFailover, 'fixed', config);
  const seen = new Set<string>();
  const queue = [...world.initialStates()];
  const visited = new Set(queue);
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    const w: WorldView = new View(world, s);
    const agent = w.process('agent');
    const primary = w.process('db-a');
    const inFlight = (type: string, match: (m: Record<string, unknown>) => boolean) => w.messages().some((m) => m.msg.type === type && match(m.msg));
    const standby = w.process('db-b');
    if (standby.is('serving') && inFlight('REPLICATE', (m) => (m.epoch as number) < (standby.context as DatabaseContext).epoch)) seen.add("the old epoch's replication was in flight to the promoted standby");
    if (primary.is('serving')) {
      const p = (primary.context as DatabaseContext).pending;
      if (p && !p.replicated && inFlight('REPL_ACK', (m) => m.id !== p.id)) seen.add('an acknowledgement of an earlier commit was in flight while the primary waited on a later one');
    }
    for (const a of world.actions(s)) {
      const d = a.descriptor as { kind: string; process?: string; to?: string; event?: { type: string }; msg?: Record<string, unknown> & { type: string } };
      if (d.kind === 'drop') seen.add('a message lost');
      if (d.kind === 'crash') seen.add(`crash ${d.process}`);
      if (d.kind === 'timeout' && d.process === 'agent' && !agent.crashed) {
        const epoch = (agent.context as AgentContext).epoch;
        // The agent's record says fencing, so no report of this epoch was received yet.
        if (d.event!.type === 'FENCE_TIMEOUT' && agent.is('fencing') && inFlight('FENCED', (m) => m.epoch === epoch)) seen.add("the agent gave up waiting while the fenced primary's report was on its way");
        if (d.event!.type === 'RETRY' && agent.is('promoting') && inFlight('PROMOTED', (m) => m.epoch === epoch)) seen.add('the agent resent PROMOTE while its acknowledgement was on its way');
      }
      if (d.kind === 'timeout' && d.process === 'db-a' && d.event!.type === 'RETRY' && primary.is('serving')) {
        const p = (primary.context as DatabaseContext).pending;
        if (p && !p.replicated && inFlight('REPL_ACK', (m) => m.id === p.id && m.epoch === (primary.context as DatabaseContext).epoch)) seen.add('the primary resent a replication whose acknowledgement was on its way');
      }
      const next = world.nextState(s, a);
      if (!visited.has(next)) {
        visited.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

const ASYNC = [
  "the agent gave up waiting while the fenced primary's report was on its way",
  'the agent resent PROMOTE while its acknowledgement was on its way',
  'the primary resent a replication whose acknowledgement was on its way',
  "the old epoch's replication was in flight to the promoted standby",
];
const FAULTS: Record<string, string[]> = {
  'partition-then-stuck': ['crash vol-a'],
  'stuck-lossy': ['crash vol-a', 'a message lost'],
  'stuck-agent-crash': ['crash vol-a', 'crash agent'],
  'stuck-standby-crash': ['crash vol-a', 'crash db-b'],
  'two-commits': ['crash vol-a', 'an acknowledgement of an earlier commit was in flight while the primary waited on a later one'],
};

describe('rds-failover: each configuration the fixed variant is verified on exercises what it claims', () => {
  test('the fixed variant is checked on every configuration listed here', () => {
    expect(checkedConfigs(rdsFailover, 'fixed').sort()).toEqual(Object.keys(FAULTS).sort());
  });
  test.each(checkedConfigs(rdsFailover, 'fixed'))('fixed on %s: timers fire while answers are in flight, and its faults strike', (config) => {
    const seen = exercised(config);
    for (const claim of [...ASYNC, ...FAULTS[config]!]) expect(seen, claim).toContain(claim);
  });
  test.each(checkedConfigs(rdsFailover, 'fixed'))('fixed on %s: every declared fault fired and every transition a safeguard adds was taken', (config) => {
    const coverage = row('fixed', config, 'no-lost-commits').coverage!;
    expect(coverage.faults.never).toEqual([]);
    for (const s of Object.values(rdsFailover.variants.fixed!.safeguards!)) {
      for (const t of s.transitions ?? []) {
        const machine = coverage.machines.find((m) => m.machine === t.machine)!;
        expect(machine.transitions.missed, `${t.machine}: ${t.transition}`).not.toContain(t.transition);
      }
    }
  });
  test('the path to a person exists in the fixed agent, and only the safeguard keeps it closed', () => {
    const agent = (variant: string, config: string) => row(variant, config, 'no-manual-intervention').coverage!.machines.find((m) => m.machine === 'agent')!;
    expect(agent('fixed', 'partition-then-stuck').states.missed).toContain('awaiting-operator');
    expect(agent('fixed-without-sync-only', 'partition-then-stuck').states.visited).toContain('awaiting-operator');
  });
});

/** The descriptors of a trace as short words, to pin the story people read. */
const steps = (trace: { kind: string; [k: string]: any }[] = []) =>
  trace.map((a) =>
    a.kind === 'deliver' ? `${a.from}->${a.to} ${a.msg.type}` : a.kind === 'timeout' || a.kind === 'request' ? `${a.process} ${a.event.type}` : `${a.kind} ${a.process ?? a.partition}`,
  );

describe('rds-failover: the stories', () => {
  test('buggy: the cut, then stuck I/O before the mark is on disk, leave the agent only a person to call', () => {
    const r = row('buggy', 'partition-then-stuck', 'no-manual-intervention');
    expect(steps(r.trace)).toEqual([
      'partition zone a cut off',
      'db-a PEER_LOST',
      'heal zone a cut off',
      'crash vol-a',
      'agent SUSPECT',
      'agent->db-a FENCE',
      'db-a->agent FENCED',
    ]);
    expect(r.witness!.message).toMatch(/had begun marking it out of date; the agent cannot vouch for db-b/);
  });

  test('buggy: the 2011 agent never loses a commit: its caution works', () => {
    expect(row('buggy', 'partition-then-stuck', 'no-lost-commits').verdict).toBe('holds');
    expect(row('buggy', 'partition-then-stuck', 'single-writer').verdict).toBe('holds');
  });

  test('naive-failover: the promoted standby lacks a commit the isolated primary acknowledged alone', () => {
    const r = row('naive-failover', 'partition-then-stuck', 'no-lost-commits');
    expect(r.witness!.message).toBe("commit 1 was acknowledged to the application, but the standby db-b, which the agent fails over to in epoch 2, does not hold it. It exists only on vol-a, the old primary's volume.");
  });

  test('first-fix: one lost PROMOTE and the standby is never promoted', () => {
    const r = row('first-fix', 'stuck-lossy', 'promotion-completes');
    expect(r.trace!.some((a) => a.kind === 'drop' && (a as { msg: { type: string } }).msg.type === 'PROMOTE')).toBe(true);
  });
});

describe('rds-failover: linearizable judges the commits and reads the application saw', () => {
  const LOSES_ACKED = ['naive-failover', 'fixed-without-sync-only'];

  // Random search over the same pairs is the block 'random search finds every violation too' above: every property, linearizable included.
  test('random search judges it wherever it is declared', () => {
    for (const variant of ['fixed', ...LOSES_ACKED]) expect(Object.keys(rdsFailover.variants[variant]!.expect)).toContain('linearizable');
  });

  test.each(checkedConfigs(rdsFailover, 'fixed'))('holds on fixed on %s, from a complete search', (config) => {
    expect(row('fixed', config, 'linearizable')).toMatchObject({ verdict: 'holds', complete: true });
  });

  test.each(LOSES_ACKED)('%s loses an acknowledged commit: a read after the failover misses it', (variant) => {
    for (const config of checkedConfigs(rdsFailover, variant)) {
      const r = row(variant, config, 'linearizable');
      expect(r.verdict).toBe('violated');
      // The read the application made after commit 1 was acknowledged is answered by the promoted standby, without it.
      expect(steps(r.trace).slice(-2)).toEqual(['client->db-b READ', 'db-b->client READ_RESULT']);
      expect(r.witness!.message).toBe("read 1 returned [] after commit 1 had been answered: no order of the application's operations (commit 1: ok; read: []) gives that");
    }
  });

  test('the 2011 variant keeps it: its agent never fails over to a standby that lacks a commit', () => {
    expect(row('buggy', 'partition-then-stuck', 'linearizable').verdict).toBe('holds');
  });

  test('on fixed, the application does read from the promoted standby after an acknowledged commit: the property is not held vacuously', () => {
    const { world } = instantiate(rdsFailover, 'fixed', 'partition-then-stuck');
    const queue = [...world.initialStates()];
    const visited = new Set(queue);
    let seen = false;
    for (let i = 0; i < queue.length && !seen; i++) {
      const w: WorldView = new View(world, queue[i]!);
      seen = w.messages().some((m) => m.msg.type === 'READ_RESULT' && m.msg.from === 'db-b' && (m.msg.log as number[]).includes(1));
      for (const a of world.actions(queue[i]!)) {
        const next = world.nextState(queue[i]!, a);
        if (!visited.has(next)) visited.add(next), queue.push(next);
      }
    }
    expect(seen).toBe(true);
  });

  test.each(LOSES_ACKED)('the corpus holds %s breaking it, and the file still replays', (variant) => {
    const file = join('counterexamples', 'rds-failover', `${variant}--linearizable.replay.json`);
    const outcome = replay(readFileSync(file, 'utf8'), file, [rdsFailover]);
    expect(outcome.reproduced, outcome.message).toBe(true);
    expect(readFileSync(file.replace(/\.replay\.json$/, '.md'), 'utf8')).toMatch(/so commit 1 and read 1 cannot be ordered: read 1 was issued after commit 1 had been answered/);
  });
});
