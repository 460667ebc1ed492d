import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { leaseLock } from '../../examples/lease-lock.js';
import { runLeaseLock } from '../../examples/lease-lock.impl.js';
import { describeValidation, parseLog, validateLog, validationInstance } from '../../src/testing/index.js';

test("the guide's unfenced run is what the validator says of seed 14: line 44 of 48, after 18 matched steps", () => {
  const fenced = validationInstance(leaseLock, 'fenced', { clients: 2, ticks: 6, drops: 0 });
  const text = runLeaseLock(14, { fenced: false, clients: 2, ticks: 6, steps: 40 });
  const validation = validateLog(fenced, parseLog(text, { processes: fenced.world.processNames }));
  expect(text.split('\n').length).toBe(48);
  expect(validation.verdict === 'diverges' && [validation.event.line, validation.matched.length]).toEqual([44, 18]);
  const first = describeValidation(validation, 'unfenced.jsonl')[0]!;
  const guide = readFileSync(new URL('../../docs/guide.md', import.meta.url), 'utf8');
  const quoted = /^> unfenced\.jsonl:44:[\s\S]*?(?=\n\n)/m.exec(guide)![0].replace(/\n> /g, ' ').slice(2);
  expect(quoted).toBe(first);
  expect(guide).toContain('seed 14 the validator stops at line 44 of 48');
  expect(guide).toContain('followed by the 18 steps that led there');
});
