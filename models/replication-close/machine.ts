import { assign, setup } from 'xstate';
import type { Answer, ChannelId, CloseVariant, Op, SessionId, SessionRow } from './types.js';

/** The machine models the node of 2011 and the fix; the ablations and failed fixes live in the async node only. */
export type MachineVariant = Extract<CloseVariant, 'buggy' | 'fixed'>;

/**
 * The node's replication-session handling as an xstate machine: the same
 * behaviour as `node.ts`, with the suspended handlers made explicit. Events
 * are the schedule's steps: a request arrives (`REQUEST`) or the awaited call
 * of a request returns (`RETURN`). The conformance test steps this machine
 * and the async node through the same schedules and compares what they report.
 */

/** A handler suspended at an await. `channel` names the session incarnation it holds (channels are never reused). */
export type Suspended =
  | { req: number; op: 'open'; session: SessionId; channel: ChannelId }
  | { req: number; op: 'progress'; session: SessionId; channel: ChannelId; offset: number }
  | { req: number; op: 'close'; session: SessionId; channel: ChannelId; waiting: 'release' }
  /** Fixed variant: a close waiting for the teardown that close#leader started. */
  | { req: number; op: 'close'; session: SessionId; channel: ChannelId; waiting: 'teardown'; leader: number };

export interface NodeModelContext {
  /** The session table; `closingBy` is the close whose teardown runs (the latest one, in the buggy variant). */
  sessions: Record<SessionId, { channel: ChannelId; copied: number; closingBy: number | null }>;
  /** Channel `n` is `channels[n - 1]`. */
  channels: { session: SessionId; open: boolean }[];
  /** In arrival order. */
  suspended: Suspended[];
  answers: { req: number; answer: Answer }[];
  writes: { channel: ChannelId; chunk: number; open: boolean }[];
  closes: { channel: ChannelId; ok: boolean }[];
  crash: { req: number; error: string } | null;
}

export type NodeModelEvent = { type: 'REQUEST'; req: number; op: Op; session: SessionId } | { type: 'RETURN'; req: number };

const emptyContext = (): NodeModelContext => ({ sessions: {}, channels: [], suspended: [], answers: [], writes: [], closes: [], crash: null });

function receive(variant: MachineVariant, c: NodeModelContext, e: Extract<NodeModelEvent, { type: 'REQUEST' }>): NodeModelContext {
  const next = structuredClone(c);
  const s = next.sessions[e.session];
  const answer = (a: Answer) => next.answers.push({ req: e.req, answer: a });
  if (e.op === 'open') {
    if (s) answer('busy');
    else {
      next.channels.push({ session: e.session, open: true });
      next.suspended.push({ req: e.req, op: 'open', session: e.session, channel: next.channels.length });
    }
  } else if (e.op === 'progress') {
    if (!s || s.closingBy !== null) answer('idle');
    else if (variant === 'fixed' && next.suspended.some((h) => h.op === 'progress' && h.channel === s.channel)) answer('busy');
    else next.suspended.push({ req: e.req, op: 'progress', session: e.session, channel: s.channel, offset: s.copied });
  } else if (!s) {
    answer('unknown');
  } else if (variant === 'fixed' && s.closingBy !== null) {
    next.suspended.push({ req: e.req, op: 'close', session: e.session, channel: s.channel, waiting: 'teardown', leader: s.closingBy });
  } else {
    s.closingBy = e.req;
    next.suspended.push({ req: e.req, op: 'close', session: e.session, channel: s.channel, waiting: 'release' });
  }
  return next;
}

/** The suspended handler whose awaited call returns on this event (joined closes await no call). */
const awaitingCall = (c: NodeModelContext, req: number) => c.suspended.find((h) => h.req === req && !(h.op === 'close' && h.waiting === 'teardown'));

function resume(variant: MachineVariant, c: NodeModelContext, req: number): NodeModelContext {
  const h = awaitingCall(c, req);
  if (!h) return c;
  const next = structuredClone(c);
  next.suspended = next.suspended.filter((x) => x.req !== req);
  const answer = (r: number, a: Answer) => next.answers.push({ req: r, answer: a });
  const current = next.sessions[h.session];
  if (h.op === 'open') {
    if (current) {
      next.channels[h.channel - 1]!.open = false;
      next.closes.push({ channel: h.channel, ok: true });
      answer(req, 'busy');
    } else {
      next.sessions[h.session] = { channel: h.channel, copied: 0, closingBy: null };
      answer(req, 'opened');
    }
  } else if (h.op === 'progress') {
    // The handler holds the session it looked up; removed sessions were always closing first.
    const held = current?.channel === h.channel ? current : undefined;
    const closing = held === undefined || held.closingBy !== null;
    if (variant === 'fixed' && closing) answer(req, 'abandoned');
    else {
      next.writes.push({ channel: h.channel, chunk: h.offset, open: next.channels[h.channel - 1]!.open });
      if (held) held.copied += 1;
      answer(req, 'copied');
    }
  } else {
    next.channels[h.channel - 1]!.open = false;
    next.closes.push({ channel: h.channel, ok: true });
    delete next.sessions[h.session];
    answer(req, 'closed');
    for (const joiner of c.suspended) {
      if (joiner.op === 'close' && joiner.waiting === 'teardown' && joiner.leader === req) {
        next.suspended = next.suspended.filter((x) => x.req !== joiner.req);
        answer(joiner.req, 'closed');
      }
    }
  }
  return next;
}

export function createReplicationNodeMachine(variant: MachineVariant) {
  return setup({
    types: {} as { context: NodeModelContext; events: NodeModelEvent },
    guards: {
      // A teardown that finds its channel already closed: closing it again throws, and nothing catches it.
      closesAClosedChannel: ({ context, event }) => {
        if (event.type !== 'RETURN') return false;
        const h = awaitingCall(context, event.req);
        return h?.op === 'close' && !context.channels[h.channel - 1]!.open;
      },
    },
    actions: {
      receive: assign(({ context, event }) => (event.type === 'REQUEST' ? receive(variant, context, event) : context)),
      resume: assign(({ context, event }) => (event.type === 'RETURN' ? resume(variant, context, event.req) : context)),
      goDown: assign(({ context, event }) => {
        const h = awaitingCall(context, event.req)!;
        return {
          closes: [...context.closes, { channel: h.channel, ok: false }],
          crash: { req: event.req, error: `EBADF: channel ${h.channel} (${h.session}) is already closed` },
        };
      }),
    },
  }).createMachine({
    id: 'replication-node',
    context: emptyContext,
    initial: 'up',
    states: {
      up: {
        on: {
          REQUEST: { actions: 'receive' },
          RETURN: [{ guard: 'closesAClosedChannel', target: 'down', actions: 'goDown' }, { actions: 'resume' }],
        },
      },
      /** The process is gone: nothing it had in flight will finish. */
      down: { type: 'final' },
    },
  });
}

/** The session table in the shape `ReplicationNode.sessions()` reports it. */
export function sessionRows(c: NodeModelContext): SessionRow[] {
  return Object.entries(c.sessions)
    .map(([session, s]) => ({ session, channel: s.channel, copied: s.copied, closing: s.closingBy !== null }))
    .sort((a, b) => a.session.localeCompare(b.session));
}

/** Requests whose awaited call is outstanding: the returns a schedule may take next. */
export const pendingCalls = (c: NodeModelContext): number[] =>
  c.suspended.filter((h) => !(h.op === 'close' && h.waiting === 'teardown')).map((h) => h.req).sort((a, b) => a - b);
