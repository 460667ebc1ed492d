import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { models } from '../../properties/index.js';
import { fieldMatches } from '../../src/spec/story-presentation.js';

const SKIPPED = new Set<string>([]);
const CORPUS = join(process.cwd(), 'counterexamples');
const pages = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.md') && !SKIPPED.has(f.split('/')[0]!))
  .sort();

/** The story block of a counterexample page: the first fenced block. */
function storyOf(file: string): string[] {
  const text = readFileSync(join(CORPUS, file), 'utf8');
  const start = text.indexOf('```\n');
  return text.slice(start + 4, text.indexOf('\n```', start + 4)).split('\n');
}

/** Steps as the story tells them: a numbered line and its indented effects, effects split at "; ". */
function stepEntries(story: string[]): string[][] {
  const steps: string[][] = [];
  for (const line of story.slice(1, -1)) {
    const numbered = line.match(/^\s*\d+(–\d+)?\. (.*)$/);
    if (numbered) steps.push(numbered[2]!.split(' — ').slice(1).join(' — ').split('; ').filter(Boolean));
    else if (/^ {6}/.test(line) && steps.length) steps[steps.length - 1]!.push(...line.trim().split('; '));
  }
  return steps;
}

describe('corpus stories', () => {
  it('there are stories to judge', () => expect(pages.length).toBeGreaterThan(20));

  it.each(pages)('%s ends with a causal sentence naming steps of its trace', (file) => {
    const story = storyOf(file);
    const length = Number(story[0]!.match(/in (\d+) steps?/)![1]);
    const last = story[story.length - 1]!;
    expect(last).toMatch(/^(Broken|Never): [\w-]+: .+: so .+\.$/);
    const dated = [...last.matchAll(/\((step (\d+)|from the start)\)/g)];
    expect(dated.length, last).toBeGreaterThan(0);
    for (const d of dated) if (d[2]) expect(Number(d[2]), last).toBeLessThanOrEqual(length);
    expect(last).not.toContain('NOT TRUE');
  });

  it.each(pages)('%s tells no change twice in a step, and never a field its model hides or shows as a view', (file) => {
    const story = storyOf(file);
    const model = models.find((m) => m.name === file.split('/')[0])!;
    const shadowed = [...(model.story?.hide ?? []), ...Object.values(model.story?.replaces ?? {}).flat()];
    for (const entries of stepEntries(story)) {
      expect(new Set(entries).size, entries.join(' | ')).toBe(entries.length);
      // A view and a field that change the same way in one step tell one change twice ("[tmPrepared] [] → [rm1]" after "prepared [] → [rm1]").
      // (Two fields of a process may well change alike, "wiping.n1 none → 1, reclaims.n1 none → 1": only a view repeating a field counts.)
      const tailsOf = (list: string[]) => list.flatMap((e) => e.split(', ')).map((e) => e.match(/ (\S+ → .+)$/)?.[1]).filter((t): t is string => t !== undefined && t.length >= 8);
      const viewTails = tailsOf(entries.filter((e) => e.startsWith('[')));
      const fieldTails = new Set(tailsOf(entries.filter((e) => !e.startsWith('['))));
      for (const tail of viewTails) expect(fieldTails.has(tail), `${tail} told by a view and a field: ${entries.join(' | ')}`).toBe(false);
      for (const entry of entries) {
        const change = entry.match(/^([\w-]+(?:, [\w-]+)*): (.*)$/);
        if (!change || change[2]!.startsWith('[')) continue;
        for (const process of change[1]!.split(', ')) {
          for (const part of change[2]!.split(', ')) {
            const field = part.match(/^([\w]+)[\s.[]/)?.[1];
            if (field) expect(fieldMatches(shadowed, process, field), `${process}: ${part}`).toBe(false);
          }
        }
      }
    }
  });

  // re-mirror's shortest counterexamples run to 30 steps (four faults, each at its point): no story is
  // shorter than a line a step, so those are held to three lines a step (header and sentence aside) instead:
  // a grant or a release sends several messages at once. (Measured: the longest, 29 steps, takes 59 lines.)
  // rds-failover's linearizable counterexamples are a whole failover followed by a read after it (16 steps): the same rule.
  const LONG_COUNTEREXAMPLES = new Set(['re-mirror']);
  const isLong = (f: string) => LONG_COUNTEREXAMPLES.has(f.split('/')[0]!) || /^rds-failover\/.*--linearizable\.md$/.test(f);
  it('the longest story, loops folded, is at most 25 lines', () => {
    const longest = Math.max(...pages.filter((f) => !isLong(f)).map((f) => storyOf(f).length));
    expect(longest).toBeLessThanOrEqual(25);
  });

  it.each(pages.filter(isLong))('%s, a long counterexample, takes at most three lines a step', (file) => {
    const story = storyOf(file);
    const steps = Number(story[0]!.match(/in (\d+) steps/)![1]);
    expect(story.length).toBeLessThanOrEqual(3 * steps + 2);
  });

  const closeFiles = readdirSync(join(CORPUS, 'replication-close')).filter((f) => f.endsWith('.json')).sort();
  it.each(closeFiles)('replication-close/%s ends with a sentence dating what broke by steps of its story', (file) => {
    const { story } = JSON.parse(readFileSync(join(CORPUS, 'replication-close', file), 'utf8')) as { story: string[] };
    const steps = Number(story[0]!.match(/broken in (\d+) steps/)![1]);
    const last = story[story.length - 1]!;
    expect(last).toMatch(/^(Collision: .+ at step \d+ .+ at step \d+; in between, at step \d+, .+|Broken: .+ \(step \d+\)(: so .+)?)\.$/);
    for (const [, n] of last.matchAll(/step (\d+)/g)) expect(Number(n)).toBeLessThanOrEqual(steps);
  });
});
