import type { ActionDescriptor } from '../world/actions.js';

/** A value as a person reads it: strings bare, arrays and objects compact, no quotes on keys. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
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

/** One line naming what a step did, before any of its effects. */
export function describeAction(d: ActionDescriptor): string {
  switch (d.kind) {
    case 'deliver':
      return `${d.to} receives ${showMessage(d.msg)} from ${d.from}`;
    case 'drop':
      return `fault: the network loses ${showMessage(d.msg)} from ${d.from} to ${d.to}`;
    case 'timeout':
      return `timeout: ${d.event.type} fires at ${d.process}`;
    case 'request':
      return `request: ${d.process} issues ${showMessage(d.event)}`;
    case 'tick':
      return 'tick: the clock advances';
    case 'partition':
      return `fault: partition "${d.partition}"`;
    case 'heal':
      return `heal: partition "${d.partition}" ends`;
    case 'crash':
      return `fault: ${d.process} crashes`;
    case 'restart':
      return `${d.process} restarts`;
  }
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
