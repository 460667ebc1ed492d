import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { models } from '../properties/index.js';
import { checkEveryVariantByDefault } from '../src/check/default-check.js';
import type { CheckResult } from '../src/check/result.js';
import { generateDocs } from '../src/docs/generate.js';
import { writeCorpus } from '../src/report/corpus.js';

// The docs and the counterexample corpus rest on the same default check (every variant of every model on every
// configuration it is checked on): run it once for both. Minutes on a busy machine.
let defaultCheck: CheckResult[] | undefined;
const everyDefaultCheck = () => (defaultCheck ??= checkEveryVariantByDefault(models));

describe('what the default check generates', () => {
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
