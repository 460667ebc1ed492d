import { describe, expect, test } from 'vitest';
import { checkExhaustive, instantiate, type WorldView } from '../src/index.js';
import { PROTOCOL_KINDS } from '../src/world/actions.js';
import { WorldView as View } from '../src/world/world-view.js';
import { eventuallyAvailable, rdsFailover } from '../properties/rds-failover.js';

const variants = Object.keys(rdsFailover.variants);
const configs = Object.keys(rdsFailover.configs);

describe('rds-failover: every verdict comes out of exploration as declared, exhaustively', () => {
  for (const config of configs) {
    for (const variant of variants) {
      test(`${config} / ${variant}`, () => {
        const results = checkExhaustive(instantiate(rdsFailover, variant, config));
        expect(results.map((r) => r.property).sort()).toEqual(Object.keys(rdsFailover.variants[variant]!.expect).sort());
        for (const r of results) {
          expect({ property: r.property, verdict: r.verdict, complete: r.complete }).toEqual({ property: r.property, verdict: r.expected, complete: true });
        }
      });
    }
  }
});

/** The descriptors of a trace as short words, to pin the story people read. */
const steps = (trace: { kind: string; [k: string]: any }[] = []) =>
  trace.map((a) =>
    a.kind === 'deliver' ? `${a.from}->${a.to} ${a.msg.type}` : a.kind === 'timeout' || a.kind === 'request' ? `${a.process} ${a.event.type}${a.event.record ? `(${a.event.record})` : ''}` : `${a.kind} ${a.process ?? a.partition}`,
  );

describe('rds-failover: the stories', () => {
  test('buggy: the partition, then the stuck volume, leave the agent unable to fail over', () => {
    const r = checkExhaustive(instantiate(rdsFailover, 'buggy')).find((x) => x.property === 'no-manual-intervention')!;
    expect(steps(r.trace)).toEqual(['partition zone a cut off', 'db-a PEER_LOST', 'agent PRIMARY_DOWN(unknown)', 'crash vol-a']);
    expect(r.witness!.message).toMatch(/cannot tell whether db-a acknowledged commits that db-b lacks and does not fail over/);
  });

  test('naive-failover: the promoted standby lacks a commit the isolated primary acknowledged alone', () => {
    const r = checkExhaustive(instantiate(rdsFailover, 'naive-failover')).find((x) => x.property === 'no-lost-commits')!;
    expect(steps(r.trace)).toEqual([
      'client COMMIT',
      'client->db-a COMMIT',
      'db-a->vol-a WRITE',
      'vol-a->db-a WRITTEN',
      'partition zone a cut off',
      'db-a PEER_LOST',
      'db-a->vol-a MARK_PEER_OUTDATED',
      'vol-a->db-a MARKED',
      'db-a->client ACK',
      'agent PRIMARY_DOWN(unknown)',
    ]);
    expect(r.witness!.message).toBe(
      'commit 1 was acknowledged to the application, but the standby db-b, which the agent fails over to in epoch 2, does not hold it. It exists only on vol-a, the old primary\'s volume.',
    );
  });
});

/**
 * A sound, partial liveness check until the engine decides `eventually`: a
 * quiescent state is one where every enabled protocol action leads back to it.
 * A weakly fair behaviour may stay there for ever (faults are never owed), so a
 * quiescent state reachable from a trigger state without passing the goal, and
 * where the goal is false, is a violation. Its absence is necessary, not
 * sufficient, for the property to hold.
 */
function quiescentViolation(variant: string, config?: string): string | undefined {
  const { world } = instantiate(rdsFailover, variant, config);
  const view = (s: string): WorldView => new View(world, s);
  const seen = new Set<string>();
  const owed = new Set<string>();
  const queue = world.initialStates();
  for (const s of queue) seen.add(s);
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    const v = view(s);
    const goal = eventuallyAvailable.goal(v);
    const isOwed = !goal && (owed.has(s) || eventuallyAvailable.trigger!(v));
    const actions = world.actions(s);
    if (isOwed) {
      owed.add(s);
      const protocol = actions.filter((a) => PROTOCOL_KINDS.has(a.kind));
      if (protocol.every((a) => world.nextState(s, a) === s)) return s;
    }
    for (const a of actions) {
      const next = world.nextState(s, a);
      if (isOwed) owed.add(next);
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return undefined;
}

describe('rds-failover: eventually-available, cross-checked by a partial check independent of the engine', () => {
  test('buggy: a fair behaviour stays unavailable for ever after the primary zone is impaired', () => {
    const stuck = quiescentViolation('buggy');
    expect(stuck).toBeDefined();
  });
  for (const variant of ['naive-failover', 'fixed']) {
    for (const config of configs) {
      test(`${variant} / ${config}: no quiescent unavailable state after the trigger`, () => {
        expect(quiescentViolation(variant, config)).toBeUndefined();
      });
    }
  }
});
