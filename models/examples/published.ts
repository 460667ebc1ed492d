import type { ModelDefinition } from '../../src/index.js';
import { echo } from './echo/model.js';
import { paxos } from './paxos/model.js';
import { tcommit } from './tcommit/model.js';

/** The commit of tlaplus/Examples whose specs and manifests these ports were read from. */
export const TLAPLUS_EXAMPLES_COMMIT = '32a32c7b0b97562da2dd4b2e55b7f81cd6fea2b9';

/**
 * One TLC run as the examples repository's manifest.json reports it, beside the
 * port that should reproduce it. TLC's `stateDepth` counts the initial state as
 * depth 1; the engine's depth counts steps, so it is one less.
 */
export interface PublishedRun {
  model: ModelDefinition<any>;
  variant: string;
  config: string;
  spec: string;
  cfg: string;
  distinctStates: number;
  totalStates: number;
  stateDepth: number;
}

export const PUBLISHED_RUNS: PublishedRun[] = [
  {
    model: tcommit,
    variant: 'spec',
    config: 'rm3',
    spec: 'specifications/transaction_commit/TCommit.tla',
    cfg: 'specifications/transaction_commit/TCommit.cfg',
    distinctStates: 34,
    totalStates: 94,
    stateDepth: 7,
  },
  {
    model: echo,
    variant: 'spec',
    config: 'mesh-of-three',
    spec: 'specifications/echo/Echo.tla',
    cfg: 'specifications/echo/MCEcho.cfg',
    distinctStates: 75,
    totalStates: 116,
    stateDepth: 16,
  },
  {
    model: paxos,
    variant: 'spec',
    config: 'mc-paxos',
    spec: 'specifications/Paxos/Paxos.tla',
    cfg: 'specifications/Paxos/MCPaxos.cfg',
    distinctStates: 25,
    totalStates: 82,
    stateDepth: 9,
  },
  {
    model: paxos,
    variant: 'spec',
    config: 'mc-paxos-tiny',
    spec: 'specifications/PaxosHowToWinATuringAward/Paxos.tla',
    cfg: 'specifications/PaxosHowToWinATuringAward/MCPaxosTiny.cfg',
    distinctStates: 3921,
    totalStates: 23563,
    stateDepth: 17,
  },
];
