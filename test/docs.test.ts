import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { models } from '../properties/index.js';
import { statesExplored } from '../src/docs/generate.js';
import { citePassage, locate, postmortemSections } from '../src/docs/postmortem.js';
import { renderTransitionTable, describeGuard } from '../src/docs/state-diagram.js';
import { raceInvariants } from '../properties/replication-close/index.js';
import type { SourceRef } from '../src/index.js';
import type { CheckResult } from '../src/check/result.js';
import { and, not, setup } from 'xstate';
import { exampleReadmes, FIGURES_BEGIN, FIGURES_END, publishedFigures, withFigures } from '../src/docs/example-readmes.js';
import { PUBLISHED_RUNS } from '../models/examples/published.js';
import { twoPhaseCommit } from '../properties/two-phase-commit.js';

/** Every passage the models cite: properties, variants, matrices, the replication-close invariants. */
const passages: SourceRef[] = [
  ...models.flatMap((m) => [
    ...m.properties.flatMap((p) => (p.guards ? [p.guards] : [])),
    ...Object.values(m.variants).flatMap((v) => (v.passage ? [v.passage] : [])),
    ...(m.matrices ?? []).map((x) => x.passage),
  ]),
  ...raceInvariants.map((i) => i.guards),
];

describe('generated docs', () => {
  it('tie every invariant and liveness property to a buggy variant that breaks it', () => {
    for (const model of models) {
      for (const property of model.properties.filter((p) => p.kind !== 'sometimes')) {
        const breakers = Object.values(model.variants).filter((v) => v.expect[property.name] === 'violated');
        expect(breakers.length, `${model.name}: no variant is expected to break ${property.name}`).toBeGreaterThan(0);
      }
    }
  });

  it('give every property a plain-words statement', () => {
    for (const model of models) for (const p of model.properties) expect(p.statement, `${model.name}/${p.name}`).toMatch(/^[A-Z].{10,}\.$/);
  });

  it('quote a passage only when its words are the postmortem\'s, linked to the section that holds them; paraphrases say so', () => {
    expect(passages.length).toBeGreaterThan(20);
    for (const ref of passages) {
      const cited = citePassage(ref, 0);
      const where = locate(ref);
      if (where.verbatim) {
        expect(cited, ref.quote).toContain(`, quoted: “${ref.quote}”`);
        // The link names the section whose text holds the words, whatever section the declaration named.
        expect(where.section!.text).toContain(ref.quote.replace(/\s+/g, ' '));
        expect(cited).toContain(`(../../shared/domain/aws-2011-ebs-rds-postmortem.md#${where.section!.anchor})`);
        expect(where.misattributed, `${ref.section}: “${ref.quote}” stands in ${where.section!.title}`).toBe(false);
      } else {
        expect(cited, ref.quote).toContain('paraphrased');
        expect(cited).not.toContain('“');
      }
    }
    expect(postmortemSections().map((s) => s.anchor)).toContain('primary-outage');
  });

  it('label state counts exactly: a finding says where it was found of how many explored, "all" only for a finished search', () => {
    const row = (r: Partial<CheckResult>) => ({ kind: 'always', verdict: 'holds', complete: true, states: 10, ...r }) as CheckResult;
    expect(statesExplored(row({ verdict: 'violated', trace: [], states: 941, complete: true }), 70886)).toBe('found at 941 of 70,886 explored');
    expect(statesExplored(row({ states: 500 }), 500)).toBe('500 (all reachable)');
    expect(statesExplored(row({ verdict: 'bounded', complete: false, states: 800 }), 800)).toBe('800 (stopped at a bound)');
  });

  it('name composite guards and draw a one-state machine as a table', () => {
    const machine = setup({ guards: { serving: () => true, busy: () => false } }).createMachine({
      on: { WRITE: { guard: and(['serving', not('busy')]), actions: [] }, PING: {} },
    });
    expect(describeGuard(machine.root.transitions.get('WRITE')![0]!.guard)).toBe('serving and (not busy)');
    expect(renderTransitionTable(machine)).toEqual(['| event | guard | actions |', '|---|---|---|', '| WRITE | serving and (not busy) | – |', '| PING | – | – |']);
  });

  it('write the example READMEs\' figures from published.ts and a run, so they cannot go stale', () => {
    const pages = exampleReadmes(process.cwd(), twoPhaseCommit);
    // Every example directory with a published run, and two-phase commit.
    expect(pages.map(([path]) => path).sort()).toEqual([...[...new Set([...PUBLISHED_RUNS.map((r) => r.model.name), 'two-phase-commit'])].map((d) => join('models', 'examples', d, 'README.md')), join('models', 'examples', 'README.md')].sort());
    for (const [path, content] of pages) {
      expect(content, `${path} is stale: run npm run docs`).toBe(readFileSync(join(process.cwd(), path), 'utf8'));
      const block = content.slice(content.indexOf(FIGURES_BEGIN), content.indexOf(FIGURES_END));
      expect(block, path).not.toContain('DIFFER');
    }
  }, 120_000);

  it('say so in the figures when a count differs from the published one, and refuse a README without markers', () => {
    const run = PUBLISHED_RUNS.find((r) => r.model.name === 'tcommit')!;
    const agreeing = { states: run.distinctStates, transitions: run.totalStates - 1, initial: 1, depth: run.stateDepth - 1, results: [] };
    expect(publishedFigures([run], [agreeing])).toContain('Distinct states match. Depth matches. States generated match.');
    const off = publishedFigures([run], [{ ...agreeing, states: run.distinctStates + 1, depth: run.stateDepth }]);
    expect(off).toContain(`Distinct states DIFFER: ${run.distinctStates + 1} here, ${run.distinctStates} for TLC.`);
    expect(off).toContain('Depth DIFFERS');
    expect(withFigures(`a\n${FIGURES_BEGIN}\nold\n${FIGURES_END}\nb`, 'new', 'x.md')).toBe(`a\n${FIGURES_BEGIN}\nnew\n${FIGURES_END}\nb`);
    expect(() => withFigures('no markers', 'new', 'models/examples/x/README.md')).toThrow(/^models\/examples\/x\/README.md: no generated-figures markers/);
  });
});
