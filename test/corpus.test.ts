import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { models } from '../properties/index.js';
import { checkedConfigs } from '../src/index.js';
import { checkByDefault } from '../src/check/default-check.js';
import { replay, replayOnVariant } from '../src/check/replay.js';
import { writeCorpus } from '../src/report/corpus.js';
import { ReplayFileError, type ReplayFile } from '../src/report/replay-file.js';

const CORPUS = join(process.cwd(), 'counterexamples');
const replayFiles = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.replay.json'))
  .sort();

describe('the counterexample corpus', () => {
  it('holds a replay for every property each buggy variant is expected to break', () => {
    const expected = models.flatMap((m) =>
      Object.entries(m.variants).flatMap(([variant, v]) =>
        Object.entries(v.expect)
          .filter(([property, verdict]) => verdict === 'violated' && m.properties.find((p) => p.name === property)!.kind !== 'sometimes')
          .map(([property]) => join(m.name, `${variant}--${property}.replay.json`)),
      ),
    );
    expect(replayFiles).toEqual(expected.sort());
  });

  it.each(replayFiles)('%s still breaks its property on its buggy variant, and not on the fixed ones', (file) => {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    const recorded = JSON.parse(text) as ReplayFile;
    const outcome = replay(text, file, models);
    expect(outcome.reproduced, outcome.message).toBe(true);

    const model = models.find((m) => m.name === recorded.model)!;
    const keeping = Object.keys(model.variants).filter((v) => model.variants[v]!.expect[recorded.property] === 'holds' && checkedConfigs(model, v).includes(recorded.config));
    for (const variant of keeping) {
      // Either the steps are not possible there, or they are and the property survives them; never broken.
      expect(replayOnVariant(model, variant, recorded).outcome, `${file} on ${variant}`).not.toBe('breaks');
    }
  });

  it('is what the checker generates today, byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    const results = models.flatMap((m) => Object.keys(m.variants).flatMap((v) => checkedConfigs(m, v).flatMap((c) => checkByDefault(m, v, c))));
    const written = writeCorpus(dir, results, models);
    expect(written.length).toBeGreaterThan(0);
    for (const path of written) {
      const committed = readFileSync(join(CORPUS, relative(dir, path)), 'utf8');
      expect(readFileSync(path, 'utf8'), `${relative(dir, path)} is stale: run npm run check -- --out counterexamples`).toBe(committed);
    }
    // Every variant of every model on every checked configuration, as the docs check it (exhaustively, or by the default random search where the model keeps the exhaustive one for requests): minutes on a busy machine.
  }, 600_000);
});
