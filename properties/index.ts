import type { ExternalSuite, ModelDefinition } from '../src/index.js';
import { runReplicationCloseCheck } from './replication-close/index.js';
import { replicaElection } from './replica-election.js';
import { twoPhaseCommit } from './two-phase-commit.js';
import { rdsFailover } from './rds-failover.js';
import { controlPlane } from './control-plane.js';
import { reMirror } from './re-mirror.js';

/** Every model `npm run check` knows, in the order its table lists them. */
export const models: ReadonlyArray<ModelDefinition<any>> = [replicaElection, reMirror, rdsFailover, controlPlane, twoPhaseCommit];

/** Suites that check real code rather than a model, listed in the same table. */
export const externalSuites: ReadonlyArray<ExternalSuite> = [
  {
    name: 'replication-close',
    summary: 'A node closing many replication sessions at once, as real async code, with fast-check choosing the order in which awaited calls return.',
    mode: 'scheduler',
    incident: '2011',
    variants: {
      buggy: {
        kind: 'as-it-happened',
        passage: { section: 'Primary Outage', quote: 'There was also a race condition in the code on the EBS nodes that, with a very low probability, caused them to fail when they were concurrently closing a large number of requests for replication.' },
        summary: 'a close re-checks nothing after its await',
      },
      fixed: {
        kind: 'fixed',
        passage: { section: 'Preventing the Event', quote: 'we have identified the source of the race condition that led to EBS node failure. We have a fix' },
        summary: 'one teardown per session; progress re-checks after each await',
      },
    },
    run: (variant, options) => runReplicationCloseCheck({ variant: variant as 'buggy' | 'fixed', seed: options.seed, runs: options.runs }),
  },
];
