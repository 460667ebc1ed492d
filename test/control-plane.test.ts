import { describe, expect, test } from 'vitest';
import { checkExhaustive, checkRandom, checkedConfigs, instantiate, type CheckResult } from '../src/index.js';
import type { CallMsg } from '../models/control-plane/messages.js';
import { admission, type ControlPlanePolicy, type Hold, type PoolView } from '../models/control-plane/pool.js';
import { controlPlane } from '../properties/control-plane.js';

const variants = Object.keys(controlPlane.variants);
const kindOf = (v: string) => controlPlane.variants[v]!.kind!;
const mustBreak = variants.filter((v) => ['as-it-happened', 'without-safeguard', 'ablation', 'failed-fix'].includes(kindOf(v)));
const fixed = variants.filter((v) => kindOf(v) === 'fixed');
const [config] = checkedConfigs(controlPlane, 'exhaustion-fixed');

const exhaustive = new Map<string, CheckResult[]>();
/** Each variant on the checked configuration, explored once and shared by the tests below. */
function explored(variant: string): CheckResult[] {
  if (!exhaustive.has(variant)) exhaustive.set(variant, checkExhaustive(instantiate(controlPlane, variant, config)));
  return exhaustive.get(variant)!;
}
const row = (variant: string, property: string) => explored(variant).find((r) => r.property === property)!;

describe(`control plane on '${config}': the verdicts exploration finds`, () => {
  test.each(variants)('%s: every exhaustive verdict is the one the variant declares', (variant) => {
    const verdicts = Object.fromEntries(explored(variant).map((r) => [r.property, r.verdict]));
    expect(verdicts).toEqual(controlPlane.variants[variant]!.expect);
  });

  test.each(mustBreak)('%s: random search breaks every property exhaustive search breaks', (variant) => {
    const broken = explored(variant).filter((r) => r.verdict === 'violated').map((r) => r.property);
    expect(broken.length).toBeGreaterThan(0);
    const random = checkRandom(instantiate(controlPlane, variant, config), { seed: 1, runs: 1000 });
    expect(random.filter((r) => r.verdict === 'violated').map((r) => r.property)).toEqual(expect.arrayContaining(broken));
  });

  test.each(fixed)('%s: holds over the whole reachable space, not within a bound', (variant) => {
    for (const r of explored(variant).filter((r) => r.kind === 'always')) {
      expect([r.property, r.verdict, r.complete]).toEqual([r.property, 'holds', true]);
    }
  });
});

describe('the checked configuration exercises what each fix claims to survive', () => {
  test.each(fixed)('%s: a message is lost, every safeguard path is taken, and a timer fires while its answer is on the way', (variant) => {
    const coverage = explored(variant)[0]!.coverage!;
    expect(coverage.faults.never).toEqual([]);
    expect(coverage.faults.fired).toContain('message loss');
    for (const [name, s] of Object.entries(controlPlane.variants[variant]!.safeguards ?? {})) {
      for (const t of s.transitions ?? []) {
        const machine = coverage.machines.find((m) => m.machine === t.machine)!;
        expect(machine.transitions.missed, `${name}: ${t.transition}`).not.toContain(t.transition);
      }
    }
    // A customer resent a call whose answer was already in flight: its failure detector suspected a live control plane.
    expect(row(variant, 'caller-suspects-live-peer').verdict).toBe('holds');
  });
});

describe('the stories', () => {
  test('12:50 AM: the degraded zone\'s abandoned calls keep their threads until a healthy zone is refused', () => {
    const r = row('exhaustion', 'healthy-az-served');
    expect(r.witness!.message).toMatch(/turned away \(REFUSED\) create-volume #1 from az2-c\d.*the pool was full \(threads per zone: az1 2, az2 1\)/);
    // The customer gave up on its first call and called again while the first still held its thread.
    expect(r.trace!.filter((a) => a.kind === 'request' && a.process === 'az1-c1')).toHaveLength(2);
  });

  test('the failed static-share attempt sheds a healthy zone\'s second customer with the degraded zone idle', () => {
    const r = row('static-share-limit', 'healthy-az-served');
    expect(r.witness!.message).toMatch(/\(SHED\).*from az2-c\d.*threads per zone: az1 0, az2 1/);
  });

  test('the leaky time-out answers its caller and keeps the thread', () => {
    expect(row('leaky-timeout', 'no-thread-leak').witness!.message).toMatch(/still holds az1-c1's create-volume #1, which was answered "timed out"/);
  });

  test('5:30 AM: a refused negotiation comes straight back within the same tick', () => {
    expect(row('brownout', 'negotiation-load-bounded').witness!.message).toMatch(/az1-v\d sent negotiation #\d twice or more/);
  });
});

describe('admission: shedding only when over capacity', () => {
  const policy: ControlPlanePolicy = { zones: ['az1', 'az2'], degradedAz: 'az1', timeout: { from: 'sent', ticks: 2 }, refuseLate: true, dedup: true, shedding: 'over-capacity', releaseOnTimeout: true };
  const hold = (az: string, id: number): Hold => ({ from: `${az}-c${id}`, az, kind: 'create-volume', id: 1, sent: 0, since: 0, answered: false });
  const pool = (holds: Hold[], size: number): PoolView => ({ clock: 0, threads: [...holds, ...Array.from({ length: size - holds.length }, () => null)], latest: {}, policy });
  const call = (az: string, from = `${az}-c9`): CallMsg => ({ type: 'CALL', from, az, kind: 'create-volume', id: 1, sent: 0 });

  test('a zone below its fair share gets a thread whenever one is free', () => {
    expect(admission(pool([hold('az1', 1), hold('az1', 2), hold('az1', 3)], 4), call('az2')).kind).toBe('take');
  });

  test('a zone at its share takes spare threads, but not those the other zones still need', () => {
    expect(admission(pool([hold('az1', 1), hold('az1', 2)], 4), call('az1')).kind).toBe('shed');
    expect(admission(pool([hold('az1', 1), hold('az1', 2), hold('az2', 1), hold('az2', 2)], 5), call('az1')).kind).toBe('take');
  });

  test('a copy of a call already served takes no thread, and a late call is timed out without one', () => {
    expect(admission({ ...pool([], 4), latest: { 'az2-c9': 1 } }, call('az2')).kind).toBe('ignore');
    expect(admission({ ...pool([], 4), clock: 2 }, call('az2')).kind).toBe('late');
  });
});
