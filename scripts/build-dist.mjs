// `npm run build`: compiles the package into dist/ (tsconfig.build.json), then copies
// what tsc does not: the worker bootstraps (.mjs), the starter files `init` writes, and the
// corpus a built-in suite reads.
// Writes into a fresh folder and swaps it in, so a failed build never leaves half a dist/.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fresh = join(root, 'dist.tmp');
rmSync(fresh, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', fresh], { stdio: 'inherit' });
if (tsc.status !== 0) {
  rmSync(fresh, { recursive: true, force: true });
  console.error('build failed: tsc exited with', tsc.status);
  process.exit(1);
}
for (const file of readdirSync(join(root, 'src'), { recursive: true })) if (file.endsWith('.mjs')) cpSync(join(root, 'src', file), join(fresh, 'src', file));
cpSync(join(root, 'examples/starter'), join(fresh, 'starter'), { recursive: true });
cpSync(join(root, 'counterexamples/replication-close'), join(fresh, 'counterexamples/replication-close'), { recursive: true });
rmSync(join(root, 'dist'), { recursive: true, force: true });
renameSync(fresh, join(root, 'dist'));
if (!existsSync(join(root, 'dist/src/index.js'))) throw new Error('build wrote no dist/src/index.js');
