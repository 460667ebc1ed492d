import { describe, expect, it } from 'vitest';
import { reMirror } from '../properties/re-mirror.js';
import { checkExhaustive, instantiate, type ActionDescriptor, type CheckResult } from '../src/index.js';
import type { RemirrorConfig } from '../models/re-mirror/world.js';

/**
 * The fences on RELEASE/PAIRED/COPY, on WIPE and on REPLACED: each ablation breaks a property on the configuration made of
 * exactly the faults its counterexample needs, and the asynchrony it needs is really needed (on a quiet network,
 * with the same faults otherwise, the same ablation holds, from a complete search).
 */
const verdictOf = (property: string) => (variant: string, config: RemirrorConfig): CheckResult => {
  const model = { ...reMirror, configs: { ...reMirror.configs, probe: config } };
  return checkExhaustive(instantiate(model, variant, 'probe')).find((r) => r.property === property)!;
};
const durabilityOf = verdictOf('durability');
const linearizableOf = verdictOf('linearizable');
const steps = (r: CheckResult) => r.trace!.map((a: ActionDescriptor) => ('msg' in a ? `${a.kind} ${a.msg.type}${a.kind === 'deliver' ? ` ${a.to}` : ''}` : a.kind));
const withTimers = (config: string, anyTime: RemirrorConfig['anyTime']): RemirrorConfig => ({ ...reMirror.configs[config]!, anyTime });

describe('re-mirror fence-release: a duplicate COPY of a resent grant', () => {
  it('the ablation loses no data there (n2 keeps the write): only the stale read shows the regression', () => {
    expect(durabilityOf('releases-unfenced', reMirror.configs['resend-async']!).verdict).toBe('holds');
  });

  it('releases-unfenced: the duplicate COPY overwrites the acknowledged write on the new replica, which then serves the old version', () => {
    const r = linearizableOf('releases-unfenced', reMirror.configs['resend-async']!);
    expect([r.verdict, r.trace!.length]).toEqual(['violated', 21]);
    const s = steps(r);
    // Two COPYs reach n3: the second after n3 acknowledged the write (REPLICATE); then n3 answers the read with version 0.
    expect(s.filter((x) => x === 'deliver COPY n3')).toHaveLength(2);
    expect(s.lastIndexOf('deliver COPY n3')).toBeGreaterThan(s.indexOf('deliver REPLICATE n3'));
    expect(s.indexOf('deliver ACK c1')).toBeGreaterThan(0);
    expect(s.slice(-2)).toEqual(['deliver READ_CHECK n3', 'deliver READ_RESULT c1']);
    expect(r.witness!.message).toMatch(/returned version 0 after the write had been answered/);
    // The two timers of the configuration that fire at any time did fire with messages in flight.
    expect(r.coverage!.timersInFlight).toEqual(expect.arrayContaining(['RESEND at cp', 'WRITE at c1']));
  });

  it('needs both asynchronous timers: with either one alone, or none, the ablation holds', () => {
    for (const anyTime of [[], ['RESEND'], ['WRITE']] as const) {
      const r = linearizableOf('releases-unfenced', withTimers('resend-async', [...anyTime]));
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
    const perNode = linearizableOf('releases-unfenced', withTimers('resend-async', ['RESEND@cp', 'WRITE@c1']));
    expect([perNode.verdict, perNode.trace!.length]).toEqual(['violated', 21]);
  });
});

describe('re-mirror reclaim-checks-grants: not declared, and why', () => {
  it('reclaim-ignores-grants breaks durability on crash-retry-async: n3, the target of v1’s pending grant, is wiped after confirming its copy', () => {
    // Not a declared variant: the fix does not finish on crash-retry-async, and the default random search finds this on 94 of seeds 1–100
    // only, so that configuration cannot join the default check even by random search. Run it through a copy of the model that declares it.
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

describe('re-mirror fence-replaced: a stale REPLACED after a cancelled grant', () => {
  it('replaced-unfenced: n1, told it is replaced by a grant its source cancels, re-mirrors the volume itself, then the stale REPLACED stops it serving', () => {
    const r = checkExhaustive(instantiate(reMirror, 'replaced-unfenced', 'retry-async')).find((x) => x.property === 'eventually-redundant')!;
    expect([r.verdict, r.trace!.length]).toEqual(['violated', 22]);
    const s = steps(r);
    expect(s).toContain('deliver CANCEL cp');
    // The REPLACED arrives after n1 is paired with the new replica (the PAIRED of its own re-mirror).
    expect(s.indexOf('deliver REPLACED n1')).toBeGreaterThan(s.indexOf('deliver PAIRED n1'));
    expect(r.coverage!.timersInFlight).toEqual(['RETRY at n1']);
  });
});
