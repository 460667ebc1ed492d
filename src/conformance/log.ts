import type { EventObject } from 'xstate';
import type { ActionDescriptor } from '../world/actions.js';

/**
 * A log recorded from a real run, one JSON object a line, in the order things
 * happened (`seq` strictly increasing). Each line is one thing a process did or
 * saw, in the model's vocabulary of steps:
 *
 *   {"seq":3,"process":"r1","kind":"receive","from":"instance","msg":{"type":"WRITE","id":1,"from":"instance"}}
 *   {"seq":4,"process":"r1","kind":"send","to":"r2","msg":{"type":"REPLICATE","id":1,"epoch":1,"from":"r1"}}
 *   {"seq":5,"process":"instance","kind":"timeout","event":{"type":"RETRY"}}
 *   {"seq":6,"process":"r2","kind":"request","event":{"type":"PEER_LOST"}}
 *   {"seq":7,"kind":"crash","process":"r1"}        (also restart; faults seen by the harness)
 *   {"seq":8,"kind":"partition","partition":"r1 isolated"}   (also heal)
 *   {"seq":9,"kind":"drop","from":"r1","to":"r2","msg":{…}}  {"seq":10,"kind":"tick"}
 *
 * A step may carry `state`: what the process reports of itself after the step
 * (`value`, its machine state; `context`, some of its fields), checked against
 * the model. `time` (optional) is the process's clock, only shown.
 */
export type LogStep =
  | { kind: 'receive'; process: string; from: string; msg: EventObject }
  | { kind: 'timeout' | 'request' | 'internal'; process: string; event: EventObject }
  | { kind: 'crash' | 'restart'; process: string }
  | { kind: 'partition' | 'heal'; partition: string }
  | { kind: 'drop'; from: string; to: string; msg: EventObject }
  | { kind: 'tick' };

export interface ReportedState {
  value?: unknown;
  context?: Record<string, unknown>;
}

export type LogEvent = { line: number; seq: number; time?: number } & (
  | { kind: 'send'; process: string; to: string; msg: EventObject }
  | (LogStep & { state?: ReportedState })
);

export const LOG_KINDS = ['receive', 'send', 'timeout', 'request', 'internal', 'crash', 'restart', 'partition', 'heal', 'drop', 'tick'] as const;

/** A log that cannot be read: one line per bad entry, each naming its line number. */
export class LogError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export interface ParseOptions {
  /** The model's processes: an entry naming another is an error. */
  processes?: readonly string[];
  /** The model's partitions, by name. */
  partitions?: readonly string[];
  /** Where the log came from, to start each problem line with. */
  file?: string;
}

/**
 * Reads a log. Every problem is one line (`FILE:LINE: what is wrong`); all of
 * them are collected, and a log with any is refused as a whole (LogError).
 */
export function parseLog(text: string, options: ParseOptions = {}): LogEvent[] {
  const problems: string[] = [];
  const events: LogEvent[] = [];
  const where = (line: number) => `${options.file ?? 'log'}:${line}`;
  let lastSeq: { seq: number; line: number } | undefined;
  let lastTime: number | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const problem = (what: string) => problems.push(`${where(line)}: ${what}`);
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      return problem(`not JSON: ${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}`);
    }
    if (!isObject(entry)) return problem('expected a JSON object');
    const read = readEvent(entry, options);
    if (typeof read === 'string') return problem(read);
    if (lastSeq && read.seq <= lastSeq.seq) return problem(`out of order: seq ${read.seq} comes after seq ${lastSeq.seq} (line ${lastSeq.line})`);
    if (read.time !== undefined && lastTime !== undefined && read.time < lastTime) return problem(`out of order: time ${read.time} is before the previous entry's ${lastTime}`);
    lastSeq = { seq: read.seq, line };
    if (read.time !== undefined) lastTime = read.time;
    events.push({ ...read, line } as LogEvent);
  });
  if (problems.length) throw new LogError(problems);
  return events;
}

/** An entry before its line number is known (Omit over each member of the union). */
export type LogEntry = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'line'> : never) : never;
type Read = LogEntry;

/** One entry's fields, or what is wrong with them. */
function readEvent(e: Record<string, unknown>, options: ParseOptions): Read | string {
  if (!Number.isInteger(e.seq)) return `"seq" must be a whole number, not ${show(e.seq)}`;
  if (e.time !== undefined && typeof e.time !== 'number') return `"time" must be a number, not ${show(e.time)}`;
  const kind = e.kind;
  if (typeof kind !== 'string' || !(LOG_KINDS as readonly string[]).includes(kind)) return `unknown kind ${show(kind)} (kinds: ${LOG_KINDS.join(', ')})`;
  const base = { seq: e.seq as number, ...(e.time !== undefined ? { time: e.time as number } : {}) };
  const name = (field: string): string | undefined => {
    const value = e[field];
    if (typeof value !== 'string') return `"${field}" must be a process name, not ${show(value)}`;
    if (options.processes && !options.processes.includes(value)) return `unknown process '${value}' in "${field}" (processes: ${options.processes.join(', ')})`;
    return undefined;
  };
  const message = (field: string): string | undefined =>
    isObject(e[field]) && typeof (e[field] as Record<string, unknown>).type === 'string' ? undefined : `"${field}" must be an object with a string "type", not ${show(e[field])}`;
  const state = readState(e.state);
  if (typeof state === 'string') return state;
  const withState = state ? { state } : {};
  const first = (...checks: Array<string | undefined>) => checks.find((c) => c !== undefined);
  switch (kind) {
    case 'receive':
      return first(name('process'), name('from'), message('msg')) ?? { ...base, kind, process: e.process as string, from: e.from as string, msg: e.msg as EventObject, ...withState };
    case 'send':
      return first(name('process'), name('to'), message('msg')) ?? { ...base, kind, process: e.process as string, to: e.to as string, msg: e.msg as EventObject };
    case 'timeout':
    case 'request':
    case 'internal':
      return first(name('process'), message('event')) ?? { ...base, kind, process: e.process as string, event: e.event as EventObject, ...withState };
    case 'crash':
    case 'restart':
      return first(name('process')) ?? { ...base, kind, process: e.process as string, ...withState };
    case 'partition':
    case 'heal': {
      if (typeof e.partition !== 'string') return `"partition" must be a partition's name, not ${show(e.partition)}`;
      if (options.partitions && !options.partitions.includes(e.partition)) return `unknown partition '${e.partition}' (partitions: ${options.partitions.join(', ') || 'none'})`;
      return { ...base, kind, partition: e.partition };
    }
    case 'drop':
      return first(name('from'), name('to'), message('msg')) ?? { ...base, kind, from: e.from as string, to: e.to as string, msg: e.msg as EventObject };
    default:
      return { ...base, kind: 'tick' };
  }
}

function readState(state: unknown): ReportedState | undefined | string {
  if (state === undefined) return undefined;
  if (!isObject(state)) return `"state" must be an object with "value" and/or "context", not ${show(state)}`;
  const extra = Object.keys(state).filter((k) => k !== 'value' && k !== 'context');
  if (extra.length) return `"state" has unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} (expected "value" and/or "context")`;
  if (state.context !== undefined && !isObject(state.context)) return `"state.context" must be an object, not ${show(state.context)}`;
  return state as ReportedState;
}

/** The world action a logged step names (sends are effects of steps, not steps). */
export function descriptorOf(step: LogStep): ActionDescriptor {
  switch (step.kind) {
    case 'receive':
      return { kind: 'deliver', from: step.from, to: step.process, msg: step.msg };
    case 'timeout':
    case 'request':
    case 'internal':
      return { kind: step.kind, process: step.process, event: step.event };
    case 'crash':
    case 'restart':
      return { kind: step.kind, process: step.process };
    case 'partition':
    case 'heal':
      return { kind: step.kind, partition: step.partition };
    case 'drop':
      return { kind: 'drop', from: step.from, to: step.to, msg: step.msg };
    case 'tick':
      return { kind: 'tick' };
  }
}

/** The event as a log line again (without its line number): what the writer of a log emits. */
export function formatLogEvent(event: LogEntry | LogEvent): string {
  const { line: _line, ...rest } = event as LogEvent;
  return JSON.stringify(rest);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
