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
    variants: { buggy: { summary: 'a close re-checks nothing after its await' }, fixed: { summary: 'one teardown per session; progress re-checks after each await' } },
    run: (variant, options) => runReplicationCloseCheck({ variant: variant as 'buggy' | 'fixed', seed: options.seed, runs: options.runs }),
  },
];
