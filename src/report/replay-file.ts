import type { CheckResult } from '../check/result.js';
import type { ActionDescriptor } from '../world/actions.js';

export const REPLAY_FORMAT = 'outage-checker/replay';
export const REPLAY_VERSION = 1;

/** Everything needed to re-run a counterexample step by step, and to tell when it no longer can. */
export interface ReplayFile {
  format: typeof REPLAY_FORMAT;
  version: number;
  model: string;
  variant: string;
  config: string;
  property: string;
  /** What the steps showed when recorded: `violated` (a counterexample) or `holds` (a sometimes example). */
  verdict: 'violated' | 'holds';
  fingerprint: string;
  mode: string;
  witness: string;
  steps: ActionDescriptor[];
  /** For a liveness counterexample: the steps from here on repeat forever. */
  loopFrom?: number;
}

export class ReplayFileError extends Error {}

export function toReplayFile(result: CheckResult, fingerprint: string): ReplayFile {
  return {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    model: result.model,
    variant: result.variant,
    config: result.config,
    property: result.property,
    verdict: result.verdict === 'holds' ? 'holds' : 'violated',
    fingerprint,
    mode: result.mode,
    witness: result.witness?.message ?? '',
    steps: result.trace ?? [],
    ...(result.loopFrom !== undefined ? { loopFrom: result.loopFrom } : {}),
  };
}

/** Parses and validates a replay file's text; every problem is one plain sentence naming the file. */
export function parseReplayFile(text: string, file: string): ReplayFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ReplayFileError(`${file} is not valid JSON: it is not a replay file or it was cut short`);
  }
  const r = data as Partial<ReplayFile> | null;
  if (!r || typeof r !== 'object' || r.format !== REPLAY_FORMAT) throw new ReplayFileError(`${file} is not a replay file (no "format": "${REPLAY_FORMAT}")`);
  if (r.version !== REPLAY_VERSION) throw new ReplayFileError(`${file} is replay format version ${String(r.version)}; this tool reads version ${REPLAY_VERSION}`);
  for (const field of ['model', 'variant', 'config', 'property', 'fingerprint'] as const) {
    if (typeof r[field] !== 'string' || r[field] === '') throw new ReplayFileError(`${file} is corrupt: "${field}" is missing or not a string`);
  }
  if (r.verdict !== 'violated' && r.verdict !== 'holds') throw new ReplayFileError(`${file} is corrupt: "verdict" must be "violated" or "holds"`);
  if (!Array.isArray(r.steps) || !r.steps.every((s) => s && typeof s === 'object' && typeof (s as { kind?: unknown }).kind === 'string')) {
    throw new ReplayFileError(`${file} is corrupt: "steps" must be a list of actions`);
  }
  const init = r.steps.findIndex((s) => (s as { kind: string }).kind === 'init');
  if (init > 0 || (init === 0 && typeof (r.steps[0] as { initial?: unknown }).initial !== 'string')) {
    throw new ReplayFileError(`${file} is corrupt: only the first step may name an initial state, and it must name it by a string "initial"`);
  }
  if (r.loopFrom !== undefined && (!Number.isInteger(r.loopFrom) || r.loopFrom < 0 || r.loopFrom > r.steps.length)) {
    throw new ReplayFileError(`${file} is corrupt: "loopFrom" must be a step index within the steps`);
  }
  return r as ReplayFile;
}
