import type { CloseVariant, JournalEntry } from '../../models/replication-close/types.js';
import type { RaceInvariantName, Violation } from './invariants.js';

export interface StoryInput {
  variant: CloseVariant;
  invariant: RaceInvariantName;
  /** The journal of a replay of the schedule (it ends where the node went down, if it did). */
  journal: readonly JournalEntry[];
  violation: Violation;
  /** How to get the same run back from fast-check. */
  replay?: { seed: number; path: string };
}

interface StepGroup {
  head: Extract<JournalEntry, { kind: 'received' | 'resumed' }>;
  effects: JournalEntry[];
}

function groupSteps(journal: readonly JournalEntry[]): StepGroup[] {
  const groups: StepGroup[] = [];
  for (const e of journal) {
    if (e.kind === 'received' || e.kind === 'resumed') groups.push({ head: e, effects: [] });
    else groups.at(-1)?.effects.push(e);
  }
  return groups;
}

const who = (e: { op: string; req: number }) => `${e.op}#${e.req}`;

function headline(g: StepGroup): string {
  const h = g.head;
  if (h.kind === 'received') return `${who(h)} arrives for ${h.session}`;
  if (h.after === 'readChunk') return `the disk read returns to ${who(h)}`;
  if (h.after === 'connect') return `the connect returns to ${who(h)}`;
  return `the control plane's release returns to ${who(h)}`;
}

/** Which close is tearing each session down, as the story so far tells it. */
type Teardowns = Map<string, string>;

function effect(g: StepGroup, e: JournalEntry, teardowns: Teardowns): string {
  switch (e.kind) {
    case 'call': {
      if (e.call === 'connect') return `connects to the peer (channel ${e.channel})`;
      if (e.call === 'readChunk') return `finds ${e.session} open and reads chunk ${e.offset}`;
      const earlier = teardowns.get(e.session);
      teardowns.set(e.session, who(g.head));
      return earlier === undefined
        ? `finds ${e.session} in the table, marks it closing and asks the control plane to release it`
        : `finds ${e.session} in the table, already closing under ${earlier}, and asks the control plane to release it too`;
    }
    case 'write':
      return e.open ? `writes chunk ${e.chunk} to channel ${e.channel}` : `writes chunk ${e.chunk} to channel ${e.channel}, which is CLOSED (the chunk is lost)`;
    case 'close':
      if (e.ok) teardowns.delete(e.session);
      return e.ok ? `closes channel ${e.channel} of ${e.session}` : `closes channel ${e.channel} of ${e.session} again`;
    case 'answer':
      return e.req === g.head.req ? `answers ${e.answer}` : `${who(e)} answers ${e.answer}`;
    case 'crash':
      return `'${e.error}' escapes the handler: NODE DOWN`;
    default:
      return e.kind;
  }
}

function describe(g: StepGroup, teardowns: Teardowns): string {
  if (g.effects.length === 0) return `${headline(g)}; it waits for the teardown already under way`;
  return `${headline(g)}; it ${g.effects.map((e) => effect(g, e, teardowns)).join('; ')}`;
}

/** The handler that broke the invariant, the step where it looked at the session, and whoever changed the session in between. */
function collision(groups: StepGroup[], v: Violation): string | undefined {
  const arrival = groups.findIndex((g) => g.head.kind === 'received' && g.head.req === v.req);
  if (arrival < 0) return undefined;
  const victim = groups[arrival]!.head;
  for (let i = arrival + 1; i < v.step - 1; i++) {
    const g = groups[i]!;
    const closed = g.effects.find((e) => e.kind === 'close' && e.ok && e.session === victim.session);
    if (g.head.req !== v.req && closed?.kind === 'close') {
      return (
        `Collision: ${who(victim)} looked ${victim.session} up at step ${arrival + 1} and acted on what it saw at step ${v.step}; ` +
        `in between, at step ${i + 1}, ${who(g.head)} closed channel ${closed.channel} of ${victim.session}.`
      );
    }
  }
  return undefined;
}

/**
 * A counterexample as a numbered story: one line per schedule step (what
 * arrived or returned, then what that handler did before its next await),
 * then the two handlers that collided. Short enough for one screen.
 */
export function renderStory(input: StoryInput): string[] {
  const groups = groupSteps(input.journal);
  const lines = [`replication-close (${input.variant}): ${input.invariant} broken in ${groups.length} steps`];
  if (input.replay) lines.push(`replay: seed ${input.replay.seed}, path "${input.replay.path}"`);
  const teardowns: Teardowns = new Map();
  groups.forEach((g, i) => lines.push(`${String(i + 1).padStart(2)}. ${describe(g, teardowns)}`));
  const c = collision(groups, input.violation);
  // A collision is told by its own line; otherwise the broken fact is dated by the step that made it.
  lines.push(c ? `Broken: ${input.violation.message}.` : datedBreak(input.violation));
  if (c) lines.push(c);
  return lines;
}

/** "Broken: X (step 6): so Y." from a violation message "X: Y". */
function datedBreak(v: Violation): string {
  const cut = v.message.lastIndexOf(': ');
  if (cut < 0) return `Broken: ${v.message} (step ${v.step}).`;
  return `Broken: ${v.message.slice(0, cut)} (step ${v.step}): so ${v.message.slice(cut + 2)}.`;
}
