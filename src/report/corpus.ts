import { join } from 'node:path';
import { fingerprintOf } from '../check/fingerprint.js';
import { instantiate } from '../check/instance.js';
import { describeCrossReplay, replayOnVariant } from '../check/replay.js';
import type { CheckResult } from '../check/result.js';
import { checkedConfigs, variantKindLabel, type ModelDefinition } from '../spec/model.js';
import { writeFileAtomic } from './atomic-write.js';
import { describeLoop } from './describe.js';
import { toReplayFile } from './replay-file.js';
import { behaviourSteps } from './behaviour-steps.js';
import { renderSequenceDiagram } from './sequence-diagram.js';
import { renderStory } from './story.js';

/** Where a counterexample lives in a corpus folder. */
export const corpusPath = (dir: string, r: Pick<CheckResult, 'model' | 'variant' | 'property'>) => join(dir, r.model, `${r.variant}--${r.property}`);

/**
 * For each broken property of a world model, its shortest counterexample;
 * one from an exhaustive search wins over any random one, so what is kept
 * depends on a seed only where no exhaustive search ran. Sorted
 * by model, variant and property.
 */
export function shortestCounterexamples(results: readonly CheckResult[], models: ReadonlyArray<ModelDefinition<any>>): CheckResult[] {
  const best = new Map<string, CheckResult>();
  for (const r of results) {
    if (r.verdict !== 'violated' || !r.trace || r.kind === 'sometimes' || !models.some((m) => m.name === r.model)) continue;
    const key = `${r.model}/${r.variant}--${r.property}`;
    const seen = best.get(key);
    if (!seen || betterCounterexample(r, seen)) best.set(key, r);
  }
  return [...best.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/**
 * Writes each shortest counterexample as a replay file and a Markdown page
 * with the story and a sequence diagram, each atomically. Returns the paths
 * written.
 */
/** An exhaustive search's counterexample beats a random one (it does not depend on a seed); then the shorter wins. */
function betterCounterexample(r: CheckResult, than: CheckResult): boolean {
  if ((r.mode === 'exhaustive') !== (than.mode === 'exhaustive')) return r.mode === 'exhaustive';
  return r.traceLength! < than.traceLength!;
}

export function writeCorpus(dir: string, results: readonly CheckResult[], models: ReadonlyArray<ModelDefinition<any>>): string[] {
  const best = shortestCounterexamples(results, models);
  const written: string[] = [];
  for (const r of best) {
    const file = corpusPath(dir, r);
    const model = models.find((m) => m.name === r.model)!;
    const instance = instantiate(model, r.variant, r.config);
    const replay = toReplayFile(r, fingerprintOf(instance));
    writeFileAtomic(`${file}.replay.json`, JSON.stringify(replay, null, 2) + '\n');
    writeFileAtomic(`${file}.md`, renderCounterexamplePage(model, r, renderStory(instance, r), renderSequenceDiagram(instance, r)));
    written.push(`${file}.replay.json`, `${file}.md`);
  }
  return written;
}

function renderCounterexamplePage(model: ModelDefinition<any>, r: CheckResult, story: string[], diagram: string[]): string {
  const property = model.properties.find((p) => p.name === r.property)!;
  const keeping = Object.entries(model.variants)
    .filter(([name, v]) => v.expect[r.property] === 'holds' && checkedConfigs(model, name).includes(r.config))
    .map(([name]) => describeCrossReplay(name, r.property, replayOnVariant(model, name, { config: r.config, property: r.property, steps: r.trace!, loopFrom: r.loopFrom })));
  return [
    `# ${r.model} / ${r.variant}: ${r.property}`,
    '',
    `**Property.** ${property.statement}`,
    '',
    `**Variant** (${variantKindLabel(model, r.variant)}). ${model.variants[r.variant]!.summary}`,
    '',
    `**Found** by ${r.mode} exploration (configuration \`${r.config}\`): ${foundWords(r)}.`,
    keeping.length ? `**Elsewhere.** On the variants expected to keep ${r.property} in \`${r.config}\`: ${keeping.join('; ')}.` : '',
    '',
    '```',
    ...story,
    '```',
    '',
    '```mermaid',
    ...diagram,
    '```',
    '',
    `Replay: \`npm run check -- --replay ${join('counterexamples', r.model, `${r.variant}--${r.property}.replay.json`)}\``,
    '',
  ].join('\n');
}

/** "12 steps, of which steps 9 to 12 repeat forever", counting steps of behaviour as the story does (an `init` step is step 0). */
function foundWords(r: CheckResult): string {
  const offset = r.trace![0]?.kind === 'init' ? 1 : 0;
  const steps = behaviourSteps(r.trace!);
  return `${steps} step${steps === 1 ? '' : 's'}${loopWords(r.loopFrom === undefined ? undefined : r.loopFrom - offset, steps)}`;
}

/** How a liveness counterexample ends, after its step count: a loop, or a last state it never leaves. */
function loopWords(loopFrom: number | undefined, length: number): string {
  if (loopFrom === undefined) return '';
  const loop = describeLoop(loopFrom, length);
  return loop ? `, of which ${loop}` : ', after which the world stays in its last state forever (nothing the protocol owes can happen)';
}
