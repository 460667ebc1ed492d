import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { models } from '../properties/index.js';
import { checkEveryVariantByDefault } from '../src/check/default-check.js';
import type { CheckResult } from '../src/check/result.js';
import { generateDocs } from '../src/docs/generate.js';
import { writeCorpus } from '../src/report/corpus.js';
import { checkedConfigs, exhaustiveOnlyOnRequest, type ModelDefinition } from '../src/index.js';

// The default check (every variant of every model on every configuration it is checked on, exhaustively, or by the
// default random search where the model keeps the exhaustive search for requests) is what the docs, the corpus and
// the verdicts below rest on: it runs once, here, for all of them. Minutes on a busy machine.
let defaultCheck: CheckResult[] | undefined;
const everyDefaultCheck = () => (defaultCheck ??= checkEveryVariantByDefault(models));
const rowsOf = (model: ModelDefinition<any>, variant: string) => everyDefaultCheck().filter((r) => r.model === model.name && r.variant === variant);

describe('the default check', () => {
  it('gives every property, liveness included, the verdict its variant expects', () => {
    for (const r of everyDefaultCheck()) {
      const name = `${r.model}/${r.variant}@${r.config}`;
      expect([name, r.property, r.verdict]).toEqual([name, r.property, r.expected]);
      const model = models.find((m) => m.name === r.model)!;
      // On a configuration whose exhaustive search is on request, the rows are the random search's, and say so.
      if (exhaustiveOnlyOnRequest(model, r.config)) expect([name, r.property, r.mode]).toEqual([name, r.property, 'random']);
      else if (r.verdict === 'holds' && r.kind !== 'sometimes') expect([name, r.property, r.complete]).toEqual([name, r.property, true]);
    }
  }, 600_000);

  it('is the committed docs, exactly as `npm run docs` writes them', () => {
    for (const [path, content] of generateDocs(models, everyDefaultCheck())) {
      const committed = readFileSync(join(process.cwd(), 'docs', path), 'utf8');
      expect(content, `docs/${path} is stale: run npm run docs`).toBe(committed);
    }
  }, 600_000);

  it('is the committed counterexample corpus, byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    const written = writeCorpus(dir, everyDefaultCheck(), models);
    expect(written.length).toBeGreaterThan(0);
    for (const path of written) {
      const committed = readFileSync(join(process.cwd(), 'counterexamples', relative(dir, path)), 'utf8');
      expect(readFileSync(path, 'utf8'), `${relative(dir, path)} is stale: run npm run check -- --out counterexamples`).toBe(committed);
    }
  }, 600_000);
});

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

describe('fixed variants face a realistic environment', () => {
  it.each(fixedVariants)('%s holds, completely, under loss, crash and restart, and timers firing with messages in flight', (_, model, variant) => {
    const rows = rowsOf(model, variant);
    expect(new Set(rows.map((r) => r.config))).toEqual(new Set(checkedConfigs(model, variant)));
    for (const r of rows) {
      expect(r.verdict, `${r.property} on ${r.config}: ${r.note ?? ''}`).toBe('holds');
      if (r.mode === 'exhaustive') expect(r.complete, `${r.property} on ${r.config} was not explored completely`).toBe(true);
      // Every declared fault fired in every configuration (else the row would be vacuous, and not hold).
      expect([r.config, r.coverage!.faults.never]).toEqual([r.config, []]);
    }
    // Most of the verdicts rest on complete searches: at least one exhaustive configuration per fixed variant.
    expect(rows.some((r) => r.mode === 'exhaustive' && r.complete)).toBe(true);
    const seen = {
      'message-loss': rows.some((r) => r.coverage!.faults.fired.includes('message loss')),
      'crash-restart': rows.some((r) => r.coverage!.faults.fired.some((f) => f.startsWith('crash ')) && (r.coverage!.restarted ?? []).length > 0),
      'timers-in-flight': rows.some((r) => (r.coverage!.timersInFlight ?? []).length > 0),
    };
    const exempt = model.variants[variant]!.exemptions ?? {};
    for (const fault of ['message-loss', 'crash-restart', 'timers-in-flight'] as const) {
      if (exempt[fault]) continue;
      expect(seen[fault], `${fault} never happens in the configurations ${model.name}/${variant} is checked on`).toBe(true);
    }
  }, 600_000);

  it.each(fixedVariants)('%s declares the safeguards it adds, each removed by an ablation', (_, model, variant) => {
    expect(Object.keys(model.variants[variant]!.safeguards ?? {}).length).toBeGreaterThan(0);
  });
});
