import { DESIGNS } from './designs.js';
import { ReplicationNode } from './node.js';
import { MemoryTransport } from './transport.js';
import type { ChannelId, CloseVariant, JournalEntry, ReplicationRequest, SessionId } from './types.js';

/**
 * How the node's awaited calls complete. The scheduler suite hands in
 * fast-check scheduled functions; the replayer and the conformance test hand
 * in deferreds they resolve one at a time. Each call computes its value when
 * it is made (a connect gets its channel number then).
 */
export interface AsyncCalls {
  connect(session: SessionId, req: number, channel: ChannelId): Promise<ChannelId>;
  readChunk(session: SessionId, offset: number, req: number): Promise<number>;
  releaseReplica(session: SessionId, req: number): Promise<void>;
}

/** A node process with its transport and journal. Once it crashes the process is gone: it records and receives nothing more. */
export interface NodeHarness {
  readonly node: ReplicationNode;
  readonly journal: readonly JournalEntry[];
  readonly down: boolean;
  send(request: ReplicationRequest): void;
}

export function createNodeHarness(variant: CloseVariant, calls: AsyncCalls): NodeHarness {
  const journal: JournalEntry[] = [];
  let down = false;
  const record = (entry: JournalEntry) => {
    if (!down) journal.push(entry);
  };
  const transport = new MemoryTransport(record);
  const node = new ReplicationNode(
    {
      connect: (session, req) => {
        const channel = transport.open(session);
        record({ kind: 'call', req, call: 'connect', session, channel });
        return calls.connect(session, req, channel);
      },
      readChunk: (session, offset, req) => {
        record({ kind: 'call', req, call: 'readChunk', session, offset });
        return calls.readChunk(session, offset, req);
      },
      releaseReplica: (session, req) => {
        record({ kind: 'call', req, call: 'releaseReplica', session });
        return calls.releaseReplica(session, req);
      },
      transport,
      reply: (request, answer) => record({ kind: 'answer', ...request, answer }),
      uncaught: (request, error) => {
        record({ kind: 'crash', ...request, error: error instanceof Error ? error.message : String(error) });
        down = true;
      },
    },
    DESIGNS[variant],
    record,
  );
  return {
    node,
    journal,
    get down() {
      return down;
    },
    send(request) {
      if (!down) node.receive(request);
    },
  };
}
