import type { ExternalSuite, ModelDefinition } from '../src/index.js';
import { replicationCloseSuite } from './replication-close/index.js';
import { replicaElection } from './replica-election.js';
import { twoPhaseCommit } from './two-phase-commit.js';
import { rdsFailover } from './rds-failover.js';
import { controlPlane } from './control-plane.js';
import { reMirror } from './re-mirror.js';

/** Every model `npm run check` knows, in the order its table lists them. */
export const models: ReadonlyArray<ModelDefinition<any>> = [replicaElection, reMirror, rdsFailover, controlPlane, twoPhaseCommit];

/** Suites that check real code rather than a model, listed in the same table. */
export const externalSuites: ReadonlyArray<ExternalSuite> = [
  replicationCloseSuite,
];
