import { match } from 'ts-pattern';
import type { ActionDescriptor } from '../world/actions.js';

/** A value as a person reads it: strings bare, arrays and objects compact, no quotes on keys. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object') {
    // A field set to undefined is absent (canonical JSON, and so the replay files, drop it): not "none".
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${show(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** A message without its type and sender, which the arrow around it already shows. */
export function showMessage(msg: { type: string; [field: string]: unknown }): string {
  const fields = Object.entries(msg).filter(([k]) => k !== 'type' && k !== 'from');
  return fields.length === 0 ? msg.type : `${msg.type} {${fields.map(([k, v]) => `${k}: ${show(v)}`).join(', ')}}`;
}

/** One line naming what a step did, before any of its effects. Exhaustive: a new kind of action fails to compile here until it has its words. */
export function describeAction(d: ActionDescriptor): string {
  return match(d)
    .with({ kind: 'deliver' }, (a) => `${a.to} receives ${showMessage(a.msg)} from ${a.from}`)
    .with({ kind: 'drop' }, (a) => `fault: the network loses ${showMessage(a.msg)} from ${a.from} to ${a.to}`)
    .with({ kind: 'timeout' }, (a) => `timeout: ${a.event.type} fires at ${a.process}`)
    .with({ kind: 'request' }, (a) => `request: ${a.process} issues ${showMessage(a.event)}`)
    .with({ kind: 'internal' }, (a) => (a.name ? `${a.process} ${a.name}` : `${a.process} takes its own step ${showMessage(a.event)}`))
    .with({ kind: 'tick' }, () => 'tick: the clock advances')
    .with({ kind: 'partition' }, (a) => `fault: partition "${a.partition}"`)
    .with({ kind: 'heal' }, (a) => `heal: partition "${a.partition}" ends`)
    .with({ kind: 'crash' }, (a) => `fault: ${a.process} crashes`)
    .with({ kind: 'restart' }, (a) => `${a.process} restarts`)
    .with({ kind: 'init' }, (a) => `starts from initial state ${a.initial}`)
    .exhaustive();
}

/** The state value of a machine as a dotted path ("primary", "negotiating.waiting"). */
export function showStateValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => (v && (typeof v === 'string' || typeof v === 'object') && Object.keys(v as object).length ? `${k}.${showStateValue(v)}` : k))
      .join('+');
  }
  return String(value);
}

/**
 * Which steps of a lasso repeat, in words: "step 5 repeats forever", "steps 5 to
 * 7 repeat forever". Undefined when the loop is empty (the behaviour ends in a
 * state where nothing owed can happen: a stutter, told apart by the callers).
 */
export function describeLoop(loopFrom: number, length: number): string | undefined {
  if (loopFrom >= length) return undefined;
  return loopFrom + 1 === length ? `step ${length} repeats forever` : `steps ${loopFrom + 1} to ${length} repeat forever`;
}
