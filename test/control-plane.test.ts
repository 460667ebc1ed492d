import { describe, expect, test } from 'vitest';
import { checkExhaustive, instantiate, type CheckResult, type WorldView } from '../src/index.js';
import { sizedConfig } from '../models/control-plane/world.js';
import { controlPlane, noThreadLeak } from '../properties/control-plane.js';

const results = new Map<string, CheckResult[]>();
/** Each variant on the default configuration, explored once and shared by the tests below. */
function check(variant: string): CheckResult[] {
  if (!results.has(variant)) results.set(variant, checkExhaustive(instantiate(controlPlane, variant)));
  return results.get(variant)!;
}
const row = (variant: string, property: string) => check(variant).find((r) => r.property === property)!;

describe('control plane: thread starvation across AZs (default config: 2 threads, 2 AZs)', () => {
  test.each(Object.keys(controlPlane.variants))('%s: every verdict is the one the variant declares', (variant) => {
    const verdicts = Object.fromEntries(check(variant).map((r) => [r.property, r.verdict]));
    expect(verdicts).toEqual(controlPlane.variants[variant]!.expect);
  });

  test.each(['fixed', 'brownout-fixed'])('%s: the properties that hold were proved over the whole reachable space', (variant) => {
    for (const r of check(variant).filter((r) => r.kind === 'always')) {
      expect(r.complete, r.property).toBe(true);
      expect(r.verdict, r.property).toBe('holds');
    }
  });

  test('buggy: the starvation witness tells which request took which thread at which tick', () => {
    const r = row('buggy', 'healthy-az-served');
    expect(r.witness!.message).toBe(
      "at tick 1 the control plane refused create-volume #1 from az2, a healthy AZ, for want of a thread: t1 held by az1's create-volume #1 since tick 0 and t2 held by az1's create-volume #2 since tick 1; 2 of the 2 threads are waiting on az1's degraded cluster, which never answers, until a 2-tick time-out",
    );
    expect(r.witness!.message).toMatch(/\bt\d held by .* since tick \d/);
    // The pool filled over time: the shortest story needs a tick between az1's two calls.
    expect(r.trace!.map((a) => a.kind)).toContain('tick');
    expect(r.traceLength).toBe(7);
  });

  test('brownout: negotiations take every thread, and refused ones come straight back', () => {
    expect(row('brownout', 'healthy-az-served').witness!.message).toMatch(/t1 held by az1's negotiation for volume 1 since tick 0 and t2 held by az1's negotiation for volume 2/);
    const load = row('brownout', 'negotiation-load-bounded');
    expect(load.witness!.message).toMatch(/received 3 negotiations .* more than its 2 threads/);
    const refusedThenRetried = load.trace!.slice(-2).map((a) => (a.kind === 'deliver' ? `${a.to}:${a.msg.type}` : a.kind));
    expect(refusedThenRetried).toEqual(['ebs-az1:ANSWER', 'cp:CALL']);
  });

  test('brownout-fixed: the throttle bounds the load even with more stuck volumes than threads', () => {
    const rows = checkExhaustive(instantiate(controlPlane, 'brownout-fixed', 'many-stuck-volumes'));
    for (const r of rows) expect([r.property, r.verdict, r.complete]).toEqual([r.property, 'holds', true]);
  });

  test('fixed needs a thread per AZ: with 2 threads and 3 AZs a healthy AZ is still refused', () => {
    const small = { ...controlPlane, configs: { 'p2-az3': sizedConfig(2, 3) } };
    const served = checkExhaustive(instantiate(small, 'fixed')).find((r) => r.property === 'healthy-az-served')!;
    expect(served.verdict).toBe('violated');
    expect(served.witness!.message).toMatch(/refused create-volume #1 from az3/);
  });
});

describe('no-thread-leak', () => {
  /** A hand-made world view: the control plane's pool and the callers' outstanding requests, no messages. */
  const viewOf = (threads: unknown[], outstanding: number[]): WorldView =>
    ({
      processNames: ['cp', 'az1'],
      messages: () => [],
      process: (name: string) => ({
        name,
        context: name === 'cp' ? { clock: 2, threads, negotiationsThisTick: 0, policy: { timeout: 1, perAzLimit: 1, degradedAz: 'az1' } } : { az: 'az1', outstanding },
      }),
    }) as unknown as WorldView;
  const hold = { from: 'az1', az: 'az1', kind: 'create-volume', id: 1, since: 0 };

  test('flags a thread that still holds a call its caller no longer awaits', () => {
    expect(noThreadLeak.check(viewOf([hold, null], []))).toMatchObject({ message: expect.stringMatching(/^t1 still holds az1's create-volume #1/) });
  });

  test('flags an awaited call that is nowhere: neither on its way, nor on a thread, nor answered', () => {
    expect(noThreadLeak.check(viewOf([null, null], [1]))).toMatchObject({ message: expect.stringMatching(/call 1 is in 0 places/) });
  });

  test('accepts a thread that serves an awaited call', () => {
    expect(noThreadLeak.check(viewOf([null, hold], [1]))).toBeUndefined();
  });
});
