// `npm run docs`: regenerate docs/invariants.md and docs/models/*.md from the code.
import { join } from 'node:path';
import { models } from '../../properties/index.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { generateDocs } from './generate.js';

const root = join(import.meta.dirname, '..', '..', 'docs');
for (const [path, content] of generateDocs(models)) {
  writeFileAtomic(join(root, path), content);
  console.log(`wrote docs/${path}`);
}
