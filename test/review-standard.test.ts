import { describe, expect, it } from 'vitest';
import { models } from '../properties/index.js';
import { checkedConfigs, instantiate, type EnvironmentFault, type ModelDefinition } from '../src/index.js';
import { checkInstanceByDefault } from '../src/check/default-check.js';

/**
 * The standard a fixed variant of an outage model is held to: in the
 * configurations `npm run check` checks it on, it holds, completely, and those
 * configurations really put it through message loss, a crash and a restart,
 * and timers that fire while messages are in flight — unless the variant says
 * why one of them does not apply.
 */
const fixedVariants = models
  .filter((m) => m.incident)
  .flatMap((m) => Object.entries(m.variants).filter(([, v]) => v.kind === 'fixed').map(([name]) => [`${m.name}/${name}`, m, name] as const));

function exercised(model: ModelDefinition<any>, variant: string) {
  const seen = new Set<EnvironmentFault>();
  const rows = checkedConfigs(model, variant).flatMap((config) => {
    const instance = instantiate(model, variant, config);
    // Where the exhaustive search is on request, the default random search stands in (its rows are not complete, and are not counted so).
    const result = checkInstanceByDefault(model, config, instance);
    const fired = [...instance.world.environmentFired];
    if (result[0]?.coverage?.faults.fired.includes('message loss')) seen.add('message-loss');
    if (fired.some((id) => id.includes('"kind":"crash"')) && fired.some((id) => id.includes('"kind":"restart"'))) seen.add('crash-restart');
    if ((result[0]?.coverage?.timersInFlight ?? []).length > 0) seen.add('timers-in-flight');
    return result;
  });
  return { rows, seen };
}

describe('fixed variants face a realistic environment', () => {
  it.each(fixedVariants)('%s holds, completely, under loss, crash and restart, and timers firing with messages in flight', (_, model, variant) => {
    const { rows, seen } = exercised(model, variant);
    for (const r of rows) {
      expect(r.verdict, `${r.property} on ${r.config}: ${r.note ?? ''}`).toBe('holds');
      if (r.mode === 'exhaustive') expect(r.complete, `${r.property} on ${r.config} was not explored completely`).toBe(true);
    }
    // Most of the verdicts rest on complete searches: at least one exhaustive configuration per fixed variant.
    expect(rows.some((r) => r.mode === 'exhaustive' && r.complete)).toBe(true);
    const exempt = model.variants[variant]!.exemptions ?? {};
    for (const fault of ['message-loss', 'crash-restart', 'timers-in-flight'] as const) {
      if (exempt[fault]) continue;
      expect(seen.has(fault), `${fault} never happens in the configurations ${model.name}/${variant} is checked on`).toBe(true);
    }
    // Every checked configuration, exhaustively: re-mirror's take a minute or two on a busy two-core machine.
  }, 300_000);

  it.each(fixedVariants)('%s declares the safeguards it adds, each removed by an ablation', (_, model, variant) => {
    expect(Object.keys(model.variants[variant]!.safeguards ?? {}).length).toBeGreaterThan(0);
  });
});
