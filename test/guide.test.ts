import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkExhaustive, defineModel, instantiate } from '../src/index.js';
import { renderStory } from '../src/report/story.js';
import { behaviours, check, matchers, replayCounterexample } from '../src/testing/index.js';
import { leaseLock } from '../examples/lease-lock.js';
// The guide's own test files run as part of this suite, in the repository as they run in a user's folder.
import '../examples/lease-lock.test.js';
import '../examples/lease-lock.random.test.js';
import '../examples/lease-lock.conformance.test.js';

/*
 * docs/guide.md must not drift from code that runs. Each fenced block carries a
 * marker comment on the line above it:
 *   <!-- example: FILE#REGION -->  the block is that `// #region` of examples/FILE, verbatim;
 *   <!-- story: MODEL VARIANT PROPERTY --> the block is the story the exhaustive check prints;
 *   <!-- run -->                  a shell block that test/package.test.ts runs in an empty folder.
 * UPDATE_GUIDE=1 npx vitest run test/guide.test.ts rewrites the example and story blocks.
 */
const GUIDE = new URL('../docs/guide.md', import.meta.url);
const EXAMPLES = new URL('../examples/', import.meta.url);

interface Block {
  marker: string;
  lang: string;
  body: string;
}

const BLOCK = /(?:<!-- (.+?) -->\n)?```(\w*)\n([\s\S]*?)```/g;

function blocksOf(markdown: string): Block[] {
  return [...markdown.matchAll(BLOCK)].map((m) => ({ marker: m[1] ?? '', lang: m[2]!, body: m[3]! }));
}

/** The `// #region NAME` … `// #endregion NAME` parts of a file, in order. */
function regionsOf(source: string): Array<{ name: string; text: string }> {
  return [...source.matchAll(/^\/\/ #region (\S+)\n([\s\S]*?)^\/\/ #endregion \1$/gm)].map((m) => ({ name: m[1]!, text: m[2]! }));
}

const exampleSource = (file: string) => readFileSync(new URL(file, EXAMPLES), 'utf8');

function expectedBody(marker: string): string | undefined {
  const [kind, ...args] = marker.split(/:? +/);
  if (kind === 'example') {
    const [file, region] = args[0]!.split('#');
    const found = regionsOf(exampleSource(file!)).find((r) => r.name === region);
    if (!found) throw new Error(`examples/${file} has no region ${region}`);
    return found.text;
  }
  if (kind === 'story') {
    const [model, variant, property] = args;
    if (model !== leaseLock.name) throw new Error(`unknown model ${model} in the guide`);
    const instance = instantiate(leaseLock, variant!);
    const row = checkExhaustive(instance).find((r) => r.property === property)!;
    return renderStory(instance, row).join('\n') + '\n';
  }
  return undefined;
}

if (process.env.UPDATE_GUIDE) {
  const text = readFileSync(GUIDE, 'utf8').replace(BLOCK, (whole, marker: string | undefined, lang: string) => {
    const body = marker ? expectedBody(marker) : undefined;
    return body === undefined ? whole : `<!-- ${marker} -->\n\`\`\`${lang}\n${body}\`\`\``;
  });
  writeFileSync(GUIDE, text);
}

describe('docs/guide.md', () => {
  const blocks = blocksOf(readFileSync(GUIDE, 'utf8'));

  test('every code block says where it comes from', () => {
    expect(blocks.length).toBeGreaterThan(10);
    for (const block of blocks) expect(block.marker, block.body).toMatch(/^(example: \S+#\S+|story: \S+ \S+ \S+|run)$/);
    for (const block of blocks.filter((b) => b.marker === 'run')) expect(block.lang).toBe('sh');
  });

  test('each example block is its region of the example file, verbatim', () => {
    for (const block of blocks.filter((b) => b.marker.startsWith('example:'))) {
      expect(block.body, block.marker).toBe(expectedBody(block.marker));
    }
  });

  test('copying the blocks in order gives every line of code of each example file', () => {
    const shown = new Map<string, string[]>();
    for (const block of blocks.filter((b) => b.marker.startsWith('example:'))) {
      const [file, region] = block.marker.slice('example: '.length).split('#');
      shown.set(file!, [...(shown.get(file!) ?? []), region!]);
    }
    expect([...shown.keys()].sort()).toEqual(['lease-lock.conformance.test.ts', 'lease-lock.impl.ts', 'lease-lock.random.test.ts', 'lease-lock.test.ts', 'lease-lock.ts']);
    for (const [file, regions] of shown) {
      const source = exampleSource(file);
      expect(regions, file).toEqual(regionsOf(source).map((r) => r.name));
      // Outside the regions there is nothing but comments and blank lines.
      const outside = source.replace(/^\/\/ #region (\S+)\n[\s\S]*?^\/\/ #endregion \1\n/gm, '');
      const code = outside.replace(/\/\*[\s\S]*?\*\//g, '').split('\n').filter((l) => l.trim() && !l.trim().startsWith('//'));
      expect(code, file).toEqual([]);
    }
  });

  test('the story shown is the one the checker prints', () => {
    const stories = blocks.filter((b) => b.marker.startsWith('story:'));
    expect(stories.length).toBeGreaterThan(0);
    for (const block of stories) expect(block.body, block.marker).toBe(expectedBody(block.marker));
  });
});

describe('the lease-lock example', () => {
  test('explores a small space: the fenced variant is proven in 618 states', () => {
    const fenced = checkExhaustive(instantiate(leaseLock, 'fenced')).find((r) => r.property === 'writes-in-lease-order')!;
    expect([fenced.verdict, fenced.complete, fenced.states]).toEqual(['holds', true, 618]);
    const unfenced = checkExhaustive(instantiate(leaseLock, 'unfenced')).find((r) => r.property === 'writes-in-lease-order')!;
    expect([unfenced.verdict, unfenced.traceLength]).toEqual(['violated', 12]);
  });
});

describe('the lease-lock example with symmetry', () => {
  test('the clients are interchangeable: the fenced variant holds in 313 orbits of its 618 states, as the guide says', () => {
    const reduced = checkExhaustive(instantiate(leaseLock, 'fenced'), { symmetry: true }).find((r) => r.property === 'writes-in-lease-order')!;
    expect([reduced.verdict, reduced.complete, reduced.states]).toEqual(['holds', true, 313]);
    expect(readFileSync(GUIDE, 'utf8')).toContain('holds in 313 states instead of\n618');
  });
});

describe('outage-checker/testing matchers', () => {
  test('toHold fails with the counterexample story', async () => {
    const result = matchers.toHold(await check(leaseLock, { variant: 'unfenced', properties: ['writes-in-lease-order'] }));
    expect(result.pass).toBe(false);
    const message = result.message();
    expect(message).toContain('lease-lock/unfenced writes-in-lease-order (exhaustive): violated in 12 steps');
    expect(message).toContain('12. storage receives WRITE from c1 (sent at step 4)');
    expect(message).toContain("Broken: writes-in-lease-order: the storage took c1's write under token 1 after c2's write under token 2");
  });

  test('toBeViolatedBy fails by saying how much was explored', async () => {
    const result = matchers.toBeViolatedBy(await check(leaseLock, { variant: 'fenced' }), 'writes-in-lease-order');
    expect(result.pass).toBe(false);
    expect(result.message()).toContain('lease-lock/fenced writes-in-lease-order (exhaustive): holds in all 618 reachable states');
  });

  test('toBeAsExpected names the verdict that differs from the declared one', async () => {
    const wrongExpectation = defineModel({
      ...leaseLock,
      variants: { fenced: { summary: 'declared wrongly', expect: { 'writes-in-lease-order': 'violated' } } },
    });
    const result = matchers.toBeAsExpected(await check(wrongExpectation));
    expect(result.pass).toBe(false);
    expect(result.message()).toContain('(declared: violated)');
    expect(matchers.toBeAsExpected(await check(leaseLock)).pass).toBe(true);
  });

  test('a forgotten await is named', () => {
    expect(() => matchers.toHold(check(leaseLock, { variant: 'fenced' }))).toThrow(/received a promise; write expect\(await check\(model\)\)/);
  });

  test('an unknown property is an error, not a pass', async () => {
    const done = await check(leaseLock, { variant: 'fenced' });
    expect(() => matchers.toHold(done, 'no-such-property')).toThrow(/no result for no-such-property/);
  });

  test('random behaviours find the unfenced bug and the message tells a reduced story', () => {
    const details = fc.check(
      fc.property(behaviours(leaseLock, { variant: 'unfenced' }), (b) => {
        expect(b).toHold('writes-in-lease-order');
      }),
      { seed: 7, numRuns: 2000 },
    );
    expect(details.failed).toBe(true);
    const message = String((details.errorInstance as Error).message);
    expect(message).toContain('lease-lock/unfenced writes-in-lease-order (random) is violated');
    expect(message).toMatch(/Broken: writes-in-lease-order: the storage took c\d's write under token 1 after c\d's write under token 2/);
  });

  test('a replay file that no longer fits the model says how to regenerate it', async () => {
    const saved = new URL('counterexamples/lease-lock/unfenced--writes-in-lease-order.replay.json', EXAMPLES);
    const tampered = JSON.parse(readFileSync(saved, 'utf8'));
    tampered.fingerprint = '0000000000000000';
    const path = `${process.env.TMPDIR ?? '/tmp'}/guide-tampered-${process.pid}.replay.json`;
    writeFileSync(path, JSON.stringify(tampered));
    await expect(replayCounterexample(path, leaseLock)).rejects.toThrow(/has changed since this file was written/);
  });
});
