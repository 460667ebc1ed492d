import { renderStory } from '../src/report/story.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { reMirror } from '../properties/re-mirror.js';
import { checkExhaustive, defineModel, instantiate, type ActionDescriptor, type CheckResult } from '../src/index.js';

type Run = { rows: CheckResult[]; seconds: number };
const runs = new Map<string, Run>();
const row = (variant: string, property: string) => runs.get(variant)!.rows.find((r) => r.property === property)!;

/** A step as a short string: `crash n2`, `partition n1 isolated`, `n1 <- REPLACED`, `timeout n2 PEER_LOST`. */
function step(a: ActionDescriptor): string {
  switch (a.kind) {
    case 'deliver':
    case 'drop':
      return `${a.kind === 'drop' ? 'drop ' : ''}${a.to} <- ${a.msg.type}`;
    case 'timeout':
    case 'request':
      return `${a.kind} ${a.process} ${a.event.type}`;
    case 'crash':
    case 'restart':
      return `${a.kind} ${a.process}`;
    case 'partition':
    case 'heal':
      return `${a.kind} ${a.partition}`;
    case 'tick':
      return 'tick';
  }
}
const steps = (r: CheckResult) => r.trace!.map(step);

describe('re-mirror model, default configuration, exhaustively', () => {
  beforeAll(() => {
    for (const variant of Object.keys(reMirror.variants)) {
      const started = performance.now();
      const rows = checkExhaustive(instantiate(reMirror, variant));
      runs.set(variant, { rows, seconds: (performance.now() - started) / 1000 });
    }
    // The numbers the README quotes: states explored and time per variant.
    for (const [variant, { rows, seconds }] of runs) {
      console.log(`re-mirror/${variant}: ${Math.max(...rows.map((r) => r.states))} states, ${seconds.toFixed(2)} s`);
    }
  }, 120_000);

  it('gives every property, liveness included, the verdict its variant expects', () => {
    for (const [variant, { rows }] of runs) {
      const checked = rows.map((r) => [variant, r.property, r.verdict]);
      const expected = rows.map((r) => [variant, r.property, r.expected]);
      expect(checked).toEqual(expected);
    }
  });

  it('storm: after the heal, a node keeps asking for space that is not there, forever, and the story fits in 30 lines', () => {
    const r = row('storm', 'eventually-redundant');
    expect(r.verdict).toBe('violated');
    const heal = r.trace!.findIndex((s) => s.kind === 'heal');
    expect(heal).toBeGreaterThanOrEqual(0);
    expect(heal).toBeLessThan(r.loopFrom!);
    const loop = r.trace!.slice(r.loopFrom!);
    expect(loop.every((s) => s.kind === 'deliver')).toBe(true);
    expect(loop.map((s) => (s.kind === 'deliver' ? s.msg.type : '')).sort()).toEqual(['NO_SPACE', 'REMIRROR']);
    const story = renderStory(instantiate(reMirror, 'storm'), r);
    expect(story.length).toBeLessThan(30);
  });

  it('fixed: every volume is eventually redundant again once the network has healed for good', () => {
    expect(row('fixed', 'eventually-redundant')).toMatchObject({ verdict: 'holds', complete: true });
  });

  it('proves the fixed variant over its whole state space', () => {
    for (const r of runs.get('fixed')!.rows) expect(r.complete).toBe(true);
    expect(row('fixed', 'no-data-loss').verdict).toBe('holds');
    expect(row('fixed', 'negotiation-load').verdict).toBe('holds');
  });

  it('release-before-confirm: the replaced copy is freed, then the only other copy goes down with its node', () => {
    const r = row('release-before-confirm', 'no-data-loss');
    expect(r.traceLength).toBeLessThanOrEqual(10);
    expect(steps(r)).toEqual([
      'partition n1 isolated',
      'timeout n2 PEER_LOST',
      'cp <- REMIRROR',
      'heal n1 isolated',
      'crash n2',
      'timeout n1 PEER_LOST',
      'cp <- REMIRROR',
      'n1 <- REPLACED',
    ]);
    expect(r.witness!.message).toBe('the data of v1 is on no running node: n1 holds no copy, n2 is down (its disk still has it), n3 holds no copy');
  });

  it('reuse-failed-nodes: the node a re-mirror replaced is wiped while it still holds the other copy of another volume', () => {
    const r = row('reuse-failed-nodes', 'no-data-loss');
    expect(r.traceLength).toBeLessThanOrEqual(12);
    const s = steps(r);
    expect(s).toContain('partition n1 isolated');
    expect(s).toContain('cp <- OWNED');
    // The wipe reaches n1 before the crash that leaves no running copy.
    expect(s.indexOf('n1 <- WIPE')).toBeGreaterThan(s.indexOf('cp <- OWNED'));
    expect(s[s.length - 1]).toMatch(/^crash /);
    expect(r.witness!.message).toMatch(/^the data of v\d is on no running node/);
  });

  it('storm: a node with no space asks again at once until the control plane is over its limit', () => {
    const r = row('storm', 'negotiation-load');
    expect(r.traceLength).toBeLessThanOrEqual(30);
    const s = steps(r);
    expect(s[0]).toBe('partition n1 isolated');
    // No back-off: each "no space" answer is followed straight away by the next request.
    const answers = s.filter((x) => x.endsWith('<- NO_SPACE')).length;
    expect(answers).toBeGreaterThanOrEqual(3);
    expect(s.some((x) => x.includes('RECONNECT'))).toBe(false);
  });

  it('reaches a completed re-mirror, a reconnection and exhausted capacity in the fixed variant', () => {
    for (const property of ['remirror-completes', 'reconnects-to-previous-replica', 'capacity-runs-out']) {
      const r = row('fixed', property);
      expect(r.verdict).toBe('holds');
      expect(r.traceLength).toBeLessThanOrEqual(8);
    }
    expect(steps(row('fixed', 'reconnects-to-previous-replica'))).toContain('cp <- RECONNECT');
  });
});

describe('re-mirror model with a writing instance', () => {
  it('release-before-confirm also loses data when the instance writes', () => {
    const model = defineModel({
      ...reMirror,
      variants: { 'release-before-confirm': { ...reMirror.variants['release-before-confirm']!, expect: { 'no-data-loss': 'violated' } } },
    });
    const [r] = checkExhaustive(instantiate(model, 'release-before-confirm', 'writes'));
    expect(r!.verdict).toBe('violated');
    expect(steps(r!)).toContain('n1 <- REPLACED');
  }, 30_000);
});
