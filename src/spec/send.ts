import type { EventObject } from 'xstate';

/**
 * What a machine emits to send a message: the world routes `msg` to `to` and
 * hands it over as the receiver's event. An array of receivers is a broadcast:
 * one message per receiver, each delivered, lost or reordered on its own.
 */
export interface SendEvent<M extends EventObject = EventObject> {
  type: 'send';
  to: string | readonly string[];
  msg: M;
}

/** `emit(({ context }) => send('lock', { type: 'ACQUIRE', from: context.id }))`; declare `emitted: SendEvent<YourMessages>` in `setup`. */
export function send<M extends EventObject>(to: string | readonly string[], msg: M): SendEvent<M> {
  return { type: 'send', to, msg };
}
