import type { Coverage } from '../coverage.js';
import type { PortableEnvelope } from '../../world/portable.js';

/** Which model a worker loads: by name from a module exporting `models`, as `npm run check` does. */
export interface ModelRef {
  /** URL of a module exporting `models: ModelDefinition[]`. */
  modelsModule: string;
  model: string;
  variant: string;
  config?: string;
}

/** The interning tables of the coordinator's World, or a tail of them. */
export interface Dictionary {
  /** Per process, the local-state keys from `localsFrom[p]` on. */
  localsFrom: number[];
  locals: string[][];
  envelopesFrom: number;
  envelopes: PortableEnvelope[];
}

export type ToWorker =
  | { type: 'init'; ref: ModelRef; checks: string[] | undefined }
  /** Make the worker's tables equal to the coordinator's: `rebuild` starts from a fresh World. */
  | { type: 'sync'; rebuild: boolean; dictionary: Dictionary; found: number[] }
  | { type: 'expand'; chunk: number; depth: number; expandSuccessors: boolean; states: string[] }
  /** What the worker's Worlds exercised, for coverage. */
  | { type: 'coverage' };

/** Edge flags in `ChunkResult.sent`. */
export const SKIPPED = 0;
export const SENT = 1;
/** Sent, but it holds ids the worker interned this level: the coordinator renumbers it. */
export const PROVISIONAL = 2;

export interface ChunkFinding {
  check: number;
  /** Offset of the state within the chunk. */
  offset: number;
  witness: unknown;
}

export interface ChunkResult {
  type: 'result';
  chunk: number;
  /** Enabled actions per state of the chunk. */
  actionCounts: Int32Array;
  /** One flag per successor, in state order then action order. */
  sent: Uint8Array;
  /** The successors flagged SENT or PROVISIONAL, in order. */
  successors: string[];
  findings: ChunkFinding[];
  /** Keys the worker interned while expanding this chunk, in the order it interned them. */
  newLocals: string[][];
  newEnvelopes: PortableEnvelope[];
  failure?: { offset: number; actionIndex: number; error: PortableError };
  /** Milliseconds the worker spent on the chunk. */
  workMs?: number;
}

export interface PortableError {
  name: string;
  message: string;
  process?: string;
  event?: string;
  detail?: string;
}

export type FromWorker =
  | { type: 'ready'; checks: Array<{ name: string; kind: 'always' | 'sometimes' | 'deadlock' }> }
  | ChunkResult
  | { type: 'coverage'; coverage: Coverage }
  | { type: 'fatal'; error: PortableError };
