import type { SourceRef, VariantDefinition } from '../../src/index.js';
import type { FailoverVariant } from './design.js';
import type { FailoverConfig } from './world.js';

export const failoverConfigs = {
  'partition-then-stuck': { commits: 1, crashes: 1, crashable: ['vol-a'], drops: 0 },
  'stuck-lossy': { commits: 1, crashes: 1, crashable: ['vol-a'], drops: 1, partition: false },
  'stuck-agent-crash': { commits: 1, crashes: 2, crashable: ['vol-a', 'agent'], drops: 0, partition: false },
  'stuck-standby-crash': { commits: 1, crashes: 2, crashable: ['vol-a', 'db-b'], drops: 0, partition: false },
  'two-commits': { commits: 2, crashes: 1, crashable: ['vol-a'], drops: 0, partition: false },
  'two-commits-calm': { commits: 2, crashes: 0, crashable: [], drops: 0, partition: false, agentSuspects: false },
  'large-lossy-cut': { commits: 1, crashes: 2, crashable: ['vol-a', 'agent'], drops: 1 },
  'large-standby-cut': { commits: 1, crashes: 2, crashable: ['vol-a', 'db-b'], drops: 1 },
  large: { commits: 2, crashes: 2, crashable: ['vol-a', 'db-b', 'agent'], drops: 2 },
} satisfies Record<string, FailoverConfig>;

export const failoverConfigNotes: Record<keyof typeof failoverConfigs, string> = {
  'partition-then-stuck': '1 commit; the zone cut (healed at any time) and a stuck volume (restored at any time): the 2011 sequence, no message loss',
  'stuck-lossy': '1 commit; a stuck volume and 1 lost message, no zone cut',
  'stuck-agent-crash': '1 commit; a stuck volume and a crash and restart of the agent, no zone cut, no loss',
  'stuck-standby-crash': "1 commit; a stuck volume and a crash and restart of the standby's host, no zone cut, no loss",
  'two-commits': '2 commits; a stuck volume: a late acknowledgement of commit 1 can meet commit 2',
  'two-commits-calm': '2 commits, no fault, and an agent that never suspects the primary: the commit path alone, where a late acknowledgement of commit 1 meets commit 2',
  'large-lossy-cut': '1 commit; the zone cut, the volume stuck, the agent crashed and restarted, 1 lost message (on request)',
  'large-standby-cut': "1 commit; the zone cut, the volume stuck, the standby's host crashed and restarted, 1 lost message (on request)",
  large: '2 commits; the zone cut, 2 crashes among the volume, the standby and the agent, 2 lost messages (reviewer size, on request)',
};

/** Every timer may fire at any moment in every configuration; these together add loss, both crashes and two commits. */
export const FIXED_CONFIGS = ['partition-then-stuck', 'stuck-lossy', 'stuck-agent-crash', 'stuck-standby-crash', 'two-commits'];

type Expect = Record<string, 'holds' | 'violated'>;
const allHold: Expect = {
  'no-lost-commits': 'holds',
  'standby-holds-acked': 'holds',
  'single-writer': 'holds',
  'epochs-issued-by-agent': 'holds',
  linearizable: 'holds',
  'no-manual-intervention': 'holds',
  'eventually-available': 'holds',
  'promotion-completes': 'holds',
  'failover-completes': 'holds',
};
/** Only the properties a safeguard protects: an ablation is checked for what it must break. */
const only = (...properties: string[]): Expect => Object.fromEntries(properties.map((p) => [p, 'violated']));
const breaks = (...properties: string[]): Expect => ({ ...allHold, ...Object.fromEntries(properties.map((p) => [p, 'violated'])) });


export function failoverVariants(p: { rapidSuccession: SourceRef; isolated: SourceRef; fixPromised: SourceRef }): Record<FailoverVariant, VariantDefinition> {
  const ablation = (summary: string, expect: Expect, configs: string[]): VariantDefinition => ({ kind: 'ablation', of: 'fixed', summary, expect, configs });
  return {
    buggy: {
      kind: 'as-it-happened',
      passage: p.rapidSuccession,
      summary:
        'As in 2011 (RDS section): the zone cut separates primary and standby; the primary starts marking the standby out of date on its volume so as to commit alone, and the volume sticks before the mark is written. The agent fails over only when the fenced primary vouches for the standby; this one cannot, so the agent leaves the database to a person, and while the zone stays cut off it hears nothing and waits.',
      expect: breaks('standby-holds-acked', 'no-manual-intervention', 'eventually-available'),
      configs: ['partition-then-stuck'],
    },
    'naive-failover': {
      kind: 'without-safeguard',
      passage: p.isolated,
      summary:
        "Without the agent's caution the postmortem credits: it promotes the standby whenever it suspects the primary, though the 2011 primary may have acknowledged commits alone; commits are lost and two databases accept writes.",
      expect: breaks('no-lost-commits', 'standby-holds-acked', 'single-writer', 'linearizable'),
      configs: ['partition-then-stuck'],
    },
    fixed: {
      kind: 'fixed',
      remedy: 'own',
      passage: p.fixPromised,
      summary:
        "The project's own design (the postmortem only says a fix is being worked on): the primary never acknowledges a commit the standby lacks, so when the fenced primary does not report in time the agent fails over anyway; epochs are recorded durably before use, FENCE and PROMOTE are resent until answered, the promoted standby refuses the old epoch, and the primary matches acknowledgements to the commit they are for.",
      expect: allHold,
      configs: FIXED_CONFIGS,
      safeguards: {
        'sync-only': {
          statement: 'The primary never acknowledges a commit the standby does not hold: cut off from it, it blocks instead of going on alone.',
          ablation: 'fixed-without-sync-only',
        },
        'fail-over-in-doubt': {
          statement: 'When the fenced primary does not report in time, the agent fails over anyway: safe only because of sync-only.',
          ablation: 'fixed-without-fail-over-in-doubt',
          transitions: [{ machine: 'agent', transition: 'fencing on FENCE_TIMEOUT' }],
        },
        'promote-retried': {
          statement: 'The agent resends PROMOTE until the standby acknowledges it.',
          ablation: 'fixed-without-promote-retry',
          transitions: [{ machine: 'agent', transition: 'promoting on RETRY' }],
        },
        'epoch-refusal': {
          statement: 'A promoted standby refuses replication from an older epoch, so the old primary can never get a commit acknowledged again.',
          ablation: 'fixed-without-epoch-refusal',
          transitions: [{ machine: 'database', transition: 'serving on REPLICATE' }],
        },
        'durable-agent': {
          statement: 'The agent records its epoch and decision durably before acting, and resumes from that record after a crash.',
          ablation: 'fixed-without-durable-agent',
        },
        'commit-id-match': {
          statement: 'The primary counts a replication acknowledgement only for the commit it is waiting on.',
          ablation: 'fixed-without-commit-id-match',
        },
      },
    },
    'first-fix': {
      kind: 'failed-fix',
      of: 'fixed',
      summary:
        'The first fix this model shipped: the primary never commits alone, and the agent promotes the standby as soon as it suspects the primary, sending PROMOTE once. One lost PROMOTE and the standby is never promoted; and with no report from the primary, the agent has no way to meet a case it must hand to a person.',
      expect: { 'no-lost-commits': 'holds', 'standby-holds-acked': 'holds', 'single-writer': 'holds', linearizable: 'holds', 'promotion-completes': 'violated' },
      configs: ['stuck-lossy'],
    },
    'fixed-without-sync-only': ablation(
      'The fix, but the primary cut off from its standby marks it out of date and commits alone, as in 2011.',
      only('no-lost-commits', 'standby-holds-acked', 'no-manual-intervention', 'linearizable'),
      ['partition-then-stuck'],
    ),
    'fixed-without-fail-over-in-doubt': ablation(
      'The fix, but like the 2011 agent it waits for the fenced primary\'s report: while the zone is cut off it never fails over.',
      only('eventually-available'),
      ['partition-then-stuck'],
    ),
    'fixed-without-promote-retry': ablation('The fix, but PROMOTE is sent once: if it is lost the standby is never promoted.', only('promotion-completes'), ['stuck-lossy']),
    'fixed-without-epoch-refusal': ablation("The fix, but the promoted standby still applies the old primary's replication.", only('single-writer'), ['stuck-lossy']),
    'fixed-without-durable-agent': ablation(
      'The fix, but the agent keeps its epoch and decision in memory only: after a crash it starts again at epoch 1.',
      only('epochs-issued-by-agent'),
      ['stuck-agent-crash'],
    ),
    'fixed-without-commit-id-match': ablation(
      'The fix, but the primary takes any replication acknowledgement of its epoch for the commit it is waiting on.',
      only('standby-holds-acked'),
      ['two-commits-calm'],
    ),
  };
}
