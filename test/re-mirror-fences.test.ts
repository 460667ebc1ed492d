import { describe, expect, it } from 'vitest';
import { reMirror } from '../properties/re-mirror.js';
import { checkExhaustive, instantiate, type ActionDescriptor, type CheckResult } from '../src/index.js';
import type { RemirrorConfig } from '../models/re-mirror/world.js';

/**
 * The fences on RELEASE/PAIRED/COPY and on WIPE: each ablation breaks durability on the configuration made of
 * exactly the faults its counterexample needs, and the asynchrony it needs is really needed (on a quiet network,
 * with the same faults otherwise, the same ablation holds, from a complete search).
 */
const durabilityOf = (variant: string, config: RemirrorConfig): CheckResult => {
  const model = { ...reMirror, configs: { ...reMirror.configs, probe: config } };
  return checkExhaustive(instantiate(model, variant, 'probe')).find((r) => r.property === 'durability')!;
};
const steps = (r: CheckResult) => r.trace!.map((a: ActionDescriptor) => ('msg' in a ? `${a.kind} ${a.msg.type}${a.kind === 'deliver' ? ` ${a.to}` : ''}` : a.kind));
const withTimers = (config: string, anyTime: RemirrorConfig['anyTime']): RemirrorConfig => ({ ...reMirror.configs[config]!, anyTime });

describe('re-mirror fence-release: a duplicate COPY of a resent grant', () => {
  it('releases-unfenced: the duplicate COPY overwrites the acknowledged write on the new replica, and a lost disk loses it', () => {
    const r = durabilityOf('releases-unfenced', reMirror.configs['resend-async']!);
    expect([r.verdict, r.trace!.length]).toEqual(['violated', 16]);
    const s = steps(r);
    const ack = s.indexOf('deliver ACK c1');
    // Two COPYs reach n3: the second after n3 acknowledged the write (REPLICATE), then n2 crashes with its disk.
    expect(s.filter((x) => x === 'deliver COPY n3')).toHaveLength(2);
    expect(s.lastIndexOf('deliver COPY n3')).toBeGreaterThan(s.indexOf('deliver REPLICATE n3'));
    expect(ack).toBeGreaterThan(0);
    expect(s[s.length - 1]).toBe('crash');
    // The two timers of the configuration that fire at any time did fire with messages in flight.
    expect(r.coverage!.timersInFlight).toEqual(expect.arrayContaining(['RESEND at cp', 'WRITE at c1']));
  });

  it('needs both asynchronous timers: with either one alone, or none, the ablation holds', () => {
    for (const anyTime of [[], ['RESEND'], ['WRITE']] as const) {
      const r = durabilityOf('releases-unfenced', withTimers('resend-async', [...anyTime]));
      expect([anyTime, r.verdict, r.complete]).toEqual([anyTime, 'holds', true]);
    }
  });
});

describe('re-mirror fence-wipe: a resent WIPE after the node took a new copy', () => {
  it('wipes-unfenced: the second WIPE erases the copy n1 took after the first, and n3’s lost disk loses the data', () => {
    const r = durabilityOf('wipes-unfenced', reMirror.configs['flaky-resend']!);
    expect([r.verdict, r.trace!.length]).toEqual(['violated', 22]);
    const s = steps(r);
    expect(s).toContain('deliver SUSPECT n3');
    const copy = s.indexOf('deliver COPY n1');
    expect(s.indexOf('deliver WIPE n1')).toBeLessThan(copy);
    expect(s.lastIndexOf('deliver WIPE n1')).toBeGreaterThan(copy);
    expect(s[s.length - 1]).toBe('crash');
    expect(r.coverage!.timersInFlight).toContain('RESEND at cp');
  });

  it('needs the resend at any time: on a quiet network the ablation holds', () => {
    const r = durabilityOf('wipes-unfenced', withTimers('flaky-resend', []));
    expect([r.verdict, r.complete]).toEqual(['holds', true]);
  });
});

describe('re-mirror world: per-timer asynchrony and per-node false suspicions', () => {
  it('fires at any time only the timers a configuration names, by type or by type and owner', () => {
    const r = durabilityOf('wipes-unfenced', reMirror.configs['flaky-resend']!);
    expect(r.coverage!.timersInFlight!.every((t) => t === 'RESEND at cp')).toBe(true);
    const perNode = durabilityOf('releases-unfenced', withTimers('resend-async', ['RESEND@cp', 'WRITE@c1']));
    expect([perNode.verdict, perNode.trace!.length]).toEqual(['violated', 16]);
  });
});

describe('re-mirror reclaim-checks-grants: not declared, and why', () => {
  it('reclaim-ignores-grants breaks durability on crash-retry-async: n3, the target of v1’s pending grant, is wiped after confirming its copy', () => {
    // Not a declared variant (the fix does not finish on crash-retry-async): run it through a copy of the model that declares it.
    const model = {
      ...reMirror,
      variants: { ...reMirror.variants, 'reclaim-ignores-grants': { kind: 'failed-fix' as const, of: 'fixed', summary: 'the fix reclaiming nodes named only by a pending grant', expect: { durability: 'violated' as const } } },
    };
    const r = checkExhaustive(instantiate(model, 'reclaim-ignores-grants', 'crash-retry-async')).find((x) => x.property === 'durability')!;
    expect([r.verdict, r.trace!.length]).toEqual(['violated', 16]);
    const s = steps(r);
    // n3 took v1's copy and confirmed it; the WIPE that reclaims it (v2's re-mirror away from it completed) arrives after.
    expect(s.indexOf('deliver COPY n3')).toBeLessThan(s.indexOf('deliver WIPE n3'));
    expect(s[s.length - 1]).toBe('crash');
    expect(r.coverage!.timersInFlight).toEqual(['RETRY at n1']);
  });
});
