import type { RemirrorConfig } from './world.js';

/**
 * Two volumes: n1 holds a replica of both, as a node in the isolated part of
 * the 2011 cluster did. Cutting n1 off calls for two re-mirrors; there is one
 * free slot (on n2), and the buffer adds one more (on n3): exactly the
 * declared failure size.
 */
const twoVolumes = {
  capacity: { n1: 2, n2: 2, n3: 1 },
  buffer: { n3: 1 },
  placement: { v1: ['n1', 'n2'], v2: ['n1', 'n3'] },
  isolatable: [['n1']],
} satisfies Partial<RemirrorConfig>;

/** One volume on n1 and n2, one free slot on n3 (the buffer adds none): the smallest cluster that can re-mirror. */
const oneVolume = {
  capacity: { n1: 1, n2: 1, n3: 1 },
  buffer: {},
  placement: { v1: ['n1', 'n2'] },
  isolatable: [['n1']],
} satisfies Partial<RemirrorConfig>;

/**
 * Two volumes and one free slot, on n1: cut n1 off and v1 finds no space (v2 fills n3), so it can only back
 * off and rejoin; cut n3 off instead and v2 re-mirrors to n1. One cut, so the two behaviours add, not multiply.
 */
const oneSlotOnN1 = {
  capacity: { n1: 2, n2: 2, n3: 1 },
  buffer: {},
  placement: { v1: ['n1', 'n2'], v2: ['n2', 'n3'] },
  isolatable: [['n1'], ['n3']],
} satisfies Partial<RemirrorConfig>;

const noFaults = { writers: [], crashable: [], diskLost: [], partitions: 1, crashes: 0, raceCrashes: 0, drops: 0, falseSuspicions: 0 } satisfies Partial<RemirrorConfig>;

export const remirrorConfigs = {
  /** Asynchronous: timers fire at any time, also with messages in flight; n1 cut off once; one lost message (a false suspicion on top is beyond a quick check: over 3 million states). */
  async: { ...oneVolume, ...noFaults, drops: 1, timers: 'any-time' },
  /** The write path: v1's instance writes once; n1 cut off once; n2 may crash, destroying its disk, and restart empty; one lost message. */
  writes: { ...oneVolume, ...noFaults, writers: ['v1'], diskLost: ['n2'], crashes: 1, drops: 1, timers: 'quiet-network' },
  /** Imperfect failure detection: one false suspicion of a live peer; n1 cut off once; one crash and restart, of n1 (disk kept) or of n2 (disk destroyed, restarts empty); one lost message. */
  flaky: { ...oneVolume, ...noFaults, crashable: ['n1'], diskLost: ['n2'], crashes: 1, drops: 1, falseSuspicions: 1, timers: 'quiet-network' },
  /** `flaky` with only the faults a cancelled grant's lasso needs: a false suspicion, n1 cut off once, n2's crash destroying its disk; no lost message. */
  'flaky-disk': { ...oneVolume, ...noFaults, diskLost: ['n2'], crashes: 1, falseSuspicions: 1, timers: 'quiet-network' },
  /** Capacity pressure with a crash: n1 cut off once; n2 may crash, destroying its disk, and restart empty (a crash keeping the disk is in `flaky`: here it would add 150,000 states). */
  crash: { ...twoVolumes, ...noFaults, diskLost: ['n2'], crashes: 1, timers: 'quiet-network' },
  /** The storm: n1 cut off once, and one crash of the replication-close race (n2 or n3, disk kept) unless the race is fixed. */
  storm: { ...twoVolumes, ...noFaults, crashable: ['n2', 'n3'], raceCrashes: 1, timers: 'quiet-network' },
  /** No free slot for v1, quiet-network timers: n1 cut off once, one lost message (the smallest world where a lost PING stalls a back-off). */
  full: { ...oneSlotOnN1, ...noFaults, isolatable: [['n1']], drops: 1, timers: 'quiet-network' },
  /** Capacity pressure, asynchronous: n1 or n3 cut off once (v1 then finds no free slot, v2 finds the one on n1); timers at any time; one lost message. */
  'full-async': { ...oneSlotOnN1, ...noFaults, drops: 1, timers: 'any-time' },
  /**
   * The faults of `releases-unfenced`'s counterexample, and no more: v1's instance writes once, at any time, then
   * reads once; the control plane resends a grant at any time (its timer does not wait for the confirmation in
   * flight); n1 cut off once; no crash, no lost message; every other timer on a quiet network.
   */
  'resend-async': { ...oneVolume, ...noFaults, writers: ['v1'], reads: 1, timers: 'quiet-network', anyTime: ['RESEND', 'WRITE'] },
  /**
   * The faults of `wipes-unfenced`'s counterexample, and no more: n1 cut off once; n3's detector may suspect its
   * live peer once; n3's crash destroying its disk; the control plane resends a WIPE at any time, also while the
   * confirmation of the first is in flight; no lost message, no writer; every other timer on a quiet network.
   */
  'flaky-resend': { ...oneVolume, ...noFaults, diskLost: ['n3'], crashes: 1, falseSuspicions: 1, misled: ['n3'], timers: 'quiet-network', anyTime: ['RESEND'] },
  /**
   * The faults of `stale-replaced-strands-replica`'s counterexample, and no more: n1 cut off once; n2's crash
   * destroying its disk; n1's retry timer firing at any time (it asks again while the answer to its last ask is
   * in flight); no lost message, no writer; every other timer on a quiet network.
   */
  'retry-async': { ...oneVolume, ...noFaults, diskLost: ['n2'], crashes: 1, timers: 'quiet-network', anyTime: ['RETRY@n1'] },
  /**
   * The faults of `replicate-unfenced`'s counterexample, and no more: v1's instance writes once; n2's crash
   * destroying its disk; n1's detector may suspect its live peer once; n1's failure detector and that false
   * suspicion fire at any time (the REPLICATE n2 sent before its crash is still in flight); no cut, no lost
   * message; every other timer on a quiet network.
   */
  'replicate-async': { ...oneVolume, ...noFaults, isolatable: [], partitions: 0, writers: ['v1'], diskLost: ['n2'], crashes: 1, falseSuspicions: 1, misled: ['n1'], timers: 'quiet-network', anyTime: ['PEER_LOST@n1', 'MISLEAD'] },
  /**
   * The faults of `repeat-pairing-unfenced`'s counterexample, and no more: v1's instance is attached to n1 and
   * writes once, at any time; n2's crash destroying its disk; n3's detector may suspect its live peer once, at any
   * time; n3's retry timer at any time (it confirms its copy again while the pairing is in flight); no cut, no
   * lost message; every other timer on a quiet network.
   */
  'paired-async': { ...oneVolume, ...noFaults, placement: { v1: ['n2', 'n1'] }, isolatable: [], partitions: 0, writers: ['v1'], diskLost: ['n2'], crashes: 1, falseSuspicions: 1, misled: ['n3'], timers: 'quiet-network', anyTime: ['RETRY@n3', 'MISLEAD', 'WRITE'] },
  'stale-pairing-async': { ...oneVolume, ...noFaults, isolatable: [], partitions: 0, diskLost: ['n2'], crashes: 1, falseSuspicions: 1, misled: ['n3'], timers: 'quiet-network', anyTime: ['RETRY@n1', 'RETRY@n3', 'MISLEAD', 'PEER_LOST@n1'] },
  /**
   * A node restarting with its disk lost, in a cluster with no other free slot: v1 on n1+n3, v2 on n2+n3, one
   * free slot (on n2). n3's crash destroys its disk and it restarts empty; v1's new copy takes n2's slot, and
   * v2's can then only go to n3 itself (the faults of `restart-empty-unreported`'s counterexample).
   */
  'restart-empty': { capacity: { n1: 1, n2: 2, n3: 2 }, buffer: {}, placement: { v1: ['n1', 'n3'], v2: ['n2', 'n3'] }, isolatable: [], ...noFaults, partitions: 0, diskLost: ['n3'], crashes: 1, drops: 1, timers: 'quiet-network' },
  /**
   * For reviewers: the faults of `reclaim-ignores-grants`'s counterexample, and no more: `crash` (two volumes on n1,
   * n1 cut off once, n2's crash destroying its disk) with n1's retry timer firing at any time (n1 asks again while
   * n3's confirmation of the other volume's copy is in flight). The fix there does not finish within minutes.
   */
  'crash-retry-async': { ...twoVolumes, ...noFaults, diskLost: ['n2'], crashes: 1, timers: 'quiet-network', anyTime: ['RETRY@n1'] },
  /** For reviewers: `writes` with timers at any time and no lost message, where switching off `fenceRelease` breaks durability. */
  'large-writes-async': { ...oneVolume, ...noFaults, writers: ['v1'], diskLost: ['n2'], crashes: 1, timers: 'any-time' },
  /** For reviewers: the two volumes of `crash` with timers at any time and one lost message (no crash). */
  'large-async': { ...twoVolumes, ...noFaults, drops: 1, timers: 'any-time' },
  /** For reviewers: 4 nodes and 3 volumes, all three on n1; one free slot against three re-mirrors, the buffer adds two; a writer, a crash destroying n2's disk, a race crash, a lost message. */
  large: {
    capacity: { n1: 3, n2: 2, n3: 1, n4: 1 },
    buffer: { n3: 1, n4: 1 },
    placement: { v1: ['n1', 'n2'], v2: ['n1', 'n3'], v3: ['n1', 'n4'] },
    isolatable: [['n1']],
    ...noFaults,
    writers: ['v1'],
    crashable: ['n3', 'n4'],
    diskLost: ['n2'],
    crashes: 1,
    raceCrashes: 1,
    drops: 1,
    timers: 'quiet-network',
  },
} satisfies Record<string, RemirrorConfig>;
