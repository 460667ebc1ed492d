/**
 * The wire format and the records the nodes write. This is the
 * implementation's own code: it does not import the model it is checked
 * against (test/conformance maps its records to the model's actions).
 */
export const INSTANCE = 'instance';
export const AUTHORITY = 'cp';

export type Message =
  | { type: 'WRITE'; id: number; from: string }
  | { type: 'ACK'; id: number; epoch: number; from: string }
  | { type: 'REPLICATE'; id: number; epoch: number; from: string }
  | { type: 'REPL_ACK'; id: number; epoch: number; from: string }
  | { type: 'FENCED'; epoch: number; from: string }
  | { type: 'REQUEST_PRIMACY'; epoch: number; suspects: string[]; from: string }
  | { type: 'ASK'; from: string }
  | { type: 'NEW_PRIMARY'; epoch: number; primary: string; members: string[]; from: string };

/** What a node reports of itself after each step it takes. */
export type NodeState = { role: string } & Record<string, unknown>;

/**
 * One thing that happened, as the implementation records it. `order` places it
 * among the others: a replica's step is recorded when it has taken effect (its
 * disk write done), but it happened when it began, so it reserves its place
 * then (see `ReplicaOptions.reserve`).
 */
export type ImplRecord = { order?: number } & (
  | { kind: 'recv'; node: string; from: string; msg: Message; state: NodeState }
  | { kind: 'send'; node: string; to: string; msg: Message }
  | { kind: 'timer'; node: string; timer: 'write' | 'retry'; state: NodeState }
  | { kind: 'suspect'; node: string; state: NodeState }
  | { kind: 'crash'; node: string }
  | { kind: 'restart'; node: string; state: NodeState }
  | { kind: 'isolate' | 'reconnect'; node: string }
  /** A planted bug took its wrong path in the step recorded just before. */
  | { kind: 'bug'; node: string; bug: PlantedBug }
);

export type PlantedBug =
  /** Takes up an announcement of any other epoch, an older one too (compares epochs with !== instead of >). */
  | 'accept-stale-epoch'
  /** A primary whose secondary seems gone promotes itself to sole replica on the timeout, without the control plane, and acknowledges the write alone. */
  | 'promote-on-timeout';

export type Recorder = (record: ImplRecord) => void;

/** Whether an announcement of epoch `incoming` replaces what a node of epoch `mine` knows. */
export function supersedes(incoming: number, mine: number, bug?: PlantedBug): boolean {
  return bug === 'accept-stale-epoch' ? incoming !== mine : incoming > mine;
}

/** A sorted copy with `name` added (replica sets are kept sorted). */
export const withMember = (list: readonly string[], name: string): string[] => (list.includes(name) ? [...list] : [...list, name].sort());
