import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { models } from '../properties/index.js';
import { checkedConfigs } from '../src/index.js';
import { replay, replayOnVariant } from '../src/check/replay.js';
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
});
