import { assign, emit, setup } from 'xstate';

/** Sends PING {n} to `peer` on each GO request, n counting up; handles nothing else. */
export const sender = setup({
  types: {} as { context: { n: number; peer: string }; events: { type: 'GO' }; input: { peer: string }; emitted: { type: 'send'; to: string; msg: { type: 'PING'; n: number } } },
}).createMachine({
  context: ({ input }) => ({ n: 0, peer: input.peer }),
  on: {
    GO: {
      actions: [assign({ n: ({ context }) => context.n + 1 }), emit(({ context }) => ({ type: 'send' as const, to: context.peer, msg: { type: 'PING' as const, n: context.n } }))],
    },
  },
});

/** Records the PINGs it receives in order; `durable` keeps them across a crash. */
export const receiver = setup({
  types: {} as { context: { got: number[] }; events: { type: 'PING'; n: number } | { type: 'WAKE' }; input: { durable?: { got: number[] } } },
}).createMachine({
  context: ({ input }) => ({ got: input?.durable?.got ?? [] }),
  initial: 'listening',
  states: {
    listening: { on: { PING: { actions: assign({ got: ({ context, event }) => [...context.got, event.n] }) }, WAKE: 'awake' } },
    awake: {},
  },
});
