import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blastRadiusReport, DEFAULT_REPORT } from './report.js';

/** Writes docs/rds-blast-radius.md and .svg, each through a temporary file and a rename, so a reader never sees half a file. */

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
const report = blastRadiusReport(DEFAULT_REPORT);
writeAtomically(join(docs, 'rds-blast-radius.md'), report.markdown);
writeAtomically(join(docs, 'rds-blast-radius.svg'), report.svg);
console.log(`wrote docs/rds-blast-radius.md and docs/rds-blast-radius.svg (seed ${DEFAULT_REPORT.seed}, ${DEFAULT_REPORT.trials} trials per point)`);
