// `npm run docs`: regenerate docs/invariants.md, docs/models/*.md and the figures of models/examples/*/README.md from the code.
import { join } from 'node:path';
import { models } from '../../properties/index.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { generateDocs } from './generate.js';
import { exampleReadmes } from './example-readmes.js';
import { twoPhaseCommit } from '../../properties/two-phase-commit.js';
import { blastRadiusReport, DEFAULT_REPORT } from '../../models/rds-blast-radius/report.js';

const root = join(import.meta.dirname, '..', '..', 'docs');
const pages = generateDocs(models);
// The single-AZ blast-radius report is a computation, not a model: its page and plot are generated here too.
const blastRadius = blastRadiusReport(DEFAULT_REPORT);
pages.set('rds-blast-radius.md', blastRadius.markdown);
pages.set('rds-blast-radius.svg', blastRadius.svg);
for (const [path, content] of pages) {
  writeFileAtomic(join(root, path), content);
  console.log(`wrote docs/${path}`);
}
// The example READMEs' figures (ours beside TLC's): only the block between their markers is rewritten.
const repository = join(import.meta.dirname, '..', '..');
for (const [path, content] of exampleReadmes(repository, twoPhaseCommit)) {
  writeFileAtomic(join(repository, path), content);
  console.log(`wrote ${path}`);
}
