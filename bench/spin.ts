/**
 * SPIN on the same two-phase commit as `properties/two-phase-commit.ts`, for a
 * ratio measured in the same run: the TLA+ TwoPhase spec written in Promela
 * (one atomic step per TLA+ action; a step that would change nothing is not
 * offered, as the world offers none), which reaches exactly the project's
 * state counts (288 for three resource managers, 1,745,408 for eight).
 * Needs `spin` and a C compiler (Debian: `apt-get install spin`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpinRun {
  states: number;
  /** SPIN's own count of errors found (assertion violations): 0 when TCConsistent holds. */
  errors: number;
  userSeconds: number;
  systemSeconds: number;
  wallSeconds: number;
}

/**
 * The Promela model with `rms` resource managers; states 0 working, 1
 * prepared, 2 committed, 3 aborted; TM 0 init, 1 committed, 2 aborted. With
 * `invariant`, a never claim asserts TCConsistent (no RM committed while
 * another aborted) in every state, as the project checks `tc-consistent`.
 */
export function twoPhasePromela(rms: number, invariant = false): string {
  const lines = [`byte rmState[${rms}]; byte tmState; bit tmPrepared[${rms}]; bit msgPrepared[${rms}]; bit msgCommit; bit msgAbort;`, 'active proctype TwoPhase() {', 'end: do'];
  for (let r = 0; r < rms; r++) {
    lines.push(
      `  :: d_step { tmState == 0 && msgPrepared[${r}] && !tmPrepared[${r}] -> tmPrepared[${r}] = 1 }`,
      `  :: d_step { rmState[${r}] == 0 -> rmState[${r}] = 1; msgPrepared[${r}] = 1 }`,
      `  :: d_step { rmState[${r}] == 0 -> rmState[${r}] = 3 }`,
      `  :: d_step { msgCommit && rmState[${r}] != 2 -> rmState[${r}] = 2 }`,
      `  :: d_step { msgAbort && rmState[${r}] != 3 -> rmState[${r}] = 3 }`,
    );
  }
  const allPrepared = Array.from({ length: rms }, (_, r) => ` && tmPrepared[${r}]`).join('');
  lines.push(`  :: d_step { tmState == 0${allPrepared} -> tmState = 1; msgCommit = 1 }`, '  :: d_step { tmState == 0 -> tmState = 2; msgAbort = 1 }', '  od', '}');
  if (invariant) {
    const any = (state: number) => Array.from({ length: rms }, (_, r) => `rmState[${r}] == ${state}`).join(' || ');
    lines.push(`never { do :: assert(!((${any(2)}) && (${any(3)}))) od }`);
  }
  return lines.join('\n') + '\n';
}

/** Why SPIN cannot run here, or undefined when it can. */
export function spinMissing(): string | undefined {
  if (spawnSync('spin', ['-V']).status !== 0) return 'SPIN was not found (Debian: apt-get install spin)';
  if (spawnSync('cc', ['--version']).status !== 0) return 'SPIN was found but no C compiler (cc) to build its verifier';
  return undefined;
}

/**
 * Builds SPIN's verifier for `rms` resource managers (not timed) and runs its
 * full state-space search (timed: CPU from /usr/bin/time when present).
 */
export function runSpin(rms: number, invariant = false): SpinRun {
  const dir = mkdtempSync(join(tmpdir(), 'spin-2pc-'));
  try {
    writeFileSync(join(dir, 'tp.pml'), twoPhasePromela(rms, invariant));
    run('spin', ['-a', 'tp.pml'], dir);
    // Plain safety search with no partial-order reduction: every state stored, as the project's explorer does.
    run('cc', ['-O2', '-DSAFETY', '-DNOREDUCE', '-o', 'pan', 'pan.c'], dir);
    const timed = existsSync('/usr/bin/time');
    const started = performance.now();
    const args = ['-m100000', '-w24'];
    const out = timed ? run('/usr/bin/time', ['-f', 'cpu %U %S', './pan', ...args], dir) : run('./pan', args, dir);
    const wallSeconds = (performance.now() - started) / 1000;
    const states = Number(/(\d+) states, stored/.exec(out.stdout)?.[1]);
    const errors = Number(/errors: (\d+)/.exec(out.stdout)?.[1]);
    const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(out.stderr);
    return { states, errors, userSeconds: cpu ? Number(cpu[1]) : NaN, systemSeconds: cpu ? Number(cpu[2]) : NaN, wallSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return { stdout: result.stdout, stderr: result.stderr };
}
