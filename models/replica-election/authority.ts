import { assign, emit, setup } from 'xstate';
import { DESIGN_FIXED, designOf, type ElectionDesign } from './design.js';
import { AUTHORITY, INSTANCE, withName, type Announcement, type Send } from './names.js';

export interface AuthorityContext {
  epoch: number;
  primary: string;
  /** The replica set of the current epoch (sorted, primary included): the replicas that hold every acknowledged write. */
  members: string[];
  replicas: string[];
}

type AuthorityEvent = { type: 'REQUEST_PRIMACY'; epoch: number; suspects: string[]; from: string } | { type: 'ASK'; from: string };

const announcement = (c: AuthorityContext): Announcement => ({ type: 'NEW_PRIMARY', epoch: c.epoch, primary: c.primary, members: c.members, from: AUTHORITY });
const send = (to: string | string[], msg: Send['msg']): Send => ({ type: 'send', to, msg });

/**
 * The election authority: the one place that designates the primary replica,
 * one epoch at a time. A grant removes the suspected peers from the replica
 * set (they must be re-mirrored) and is announced to everyone once; whoever
 * missed it learns it by asking, and everyone who needs it asks until answered.
 */
export function createAuthorityMachine(variant: ElectionDesign | string = DESIGN_FIXED) {
  const design = designOf(variant);
  return setup({
    types: {} as { context: AuthorityContext; events: AuthorityEvent; input: { replicas: string[] }; emitted: Send },
    guards: {
      grantable: ({ context, event }) =>
        event.type === 'REQUEST_PRIMACY' &&
        !event.suspects.includes(event.from) &&
        (!design.grantOnlyCurrentMember || (event.epoch === context.epoch && context.members.includes(event.from) && event.suspects.every((s) => context.members.includes(s)))),
    },
  }).createMachine({
    id: 'authority',
    context: ({ input }) => ({ epoch: 1, primary: input.replicas[0]!, members: [...input.replicas], replicas: input.replicas }),
    initial: 'serving',
    states: {
      serving: {
        on: {
          REQUEST_PRIMACY: [
            {
              guard: 'grantable',
              actions: [
                assign(({ context, event }) => ({
                  epoch: context.epoch + 1,
                  primary: event.from,
                  members: withName(context.members.filter((m) => !event.suspects.includes(m)), event.from),
                })),
                emit(({ context }) => send([INSTANCE, ...context.replicas], { ...announcement(context) })),
              ],
            },
            // Not granted (a stale or repeated request): tell the asker where things stand.
            { actions: emit(({ context, event }) => send(event.from, { ...announcement(context) })) },
          ],
          ASK: { actions: emit(({ context, event }) => send(event.from, { ...announcement(context) })) },
        },
      },
    },
  });
}
