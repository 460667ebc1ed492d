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
  const file = options.file ?? 'log';
  let lastSeq: { seq: number; line: number } | undefined;
  let lastTime: number | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = i + 1;
    const read = readLine(raw, options, lastSeq, lastTime);
    if (read === undefined) continue;
    if (typeof read === 'string') {
      problems.push(`${file}:${line}: ${read}`);
      continue;
    }
    lastSeq = { seq: read.seq, line };
    if (read.time !== undefined) lastTime = read.time;
    (read as LogEvent).line = line;
    events.push(read as LogEvent);
  }
  if (problems.length) throw new LogError(problems);
  return events;
}

/** One line's entry (undefined for a blank line), or what is wrong with it. */
function readLine(raw: string, options: ParseOptions, lastSeq: { seq: number; line: number } | undefined, lastTime: number | undefined): Read | string | undefined {
  if (raw.trim() === '') return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(raw);
  } catch {
    return `not JSON: ${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}`;
  }
  if (!isObject(entry)) return 'expected a JSON object';
  const read = readEvent(entry, options);
  if (typeof read === 'string') return read;
  if (lastSeq && read.seq <= lastSeq.seq) return `out of order: seq ${read.seq} comes after seq ${lastSeq.seq} (line ${lastSeq.line})`;
  if (read.time !== undefined && lastTime !== undefined && read.time < lastTime) return `out of order: time ${read.time} is before the previous entry's ${lastTime}`;
  return read;
}

/** An entry before its line number is known (Omit over each member of the union). */
export type LogEntry = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'line'> : never) : never;
type Read = LogEntry;

/**
 * One entry's fields, or what is wrong with them. Written without closures
 * made per entry: a long log has a hundred thousand entries, and the checks
 * are most of what reading one costs.
 */
function readEvent(e: Record<string, unknown>, options: ParseOptions): Read | string {
  const seq = e.seq;
  if (!Number.isInteger(seq)) return `"seq" must be a whole number, not ${show(seq)}`;
  const time = e.time;
  if (time !== undefined && typeof time !== 'number') return `"time" must be a number, not ${show(time)}`;
  const kind = e.kind;
  if (typeof kind !== 'string' || !(LOG_KINDS as readonly string[]).includes(kind)) return `unknown kind ${show(kind)} (kinds: ${LOG_KINDS.join(', ')})`;
  const state = readState(e.state);
  if (typeof state === 'string') return state;
  let problem: string | undefined;
  let read: Read;
  // Fields in the order the entry's type lists them (seq, time, kind, …), as formatLogEvent writes them back.
  const base = (time === undefined ? { seq } : { seq, time }) as { seq: number; time?: number };
  switch (kind) {
    case 'receive':
      problem = nameProblem(e, 'process', options) ?? nameProblem(e, 'from', options) ?? messageProblem(e, 'msg');
      read = Object.assign(base, { kind, process: e.process as string, from: e.from as string, msg: e.msg as EventObject }) as Read;
      break;
    case 'send':
      problem = nameProblem(e, 'process', options) ?? nameProblem(e, 'to', options) ?? messageProblem(e, 'msg');
      // A send carries no state of its own: the step that made it reports it.
      return problem ?? Object.assign(base, { kind, process: e.process as string, to: e.to as string, msg: e.msg as EventObject }) as Read;
    case 'timeout':
    case 'request':
    case 'internal':
      problem = nameProblem(e, 'process', options) ?? messageProblem(e, 'event');
      read = Object.assign(base, { kind, process: e.process as string, event: e.event as EventObject }) as Read;
      break;
    case 'crash':
    case 'restart':
      problem = nameProblem(e, 'process', options);
      read = Object.assign(base, { kind, process: e.process as string }) as Read;
      break;
    case 'partition':
    case 'heal': {
      if (typeof e.partition !== 'string') return `"partition" must be a partition's name, not ${show(e.partition)}`;
      if (options.partitions && !options.partitions.includes(e.partition)) return `unknown partition '${e.partition}' (partitions: ${options.partitions.join(', ') || 'none'})`;
      return Object.assign(base, { kind, partition: e.partition }) as Read;
    }
    case 'drop':
      problem = nameProblem(e, 'from', options) ?? nameProblem(e, 'to', options) ?? messageProblem(e, 'msg');
      return problem ?? Object.assign(base, { kind, from: e.from as string, to: e.to as string, msg: e.msg as EventObject }) as Read;
    default:
      return Object.assign(base, { kind: 'tick' }) as Read;
  }
  if (problem !== undefined) return problem;
  if (state) (read as { state?: ReportedState }).state = state;
  return read;
}

function nameProblem(e: Record<string, unknown>, field: string, options: ParseOptions): string | undefined {
  const value = e[field];
  if (typeof value !== 'string') return `"${field}" must be a process name, not ${show(value)}`;
  if (options.processes && !options.processes.includes(value)) return `unknown process '${value}' in "${field}" (processes: ${options.processes.join(', ')})`;
  return undefined;
}

function messageProblem(e: Record<string, unknown>, field: string): string | undefined {
  const value = e[field];
  return isObject(value) && typeof value.type === 'string' ? undefined : `"${field}" must be an object with a string "type", not ${show(value)}`;
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
