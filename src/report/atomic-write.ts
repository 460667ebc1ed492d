import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename, parse, resolve } from 'node:path';

/** Writes a file so that readers see the old content or the new, never half of it: write aside, then rename. */
export function writeFileAtomic(path: string, content: string): void {
  ensureDirectory(dirname(path));
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Makes a folder and its missing parents one level at a time. Node's recursive
 * mkdir can loop forever on some paths (under /proc, say); this fails at once
 * with a message naming the part of the path that is not a writable folder.
 */
export function ensureDirectory(dir: string): void {
  const target = resolve(dir);
  const parts: string[] = [];
  for (let d = target; d !== parse(d).root; d = dirname(d)) parts.unshift(d);
  for (const d of parts) {
    let isDirectory: boolean | undefined;
    try {
      isDirectory = statSync(d).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (isDirectory === false) throw new Error(`${d} is a file, not a folder`);
    if (isDirectory === undefined) mkdirSync(d);
  }
}

/**
 * Checks, before any long search, that results can be written into `dir`:
 * the folder is made if missing and a probe file is written and removed.
 * Also clears the temporary files an interrupted earlier write left behind.
 */
export function checkWritableDirectory(dir: string): void {
  ensureDirectory(dir);
  const probe = join(dir, `.outage-checker-probe.${process.pid}.tmp`);
  writeFileSync(probe, '');
  rmSync(probe, { force: true });
  removeLeftoverTemporaries(dir);
}

/** Temporary files of atomic writes whose process died before renaming them. */
function removeLeftoverTemporaries(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (/(^|\/)\.[^/]+\.\d+\.tmp$/.test(entry)) rmSync(join(dir, entry), { force: true });
  }
}
