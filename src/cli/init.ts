import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../report/atomic-write.js';
import { UsageError } from './args.js';

/** The starter files, in the order `init` writes them. */
const STARTER_FILES = ['model.ts', 'properties.ts', 'model.test.ts'];

// In the installed package they are copied to dist/starter; in this repository they are examples/starter.
const STARTER = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../examples/starter/' : '../../starter/', import.meta.url));

export const INIT_USAGE = `usage: outage-checker init [DIR]
  writes a starter model (DIR/model.ts), its properties (DIR/properties.ts) and a vitest
  test (DIR/model.test.ts) into DIR (default: the current folder); refuses to overwrite a file`;

/** `outage-checker init [DIR]`: writes the starter files, never over an existing one; returns what to tell the user. */
export function runInit(argv: readonly string[]): string {
  if (argv.length > 1 || argv.some((a) => a.startsWith('-'))) throw new UsageError('init takes at most one folder, and no options (usage: outage-checker init [DIR])');
  const dir = argv[0] ?? '.';
  const targets = STARTER_FILES.map((file) => join(dir, file));
  const taken = targets.filter((path) => existsSync(path));
  if (taken.length) throw new UsageError(`init writes no file over an existing one: ${taken.join(', ')} already exist`);
  for (const [i, file] of STARTER_FILES.entries()) writeFileAtomic(targets[i]!, readFileSync(join(STARTER, file), 'utf8'));
  return [
    `wrote ${targets.join(', ')}`,
    'next:',
    `  npx outage-checker check ${targets[0]}    check every variant and property`,
    `  npx vitest run ${dir}    run its tests`,
  ].join('\n');
}
