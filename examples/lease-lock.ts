/*
 * A lock with leases, guarding writes to a storage service: the example of
 * docs/guide.md. A client asks the lock server for the lock, gets a lease that
 * runs out after LEASE_TICKS ticks of the server's clock, and writes to the
 * storage while it believes its lease is still valid.
 *
 * Without fencing, a write that was sent under an expired lease can land after
 * a write of the next holder. With fencing tokens (every grant carries a larger
 * number, the storage refuses any number smaller than one it has seen) the
 * late write is refused.
 *
 * The `// #region` markers cut this file into the code blocks of the guide;
 * test/guide.test.ts checks that the guide shows exactly these lines.
 */
// #region imports
import { assign, emit, setup, type ContextFrom } from 'xstate';
import { always, defineModel, sometimes, type WorldSpec, type WorldView } from 'outage-checker';
// #endregion imports

// #region messages
/** How a machine sends: the world routes `msg` to `to`, and delivers `msg` itself as the receiver's event. */
type Send = { type: 'send'; to: string; msg: { type: string; from: string; [field: string]: unknown } };

/** Server ticks a lease lasts. */
const LEASE_TICKS = 2;
// #endregion messages

// #region lock-server
export function createLockServer() {
  return setup({
    types: {} as {
      context: { holder: string | null; token: number; age: number };
      events: { type: 'ACQUIRE'; from: string } | { type: 'TICK' };
      emitted: Send;
    },
    guards: {
      leaseRunsOut: ({ context }) => context.age + 1 >= LEASE_TICKS,
    },
  }).createMachine({
    id: 'lock-server',
    context: { holder: null, token: 0, age: 0 },
    initial: 'free',
    states: {
      free: {
        on: {
          ACQUIRE: {
            target: 'leased',
            actions: [
              // Every grant gets a new, larger token: the fencing token.
              assign({ holder: ({ event }) => event.from, token: ({ context }) => context.token + 1, age: 0 }),
              emit(({ context }) => ({ type: 'send' as const, to: context.holder!, msg: { type: 'GRANTED', token: context.token, from: 'lock' } })),
            ],
          },
        },
      },
      leased: {
        on: {
          ACQUIRE: {
            actions: emit(({ event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'BUSY', from: 'lock' } })),
          },
          // The server's clock: the lease expires whether or not the holder is done.
          TICK: [
            { guard: 'leaseRunsOut', target: 'free', actions: assign({ holder: null, age: 0 }) },
            { actions: assign({ age: ({ context }) => context.age + 1 }) },
          ],
        },
      },
    },
  });
}
// #endregion lock-server

// #region client
export function createClient() {
  return setup({
    types: {} as {
      context: { id: string; token: number | null; age: number };
      events:
        | { type: 'WANT_LOCK' }
        | { type: 'WRITE' }
        | { type: 'GRANTED'; token: number; from: string }
        | { type: 'BUSY'; from: string }
        | { type: 'TICK' };
      input: { id: string };
      emitted: Send;
    },
    guards: {
      // The client checks its own lease before writing. This is not enough (see the guide).
      leaseStillValid: ({ context }) => context.age < LEASE_TICKS,
    },
  }).createMachine({
    id: 'client',
    context: ({ input }) => ({ id: input.id, token: null, age: 0 }),
    initial: 'idle',
    states: {
      idle: { on: { WANT_LOCK: 'asking' } },
      asking: {
        entry: emit(({ context }) => ({ type: 'send' as const, to: 'lock', msg: { type: 'ACQUIRE', from: context.id } })),
        on: {
          GRANTED: { target: 'holding', actions: assign({ token: ({ event }) => event.token, age: 0 }) },
          BUSY: 'idle',
        },
      },
      holding: {
        on: {
          TICK: { actions: assign({ age: ({ context }) => context.age + 1 }) },
          WRITE: {
            guard: 'leaseStillValid',
            target: 'done',
            actions: emit(({ context }) => ({ type: 'send' as const, to: 'storage', msg: { type: 'WRITE', token: context.token!, from: context.id } })),
          },
        },
      },
      done: {},
    },
  });
}
// #endregion client

// #region storage
export type Variant = 'unfenced' | 'fenced';

export function createStorage(variant: Variant) {
  return setup({
    types: {} as {
      context: { accepted: Array<{ from: string; token: number }>; highest: number };
      events: { type: 'WRITE'; token: number; from: string };
    },
    guards: {
      // Fenced: refuse a token smaller than one already seen. Unfenced: take every write.
      fresh: ({ context, event }) => variant === 'unfenced' || event.token >= context.highest,
    },
  }).createMachine({
    id: 'storage',
    context: { accepted: [], highest: 0 },
    initial: 'serving',
    states: {
      serving: {
        on: {
          WRITE: {
            guard: 'fresh',
            actions: assign({
              accepted: ({ context, event }) => [...context.accepted, { from: event.from, token: event.token }],
              highest: ({ context, event }) => Math.max(context.highest, event.token),
            }),
          },
        },
      },
    },
  });
}
// #endregion storage

// #region world
export interface LeaseConfig {
  clients: number;
  /** How many times the clocks may advance in one behaviour. */
  ticks: number;
  /** How many messages the network may lose in one behaviour. */
  drops: number;
}

export function buildWorld(variant: Variant, config: LeaseConfig): WorldSpec {
  const clients = Array.from({ length: config.clients }, (_, i) => `c${i + 1}`);
  // One machine object for every client: interchangeable processes must share it (see `symmetry` below).
  const client = createClient();
  return {
    processes: {
      lock: { machine: createLockServer(), role: 'authority' },
      // A write the fenced storage refuses (its guard says no) is taken and discarded, not kept waiting.
      storage: { machine: createStorage(variant), role: 'server', delivery: { WRITE: 'drop' } },
      ...Object.fromEntries(
        clients.map((id) => [
          id,
          // WANT_LOCK and WRITE come from outside the protocol: the explorer sends them whenever the client takes them.
          { machine: client, input: { id }, requests: [{ type: 'WANT_LOCK' }, { type: 'WRITE' }], role: 'client' as const },
        ]),
      ),
    },
    // A bag: messages in flight may be delivered in any order, and may wait as long as they like.
    network: 'bag',
    // Any other message its receiver cannot take is a mistake in the model: say so instead of waiting.
    delivery: 'error',
    budgets: { tick: config.ticks, drop: config.drops },
    view: { lease: (w) => leaseOf(w) },
    // The clients are interchangeable: renaming them changes no behaviour and no property (--symmetry).
    symmetry: [clients],
  };
}

/**
 * Each process's context type, read off its machine, so that views and
 * properties are type-checked: `w.process('lock').context.token` is a number.
 */
export type LeaseContexts = { lock: ContextFrom<ReturnType<typeof createLockServer>>; storage: ContextFrom<ReturnType<typeof createStorage>> } & {
  [client: `c${number}`]: ContextFrom<ReturnType<typeof createClient>>;
};

/** What the story shows on each step instead of the lock server's raw context. */
function leaseOf(w: WorldView<LeaseContexts>): string {
  const { holder, token, age } = w.process('lock').context;
  return holder ? `${holder} holds token ${token}, ${LEASE_TICKS - age} tick(s) left` : 'free';
}
// #endregion world

// #region properties
const clientsOf = (w: WorldView) => w.processNames.filter((name) => /^c\d+$/.test(name));

export const writesInLeaseOrder = always<LeaseContexts>({
  name: 'writes-in-lease-order',
  statement: 'Once the storage has taken a write made under some lease, it never takes a write made under an older lease.',
  check(w) {
    let newest: { from: string; token: number } | undefined;
    for (const write of w.process('storage').context.accepted) {
      if (newest && write.token < newest.token) {
        return {
          message: `the storage took ${write.from}'s write under token ${write.token} after ${newest.from}'s write under token ${newest.token}`,
          processes: ['storage', write.from],
        };
      }
      if (!newest || write.token > newest.token) newest = write;
    }
    return undefined;
  },
});

export const oneHolder = always({
  name: 'one-believed-holder',
  statement: 'At most one client believes it holds the lock.',
  check(w) {
    const holders = clientsOf(w).filter((c) => w.process(c).is('holding'));
    return holders.length > 1 ? { message: `${holders.join(' and ')} both believe they hold the lock`, processes: holders } : undefined;
  },
});

export const everyoneWrites = sometimes<LeaseContexts>({
  name: 'every-client-writes',
  statement: 'Some behaviour has the storage take a write from every client, so the fix does not pass by refusing everything.',
  reached: (w) => {
    const writers = new Set(w.process('storage').context.accepted.map((a) => a.from));
    return clientsOf(w).every((c) => writers.has(c));
  },
});
// #endregion properties

// #region model
export const leaseLock = defineModel<LeaseConfig>({
  name: 'lease-lock',
  summary: 'Clients take a lease on a lock before writing to a storage service; the lease runs out on the server clock.',
  configs: {
    'two-clients': { clients: 2, ticks: 3, drops: 0 },
    'two-clients-lossy': { clients: 2, ticks: 3, drops: 1 },
  },
  variants: {
    unfenced: {
      summary: 'The storage takes every write; clients only check their own lease before writing.',
      expect: { 'writes-in-lease-order': 'violated', 'one-believed-holder': 'violated', 'every-client-writes': 'holds' },
    },
    fenced: {
      summary: 'Each grant carries a larger token and the storage refuses a token smaller than one it has seen.',
      expect: { 'writes-in-lease-order': 'holds', 'one-believed-holder': 'violated', 'every-client-writes': 'holds' },
    },
  },
  properties: [writesInLeaseOrder, oneHolder, everyoneWrites],
  build: (variant, config) => buildWorld(variant as Variant, config),
});
// #endregion model
