import type { CloseVariant, NodeDesign } from './types.js';

const fixed: NodeDesign = { concurrentClose: 'join', copyRecheck: 'own-session', openRecheck: true, oneCopyAtATime: true };

/**
 * Each variant as the decisions its code makes. The ablations and failed
 * fixes each differ from `fixed` in exactly one decision.
 */
export const DESIGNS: Record<CloseVariant, NodeDesign> = {
  buggy: { concurrentClose: 'tear-down-again', copyRecheck: 'nothing', openRecheck: true, oneCopyAtATime: false },
  fixed,
  'fixed-without-one-teardown': { ...fixed, concurrentClose: 'tear-down-again' },
  'fixed-without-copy-recheck': { ...fixed, copyRecheck: 'nothing' },
  'fixed-without-answer-after-teardown': { ...fixed, concurrentClose: 'answer-at-once' },
  'fixed-without-open-recheck': { ...fixed, openRecheck: false },
  'fixed-copy-recheck-by-id': { ...fixed, copyRecheck: 'session-id' },
  'fixed-close-recheck-by-id': { ...fixed, concurrentClose: 'recheck-id' },
  // The first fix: it let two copies of a session read the same chunk, until `chunks-in-order` caught it.
  'fixed-concurrent-copies': { ...fixed, oneCopyAtATime: false },
};

export const CLOSE_VARIANTS = Object.keys(DESIGNS) as CloseVariant[];
