import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalSuites, models } from '../../properties/index.js';
import type { SourceRef } from '../../src/index.js';

const POSTMORTEM = join(process.cwd(), '..', 'shared', 'domain', 'aws-2011-ebs-rds-postmortem.md');
/** Markdown emphasis, curly quotes and line breaks aside, a quote must be the postmortem's own words. */
const normalise = (text: string) => text.replace(/\*\*/g, '').replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim();
const source = normalise(readFileSync(POSTMORTEM, 'utf8'));
const sections = new Set(
  readFileSync(POSTMORTEM, 'utf8')
    .split('\n')
    .map((line) => normalise(line.replace(/^#+\s*/, '')))
    .filter((line) => line.length > 0 && line.length < 90 && !/[.:]$/.test(line)),
);

/** Every citation a model makes: property guards, variant passages, matrix claims. */
function citations(): Array<[string, SourceRef]> {
  const found: Array<[string, SourceRef]> = [];
  for (const model of models) {
    for (const p of model.properties) if (p.guards) found.push([`${model.name} property ${p.name}`, p.guards]);
    for (const [name, v] of Object.entries(model.variants)) if (v.passage) found.push([`${model.name} variant ${name}`, v.passage]);
    for (const m of model.matrices ?? []) found.push([`${model.name} matrix ${m.name}`, m.passage]);
  }
  for (const suite of externalSuites) for (const [name, v] of Object.entries(suite.variants)) if (v.passage) found.push([`${suite.name} variant ${name}`, v.passage]);
  return found;
}

describe('citations of the postmortem', () => {
  it.each(citations())('%s quotes the postmortem word for word', (_, ref) => {
    expect(source.includes(normalise(ref.quote)), `not in the postmortem: “${ref.quote}”`).toBe(true);
  });

  it.each(citations())('%s names a section the postmortem has', (_, ref) => {
    expect([...sections], `no section '${ref.section}'`).toContain(normalise(ref.section));
  });

  it('every variant of an outage model cites a passage or departs from one that does', () => {
    for (const model of models.filter((m) => m.incident)) {
      for (const [name, v] of Object.entries(model.variants)) {
        expect(v.kind, `${model.name}/${name} has no kind`).toBeDefined();
        if (!v.passage) expect(v.of, `${model.name}/${name} cites no passage and names no fixed variant it departs from`).toBeDefined();
      }
    }
  });
});
