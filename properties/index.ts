import type { ModelDefinition } from '../src/index.js';
import { replicaElection } from './replica-election.js';
import { twoPhaseCommit } from './two-phase-commit.js';

/** Every model `npm run check` knows, in the order its table lists them. */
export const models: ReadonlyArray<ModelDefinition<any>> = [replicaElection, twoPhaseCommit];
