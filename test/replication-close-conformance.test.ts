import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { createNodeHarness, type NodeHarness } from '../models/replication-close/harness.js';
import { createReplicationNodeMachine, pendingCalls, sessionRows, type MachineVariant, type NodeModelContext } from '../models/replication-close/machine.js';
import { ManualCalls, settle } from '../models/replication-close/manual-calls.js';
import type { Op } from '../models/replication-close/types.js';

/**
 * Model-based conformance: the async node and its xstate model are driven
 * through the same schedules (which request arrives, which awaited call
 * returns, in what order) and must report the same answers, writes, channel
 * closes, crash, session table and outstanding calls after every step.
 */

type Machine = ReturnType<typeof createReplicationNodeMachine>;

function observeNode(h: NodeHarness, calls: ManualCalls) {
  const j = h.journal;
  const crash = j.find((e) => e.kind === 'crash');
  return {
    down: h.down,
    answers: j.flatMap((e) => (e.kind === 'answer' ? [{ req: e.req, answer: e.answer }] : [])),
    writes: j.flatMap((e) => (e.kind === 'write' ? [{ channel: e.channel, chunk: e.chunk, open: e.open }] : [])),
    closes: j.flatMap((e) => (e.kind === 'close' ? [{ channel: e.channel, ok: e.ok }] : [])),
    crash: crash?.kind === 'crash' ? { req: crash.req, error: crash.error } : null,
    sessions: h.node.sessions(),
    pending: h.down ? [] : calls.pending.map((p) => p.req).sort((a, b) => a - b),
  };
}

function observeModel(s: SnapshotFrom<Machine>) {
  const c = s.context as NodeModelContext;
  const down = s.value === 'down';
  return { down, answers: c.answers, writes: c.writes, closes: c.closes, crash: c.crash, sessions: sessionRows(c), pending: down ? [] : pendingCalls(c) };
}

const arrival = fc.record({ op: fc.constantFrom<Op>('open', 'progress', 'close'), session: fc.constantFrom('s1', 's2') });

/** Steps both through one schedule, comparing after every step; returns how far it got and whether the node went down. */
async function conforms(variant: MachineVariant, arrivals: { op: Op; session: string }[], choices: number[]): Promise<{ steps: number; down: boolean; lostWrites: number }> {
  const machine = createReplicationNodeMachine(variant);
  let [snapshot] = initialTransition(machine);
  const calls = new ManualCalls();
  const harness = createNodeHarness(variant, calls);
  let next = 0;
  let steps = 0;
  for (const choice of choices) {
    const returns = calls.pending.map((p) => p.req);
    const options = next < arrivals.length ? ['arrive', ...returns] : returns;
    if (options.length === 0 || harness.down) break;
    const pick = options[choice % options.length]!;
    if (pick === 'arrive') {
      const request = { req: next + 1, ...arrivals[next]! };
      next += 1;
      harness.send(request);
      [snapshot] = transition(machine, snapshot, { type: 'REQUEST', ...request });
    } else {
      calls.complete(pick as number);
      [snapshot] = transition(machine, snapshot, { type: 'RETURN', req: pick as number });
    }
    await settle();
    steps += 1;
    expect(observeModel(snapshot), `after step ${steps}`).toEqual(observeNode(harness, calls));
  }
  return { steps, down: harness.down, lostWrites: harness.journal.filter((e) => e.kind === 'write' && !e.open).length };
}

describe('replication-close: the xstate model conforms to the async node', () => {
  for (const variant of ['buggy', 'fixed'] as const) {
    test(`${variant}: same reports on 300 random schedules`, async () => {
      const seen = { steps: 0, down: 0, lostWrites: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(arrival, { maxLength: 10 }), fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), async (arrivals, choices) => {
          const r = await conforms(variant, arrivals, choices);
          seen.steps += r.steps;
          seen.down += r.down ? 1 : 0;
          seen.lostWrites += r.lostWrites;
        }),
        { seed: 20110421, numRuns: 300 },
      );
      expect(seen.steps).toBeGreaterThan(1500);
      // The comparison must cover the race itself, not only the calm paths.
      if (variant === 'buggy') expect(Math.min(seen.down, seen.lostWrites)).toBeGreaterThan(0);
      else expect(seen).toMatchObject({ down: 0, lostWrites: 0 });
    });
  }

  test('the buggy model goes down on the counterexample schedule, the fixed one answers both closes', () => {
    const schedule = [
      { type: 'REQUEST', req: 1, op: 'open', session: 's1' },
      { type: 'RETURN', req: 1 },
      { type: 'REQUEST', req: 2, op: 'close', session: 's1' },
      { type: 'REQUEST', req: 3, op: 'close', session: 's1' },
      { type: 'RETURN', req: 2 },
      { type: 'RETURN', req: 3 },
    ] as const;
    const run = (variant: MachineVariant) => {
      const machine = createReplicationNodeMachine(variant);
      let [s] = initialTransition(machine);
      for (const e of schedule) [s] = transition(machine, s, e);
      return s;
    };
    const buggy = run('buggy');
    expect(buggy.value).toBe('down');
    expect(buggy.context.crash).toEqual({ req: 3, error: 'EBADF: channel 1 (s1) is already closed' });
    const fixed = run('fixed');
    expect(fixed.value).toBe('up');
    expect(fixed.context.answers).toEqual([
      { req: 1, answer: 'opened' },
      { req: 2, answer: 'closed' },
      { req: 3, answer: 'closed' },
    ]);
  });
});
