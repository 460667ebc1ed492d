// `prepare`: builds dist/ when npm installs this package from a git URL.
// dist/ is not committed, so a git install has nothing to import unless it is built
// there. npm (pacote) clones the repository into a temporary folder, installs its dev
// dependencies with `npm install` (which runs `prepare` for the clone as a root
// project), then runs `prepare` once more as the step that prepares the dependency,
// with npm_package_resolved set to the clone. Only that second run builds: the first
// would build the same thing twice, and in a developer's clone (`npm ci`, `npm install`)
// or before `npm pack` (whose `prepack` builds) a build here is not wanted.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.env.npm_package_resolved) {
  const build = fileURLToPath(new URL('./build-dist.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [build], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
