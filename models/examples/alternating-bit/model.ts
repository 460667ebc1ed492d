import { assign, emit, setup } from 'xstate';
import { always, defineModel, send, type ContextsOf, type SendEvent, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * The Alternating Bit protocol of Lamport's Specifying Systems
 * (tlaplus/Examples, specifications/SpecifyingSystems/TLC/AlternatingBit.tla
 * with MCAlternatingBit.tla / MCAlternatingBit.cfg: Data = {d1, d2},
 * msgQLen = ackQLen = 2).
 *
 *   sBit, sAck, sent   context of process `sender`
 *   rBit, rcvd         context of process `receiver`
 *   msgQ, ackQ         the two links of a `fifo` network: MSG {bit, d} from sender
 *                      to receiver, ACK {bit} back
 *   SndNewValue(d)     sender's internal step SND_NEW {d}, taken when sAck = sBit
 *   ReSndMsg           sender's internal step RESEND, taken when sAck # sBit
 *   RcvMsg             delivery of the head MSG to the receiver
 *   SndAck             receiver's internal step SND_ACK
 *   RcvAck             delivery of the head ACK to the sender
 *   LoseMsg, LoseAck   the `drop` fault, unbounded (`drop: Infinity`): any message
 *                      in either queue may be lost, any number of times
 *
 * ABInit has sBit \in {0, 1} with sAck = rBit = sBit, sent \in Data and
 * rcvd \in Data: 8 initial states, with the sender's and the receiver's bit
 * going together, so they are the world's list of initial inputs.
 *
 * The cfg's CONSTRAINT SeqConstraint (Len(msgQ) <= 2, Len(ackQ) <= 2) keeps
 * TLC from counting or exploring a state with a longer queue; here each step
 * that appends to a queue is taken only `when` the queue is shorter than its
 * bound: the same states, reached by the same steps. That condition reads the
 * network, which no process could observe: it is the model checker's
 * constraint, not part of the protocol.
 */

export interface AlternatingBitConfig {
  data: string[];
  msgQLen: number;
  ackQLen: number;
}

type Bit = 0 | 1;
type Msg = { type: 'MSG'; bit: Bit; d: string };
type Ack = { type: 'ACK'; bit: Bit };

export interface SenderContext {
  sBit: Bit;
  sAck: Bit;
  sent: string;
}

export interface ReceiverContext {
  rBit: Bit;
  rcvd: string;
}

export const SENDER = 'sender' as const;
export const RECEIVER = 'receiver' as const;

export function createSender() {
  return setup({
    types: {} as { context: SenderContext; input: SenderContext; events: { type: 'SND_NEW'; d: string } | { type: 'RESEND' } | Ack; emitted: SendEvent<Msg> },
  }).createMachine({
    id: 'ab-sender',
    context: ({ input }) => ({ ...input }),
    initial: 'running',
    states: {
      running: {
        on: {
          SND_NEW: {
            guard: ({ context }) => context.sAck === context.sBit,
            actions: [
              assign(({ context, event }) => ({ sent: event.d, sBit: (1 - context.sBit) as Bit })),
              emit(({ context }) => send(RECEIVER, { type: 'MSG' as const, bit: context.sBit, d: context.sent })),
            ],
          },
          RESEND: {
            guard: ({ context }) => context.sAck !== context.sBit,
            actions: emit(({ context }) => send(RECEIVER, { type: 'MSG' as const, bit: context.sBit, d: context.sent })),
          },
          ACK: { actions: assign({ sAck: ({ event }) => event.bit }) },
        },
      },
    },
  });
}

export function createReceiver() {
  return setup({
    types: {} as { context: ReceiverContext; input: ReceiverContext; events: { type: 'SND_ACK' } | Msg; emitted: SendEvent<Ack> },
  }).createMachine({
    id: 'ab-receiver',
    context: ({ input }) => ({ ...input }),
    initial: 'running',
    states: {
      running: {
        on: {
          MSG: { actions: assign(({ event }) => ({ rBit: event.bit, rcvd: event.d })) },
          SND_ACK: { actions: emit(({ context }) => send(SENDER, { type: 'ACK' as const, bit: context.rBit })) },
        },
      },
    },
  });
}

/** Len(q): the messages in flight on one link. */
const queueLength = (w: WorldView, to: string) => w.messages().filter((m) => m.to === to).length;

export function buildAlternatingBitWorld(config: AlternatingBitConfig): WorldSpec {
  // ABInit as a list: sBit \in {0, 1}, sent \in Data, rcvd \in Data, with sAck = rBit = sBit.
  const initial = ([0, 1] as const).flatMap((sBit) =>
    config.data.flatMap((sent) =>
      config.data.map((rcvd) => ({ name: `sBit=${sBit} sent=${sent} rcvd=${rcvd}`, inputs: { [SENDER]: { sBit, sAck: sBit, sent }, [RECEIVER]: { rBit: sBit, rcvd } } })),
    ),
  );
  return { processes: alternatingBitProcesses(config), initial, network: 'fifo', budgets: { drop: Infinity } };
}

/** The two processes; their machines give the properties' context types (`AlternatingBitContexts`). */
function alternatingBitProcesses(config: AlternatingBitConfig) {
  const roomInMsgQ = (w: WorldView) => queueLength(w, RECEIVER) < config.msgQLen;
  const roomInAckQ = (w: WorldView) => queueLength(w, SENDER) < config.ackQLen;
  return {
    [SENDER]: {
      machine: createSender(),
      role: 'client' as const,
      internal: [
        ...config.data.map((d) => ({ event: { type: 'SND_NEW', d }, name: `sends new value ${d}`, when: roomInMsgQ })),
        { event: { type: 'RESEND' }, name: 'resends', when: roomInMsgQ },
      ],
    },
    [RECEIVER]: { machine: createReceiver(), role: 'server' as const, internal: [{ event: { type: 'SND_ACK' }, name: 'acknowledges', when: roomInAckQ }] },
  };
}

/** Each process's context type, read off its machine: `w.process('sender').context.sBit` is a bit. */
export type AlternatingBitContexts = ContextsOf<ReturnType<typeof alternatingBitProcesses>>;

/** ABTypeInv, the cfg's INVARIANT. */
export const typeInvariant = (config: AlternatingBitConfig) =>
  always<AlternatingBitContexts>({
    name: 'type-invariant',
    statement: 'ABTypeInv: every bit is 0 or 1, sent and rcvd are data, and the queues hold bits and (bit, datum) pairs.',
    check(w) {
      const bit = (b: unknown) => b === 0 || b === 1;
      const s = w.process(SENDER).context;
      const r = w.process(RECEIVER).context;
      if (![s.sBit, s.sAck, r.rBit].every(bit) || !config.data.includes(s.sent) || !config.data.includes(r.rcvd)) return 'a variable is outside its type';
      const bad = w.messages().find((m) => !bit(m.msg.bit) || (m.msg.type === 'MSG' && !config.data.includes(m.msg.d as string)));
      return bad ? `a ${bad.msg.type} in flight is outside its type` : undefined;
    },
  });

const mcConfig: AlternatingBitConfig = { data: ['d1', 'd2'], msgQLen: 2, ackQLen: 2 };

export const alternatingBit = defineModel<AlternatingBitConfig>({
  name: 'alternating-bit',
  summary: 'The Alternating Bit protocol from Specifying Systems (TLA+ examples): lossy FIFO queues, 8 initial states.',
  configs: { 'mc-alternating-bit': mcConfig },
  variants: { spec: { summary: 'AlternatingBit.tla with MCAlternatingBit.cfg (Data = {d1, d2}, queues of at most 2).', expect: { 'type-invariant': 'holds' } } },
  properties: [typeInvariant(mcConfig)],
  build: (_variant, config) => buildAlternatingBitWorld(config),
});
