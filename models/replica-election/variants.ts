import type { VariantDefinition } from '../../src/index.js';
import type { ElectionVariant } from './design.js';
import { PASSAGES } from './passages.js';
import type { ElectionConfig } from './world.js';

export const electionConfigs = {
  /** Three replicas, so that the primary of a new epoch has a secondary; one node may be cut off on both networks (or, with a regional authority, the cluster from the control plane). */
  'three-replicas': { replicas: 3, writes: 1, suspicions: 1, drops: 0, crashes: 0, partitions: 1 },
  /** The same election with one lost message instead of the partition. */
  'three-replicas-loss': { replicas: 3, writes: 1, suspicions: 1, drops: 1, crashes: 0, partitions: 0 },
  /** The same election with a crash and restart of r1, the primary the volume starts with. */
  'three-replicas-crash': { replicas: 3, writes: 1, suspicions: 1, drops: 0, crashes: 1, partitions: 0, crashable: 'first' },
  /** Two writes, so that a late copy of the first can meet the second. */
  'two-writes': { replicas: 3, writes: 2, suspicions: 1, drops: 0, crashes: 0, partitions: 0 },
  /** Two replicas, either of which may crash once: a small search for a crash between asking for primacy and being granted it. */
  'two-replicas-crash': { replicas: 2, writes: 1, suspicions: 1, drops: 0, crashes: 1, partitions: 0 },
  /** Two suspicions, for the counterfactuals that need a second replica to act on its own. */
  'two-suspicions': { replicas: 3, writes: 1, suspicions: 2, drops: 0, crashes: 0, partitions: 0 },
  /** The reviewer's size: every fault at once. Not in the default check (see the report for how far it gets). */
  large: { replicas: 3, writes: 2, suspicions: 2, drops: 1, crashes: 2, partitions: 1 },
} satisfies Record<string, ElectionConfig>;

export const electionConfigNotes: Record<keyof typeof electionConfigs, string> = {
  'three-replicas': '3 replicas, 1 write, 1 suspicion at any moment, 1 partition; retries unbounded; every message stays deliverable (late, repeated) unless lost',
  'three-replicas-loss': '3 replicas, 1 write, 1 suspicion at any moment, 1 lost message; retries unbounded',
  'three-replicas-crash': '3 replicas, 1 write, 1 suspicion at any moment, 1 crash and restart of r1; retries unbounded',
  'two-writes': '3 replicas, 2 writes, 1 suspicion at any moment; retries unbounded',
  'two-replicas-crash': '2 replicas, 1 write, 1 suspicion at any moment, 1 crash and restart of either replica; retries unbounded',
  'two-suspicions': '3 replicas, 1 write, 2 suspicions at any moment; retries unbounded',
  large: '3 replicas, 2 writes, 2 suspicions, 1 lost message, 2 crashes with restarts, 1 partition',
};

export const CHECKED_CONFIGS = ['three-replicas', 'three-replicas-loss', 'three-replicas-crash', 'two-writes'];

const SAFETY = { 'single-primary': 'holds', 'primary-granted-by-authority': 'holds', 'acked-writes-on-primary': 'holds' } as const;
const ALL_HOLD = { ...SAFETY, 'stale-write-refused': 'holds', 'reelection-happens': 'holds', 'eventually-writable': 'holds' } as const;

export const electionVariants: Record<ElectionVariant, VariantDefinition> = {
  'stuck-2011': {
    configs: ['three-replicas'],
    kind: 'as-it-happened',
    passage: PASSAGES.stuck,
    summary:
      'The 2011 election: the regional control plane is the authority and I/O blocks until it names a primary. It never lets two primaries serve, but once communication between the cluster and the control plane is cut (as from 8:20 AM), a volume whose replica suspected its peer stays stuck although its replicas are connected again.',
    expect: { ...SAFETY, 'eventually-writable': 'violated' },
  },
  buggy: {
    configs: ['two-suspicions'],
    kind: 'without-safeguard',
    passage: PASSAGES.blocked,
    summary:
      "Counterfactual without the authority's say over the replica set: a primary that loses a secondary assumes it failed, drops it and keeps acknowledging writes alone, while the secondary gets itself made primary in a new epoch.",
    expect: { 'single-primary': 'violated', 'acked-writes-on-primary': 'violated', 'primary-granted-by-authority': 'violated' },
  },
  fixed: {
    kind: 'fixed',
    remedy: 'promised',
    passage: PASSAGES.perCluster,
    summary:
      "The 2011 election (authority, blocked I/O, epochs) with the authority run as a per-cluster service in the cluster's own zone, so cutting the cluster off from the regional control plane leaves elections possible; every control message is resent until answered.",
    expect: ALL_HOLD,
    safeguards: {
      'authority-decides-membership': {
        statement: 'A replica that suspects a peer never changes the replica set itself: it blocks I/O and asks the authority, which grants primacy in a new epoch.',
        ablation: 'fixed-primary-drops-peer',
        transitions: [{ machine: 'replica', transition: 'negotiating on NEW_PRIMARY' }],
      },
      'grant-only-current-member': {
        statement: 'The authority grants primacy only to a replica of its current replica set that asks in its current epoch.',
        ablation: 'fixed-grants-any-request',
        transitions: [{ machine: 'authority', transition: 'serving on REQUEST_PRIMACY' }],
      },
      'adopt-newer-epochs-only': {
        statement: "Replicas and the instance take up the authority's announcement only when its epoch is newer than theirs.",
        ablation: 'fixed-adopts-any-epoch',
        transitions: [{ machine: 'replica', transition: 'secondary on NEW_PRIMARY' }],
      },
      'apply-newer-writes-only': {
        statement: 'A secondary applies a write only when it is newer than the block it holds, so a resent copy that arrives late does not undo a newer write.',
        ablation: 'fixed-applies-stale-duplicates',
        transitions: [{ machine: 'replica', transition: 'secondary on REPLICATE' }],
      },
      'retry-until-answered': {
        statement: 'REQUEST_PRIMACY, REJOIN, NEW_PRIMARY, REPLICATE and WRITE are resent on a timer until answered.',
        ablation: 'fixed-without-retries',
        transitions: [
          { machine: 'replica', transition: 'negotiating on RETRY' },
          { machine: 'replica', transition: 'primary on RETRY' },
        ],
      },
      'per-cluster-authority': {
        statement: "The election authority runs in the cluster's own Availability Zone, so the cut between the cluster and the regional control plane does not separate them.",
        ablation: 'fixed-regional-authority',
      },
    },
  },
  'fixed-primary-drops-peer': {
    configs: ['two-suspicions'],
    kind: 'ablation',
    of: 'fixed',
    summary: 'The fix, but a primary that suspects a secondary drops it and carries on alone.',
    expect: { 'single-primary': 'violated', 'acked-writes-on-primary': 'violated' },
  },
  'fixed-grants-any-request': {
    configs: ['two-suspicions'],
    kind: 'ablation',
    of: 'fixed',
    summary: 'The fix, but the authority grants primacy to whoever asks, whatever its epoch or membership.',
    expect: { 'acked-writes-on-primary': 'violated' },
  },
  'fixed-adopts-any-epoch': {
    configs: ['two-suspicions'],
    kind: 'ablation',
    of: 'fixed',
    summary: 'The fix, but replicas and the instance take up any announcement of another epoch, older ones too.',
    expect: { 'primary-granted-by-authority': 'violated' },
  },
  'fixed-applies-stale-duplicates': {
    configs: ['two-writes'],
    kind: 'ablation',
    of: 'fixed',
    summary: 'The fix, but a secondary applies every copy it receives, so a late resent copy overwrites a newer write.',
    expect: { 'acked-writes-on-primary': 'violated' },
  },
  'fixed-forgets-its-request': {
    configs: ['two-replicas-crash'],
    kind: 'failed-fix',
    of: 'fixed',
    summary:
      'The first attempt at the fix: a replica that asked for primacy, crashed and came back asked where things stood and followed the old primary again; the authority then granted its request from before the crash, and the old primary went on serving in an epoch the authority had left.',
    expect: { 'primary-granted-by-authority': 'violated' },
  },
  'fixed-without-retries': {
    configs: ['three-replicas-loss'],
    kind: 'ablation',
    of: 'fixed',
    summary: 'The fix, but each control message is sent once: a lost one is never resent.',
    expect: { ...SAFETY, 'eventually-writable': 'violated' },
  },
  'fixed-regional-authority': {
    configs: ['three-replicas'],
    kind: 'ablation',
    of: 'fixed',
    summary: 'The fix, but with the authority in the regional control plane, which the cut of 8:20 AM separates from the cluster.',
    expect: { ...SAFETY, 'eventually-writable': 'violated' },
  },
};
