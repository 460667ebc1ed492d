import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { models } from '../properties/index.js';
import { generateDocs } from '../src/docs/generate.js';

describe('generated docs', () => {
  it('are committed exactly as `npm run docs` writes them', () => {
    for (const [path, content] of generateDocs(models)) {
      const committed = readFileSync(join(process.cwd(), 'docs', path), 'utf8');
      expect(content, `docs/${path} is stale: run npm run docs`).toBe(committed);
    }
    // Every variant of every model on every checked configuration, exhaustively: minutes on a busy machine.
  }, 600_000);

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
});
