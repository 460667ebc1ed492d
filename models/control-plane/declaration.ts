import type { ProtectionsMatrix, SourceRef, VariantDefinition } from '../../src/index.js';
import { variantSummaries, type ControlPlaneVariant } from './variants.js';

/**
 * What each variant claims and the verdicts exploration found for it, per
 * property name. The properties themselves live in `properties/control-plane.ts`.
 */

const THREAD_STARVATION: SourceRef = {
  section: 'Primary Outage',
  quote: 'Because the EBS control plane (and the create volume API in particular) was configured with a long time-out period, these slow API calls began to back up and resulted in thread starvation in the EBS control plane.',
};
const TIMEOUT_FIX: SourceRef = {
  section: 'Impact to Multiple Availability Zones',
  quote: 'The first is that we will immediately improve our timeout logic to prevent thread exhaustion when a single Availability Zone cluster is taking too long to process requests.',
};
const TIMEOUTS_WOULD_HAVE_PREVENTED: SourceRef = { section: 'Impact to Multiple Availability Zones', quote: 'This would have prevented the API impact from 12:50 AM PDT to 2:40 AM PDT on April 21st.' };
const BROWNOUT: SourceRef = { section: 'Primary Outage', quote: 'The load caused a brown out of the EBS control plane and again affected EBS APIs across the Region.' };
const SHEDDING_FIX: SourceRef = {
  section: 'Impact to Multiple Availability Zones',
  quote: 'To address the cause of the second API impact, we will also add the ability for our EBS control plane to be more Availability Zone aware and shed load intelligently when it is over capacity.',
};

type Expect = Record<string, 'holds' | 'violated'>;
const H = 'holds' as const;
const V = 'violated' as const;

/** Everything a fixed variant of the exhaustion world must hold, and the paths it must take. */
const EXHAUSTION_ALL: Expect = {
  'healthy-az-served': H,
  'hanging-call-released': H,
  'shed-only-over-capacity': H,
  'no-thread-leak': H,
  'pool-fills': H,
  'timeout-fires': H,
  'caller-suspects-live-peer': H,
};

/** Everything a fixed variant of the brownout world must hold, and the paths it must take. */
const BROWNOUT_ALL: Expect = {
  'healthy-az-served': H,
  'shed-only-over-capacity': H,
  'no-thread-leak': H,
  'negotiation-load-bounded': H,
  'pool-fills': H,
  'caller-suspects-live-peer': H,
  'zone-shed': H,
  'negotiation-retried': H,
};

export const controlPlaneVariantDefinitions: Record<ControlPlaneVariant, VariantDefinition> = {
  exhaustion: { kind: 'as-it-happened', passage: THREAD_STARVATION, summary: variantSummaries.exhaustion, expect: { 'healthy-az-served': V, 'hanging-call-released': V, 'pool-fills': H } },
  'exhaustion-fixed': {
    kind: 'fixed',
    remedy: 'promised',
    passage: TIMEOUT_FIX,
    summary: variantSummaries['exhaustion-fixed'],
    exemptions: { 'crash-restart': 'a customer that crashes has given up on its call, which the model already lets it do; a crashed control-plane host only frees threads; and a restarted process would restart its tick count, which this model of one shared clock cannot give it' },
    expect: EXHAUSTION_ALL,
    safeguards: {
      'deadline-time-out': {
        statement: 'A thread waiting on a cluster gives up at its call\'s deadline, S ticks after the caller sent it, instead of after the long time-out.',
        ablation: 'exhaustion-fixed-long-timeout',
        transitions: [{ machine: 'customer', transition: 'waiting on TIMED_OUT' }],
      },
      'late-calls-refused': {
        statement: 'A call that reaches the control plane past its deadline is answered "timed out" without taking a thread.',
        ablation: 'exhaustion-fixed-admits-late',
      },
      'copies-take-no-thread': {
        statement: 'A resent copy of a call the control plane has already served, or is serving, takes no second thread.',
        ablation: 'exhaustion-fixed-without-dedup',
        transitions: [{ machine: 'customer', transition: 'waiting on TIMEOUT' }],
      },
    },
  },
  'exhaustion-fixed-long-timeout': { kind: 'ablation', of: 'exhaustion-fixed', summary: variantSummaries['exhaustion-fixed-long-timeout'], expect: { 'healthy-az-served': V, 'hanging-call-released': V } },
  'exhaustion-fixed-admits-late': { kind: 'ablation', of: 'exhaustion-fixed', summary: variantSummaries['exhaustion-fixed-admits-late'], expect: { 'hanging-call-released': V } },
  'exhaustion-fixed-without-dedup': { kind: 'ablation', of: 'exhaustion-fixed', summary: variantSummaries['exhaustion-fixed-without-dedup'], expect: { 'healthy-az-served': V } },
  'leaky-timeout': { kind: 'failed-fix', of: 'exhaustion-fixed', summary: variantSummaries['leaky-timeout'], expect: { 'no-thread-leak': V, 'healthy-az-served': V, 'timeout-fires': H } },
  'exhaustion-shedding-only': { kind: 'partial', of: 'exhaustion-fixed', summary: variantSummaries['exhaustion-shedding-only'], expect: { 'healthy-az-served': V, 'hanging-call-released': V } },
  'exhaustion-timeout-and-shedding': { kind: 'partial', of: 'exhaustion-fixed', summary: variantSummaries['exhaustion-timeout-and-shedding'], expect: EXHAUSTION_ALL },
  'static-share-limit': { kind: 'failed-fix', of: 'exhaustion-fixed', summary: variantSummaries['static-share-limit'], expect: { 'healthy-az-served': V, 'shed-only-over-capacity': V } },
  brownout: { kind: 'as-it-happened', passage: BROWNOUT, summary: variantSummaries.brownout, expect: { 'healthy-az-served': V, 'negotiation-load-bounded': V, 'negotiation-retried': H } },
  'brownout-fixed': {
    kind: 'fixed',
    remedy: 'promised',
    passage: SHEDDING_FIX,
    summary: variantSummaries['brownout-fixed'],
    exemptions: { 'crash-restart': 'a customer that crashes has given up on its call, which the model already lets it do; a crashed control-plane host only frees threads; and a restarted process would restart its tick count, which this model of one shared clock cannot give it' },
    expect: BROWNOUT_ALL,
    safeguards: {
      'az-aware-shedding': {
        statement: 'A zone at its fair share ⌊P/AZs⌋ gets a thread only while the threads left cover every other zone\'s shortfall; otherwise its call is shed.',
        ablation: 'brownout-fixed-without-shedding',
        transitions: [{ machine: 'stuck-volume', transition: 'negotiating on SHED' }],
      },
      'volumes-back-off': {
        statement: 'A stuck volume that was shed or refused waits for the next tick, counted by its own clock, before it negotiates again.',
        ablation: 'brownout-fixed-without-back-off',
        transitions: [{ machine: 'stuck-volume', transition: 'backing-off on TICK' }],
      },
    },
  },
  'brownout-fixed-without-shedding': { kind: 'ablation', of: 'brownout-fixed', summary: variantSummaries['brownout-fixed-without-shedding'], expect: { 'healthy-az-served': V } },
  'brownout-fixed-without-back-off': { kind: 'ablation', of: 'brownout-fixed', summary: variantSummaries['brownout-fixed-without-back-off'], expect: { 'negotiation-load-bounded': V } },
  'brownout-back-off-only': { kind: 'partial', of: 'brownout-fixed', summary: variantSummaries['brownout-back-off-only'], expect: { 'healthy-az-served': V } },
  'brownout-shedding-and-back-off': { kind: 'partial', of: 'brownout-fixed', summary: variantSummaries['brownout-shedding-and-back-off'], expect: BROWNOUT_ALL },
};

const PROTECTIONS = ['short-timeout', 'az-aware-shedding'];

export const controlPlaneMatrices: ProtectionsMatrix[] = [
  {
    name: 'thread-exhaustion',
    claim: 'Improved time-out logic alone would have prevented the 12:50 AM thread exhaustion; shedding is not needed for it.',
    passage: TIMEOUTS_WOULD_HAVE_PREVENTED,
    protections: PROTECTIONS,
    cells: [
      { variant: 'exhaustion', on: [] },
      { variant: 'exhaustion-fixed', on: ['short-timeout'] },
      { variant: 'exhaustion-shedding-only', on: ['az-aware-shedding'] },
      { variant: 'exhaustion-timeout-and-shedding', on: ['short-timeout', 'az-aware-shedding'] },
    ],
    properties: ['healthy-az-served'],
  },
  {
    name: 'negotiation-brownout',
    claim:
      'The 5:30 AM brownout needs AZ-aware load shedding; better time-outs do not address it. (In every cell the stuck volumes back off for a tick, as in the fix; without it the load bound breaks whatever the control plane does.)',
    passage: SHEDDING_FIX,
    protections: PROTECTIONS,
    cells: [
      { variant: 'brownout-back-off-only', on: [] },
      { variant: 'brownout-fixed-without-shedding', on: ['short-timeout'] },
      { variant: 'brownout-shedding-and-back-off', on: ['az-aware-shedding'] },
      { variant: 'brownout-fixed', on: ['short-timeout', 'az-aware-shedding'] },
    ],
    properties: ['healthy-az-served'],
  },
];
