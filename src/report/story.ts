import { replaySteps } from '../check/trace.js';
import type { ModelInstance } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import { canonicalJson } from '../world/canonical-json.js';
import type { ProcessView } from '../world/world-view.js';
import { WorldView } from '../world/world-view.js';
import { describeAction, describeLoop, show, showMessage, showStateValue } from './describe.js';

/**
 * A counterexample as a numbered story: per step, what happened, which
 * processes changed and how (only the fields that changed), what was sent or
 * lost, and at the end the broken property with its witness as a sentence.
 */
export function renderStory(instance: ModelInstance, result: CheckResult): string[] {
  const steps = result.trace ?? [];
  const replayed = replaySteps(instance, steps);
  const world = instance.world;
  const views = Object.entries(world.spec.view ?? {});
  const lastChange = new Map<string, number>();
  const found = result.kind === 'sometimes' ? 'reaches' : 'breaks';
  const lines = [`${instance.model.name}/${instance.variant} ${found} ${result.property} in ${steps.length} step${steps.length === 1 ? '' : 's'} (${result.mode}):`];

  const loopFrom = result.loopFrom;
  const describeStep = (i: number): string[] => {
    const action = replayed.actions[i]!;
    const out = [`${String(i + 1).padStart(2)}. ${describeAction(action.descriptor)}`];
    const discarded = world.discardedBy(replayed.states[i]!, action);
    if (discarded) out.push(`      ${discarded.process} discards it: no transition for it in state ${showStateValue(discarded.state)} (delivery policy 'drop')`);
    out.push(...processChanges(i, i + 1));
    for (const send of world.sendsOf(replayed.states[i]!, action)) {
      const after = new WorldView(world, replayed.states[i + 1]!);
      out.push(`      ${send.from} → ${send.to}: ${showMessage(send.msg as never)}${send.lost ? `  (lost: ${after.process(send.to).crashed ? `${send.to} is down` : `no network between ${send.from} and ${send.to}`})` : ''}`);
    }
    out.push(...viewChanges(i, i + 1));
    return out;
  };
  /** What changed in each process between two points of the trace. */
  const processChanges = (from: number, to: number): string[] => {
    const out: string[] = [];
    const before = new WorldView(world, replayed.states[from]!);
    const after = new WorldView(world, replayed.states[to]!);
    before.processes().forEach((was, p) => {
      const now = after.processes()[p]!;
      const change = describeChange(was, now);
      if (change) {
        out.push(`      ${now.name}: ${change}`);
        lastChange.set(now.name, to);
      }
    });
    return out;
  };
  /** What changed in the model's declared views between two points of the trace. */
  const viewChanges = (from: number, to: number): string[] => {
    const out: string[] = [];
    const before = new WorldView(world, replayed.states[from]!);
    const after = new WorldView(world, replayed.states[to]!);
    for (const [name, project] of views) {
      const old = show(project(before));
      const now = show(project(after));
      if (old !== now) out.push(`      [${name}] ${old} → ${now}`);
    }
    return out;
  };

  for (let i = 0; i < replayed.actions.length; ) {
    if (i === loopFrom) lines.push(`    ↻ from here, ${describeLoop(i, steps.length)}:`);
    const repeat = loopFrom !== undefined && i >= loopFrom ? undefined : repeatedBlock(steps, i, loopFrom ?? steps.length);
    if (!repeat) {
      lines.push(...describeStep(i));
      i++;
      continue;
    }
    // A block of steps taken again and again: tell it once, then sum up the repeats.
    for (let k = 0; k < repeat.length; k++) lines.push(...describeStep(i + k));
    const first = i + repeat.length;
    const last = i + repeat.length * repeat.times;
    lines.push(`${String(first + 1).padStart(2)}–${last}. the same ${repeat.length === 1 ? 'step' : `${repeat.length} steps`} again, ${repeat.times - 1} more time${repeat.times > 2 ? 's' : ''}; all told:`);
    lines.push(...processChanges(first, last), ...viewChanges(first, last));
    i = last;
  }

  if (loopFrom !== undefined && loopFrom >= steps.length) {
    lines.push('    ↻ from here on nothing the protocol owes can happen: the world stays in this state forever');
  }
  if (result.witness) {
    const verb = result.kind === 'sometimes' ? 'Reached' : result.kind === 'eventually' ? 'Never' : 'Broken';
    const since = (result.witness.processes ?? [])
      .filter((p) => lastChange.has(p))
      .map((p, i) => `${p} ${i === 0 ? 'unchanged ' : ''}since step ${lastChange.get(p)}`)
      .join(', ');
    lines.push(`${verb}: ${result.property}: ${sentence(result.witness.message)}${since ? ` (${since})` : ''}`);
  }
  return lines;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** "secondary → negotiating, epoch 1 → 2": the state move and the context fields that changed. */
function describeChange(was: ProcessView, now: ProcessView): string | undefined {
  if (was.crashed && now.crashed) return undefined;
  if (now.crashed) return `down (keeps ${show(now.context)})`;
  if (was.crashed) return `up again in ${showStateValue(now.value)}`;
  const parts: string[] = [];
  const from = showStateValue(was.value);
  const to = showStateValue(now.value);
  if (from !== to) parts.push(`${from} → ${to}`);
  parts.push(...fieldChanges(was.context, now.context, ''));
  return parts.length ? parts.join(', ') : undefined;
}

/** The changed leaves of two contexts, as "replicas.v1.status serving → asking" or "threads[1] none → {…}". */
function fieldChanges(a: unknown, b: unknown, path: string, depth = 0): string[] {
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return [];
  const isRecord = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  if (isRecord(a) && isRecord(b) && depth < 4) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => fieldChanges(a[k], b[k], path ? `${path}.${k}` : k, depth + 1));
  }
  // Slots of a fixed-size array (a thread pool, a replica table) change one at a time: name the slot.
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.some((x) => x !== null && typeof x === 'object') && depth < 4) {
    return a.flatMap((x, i) => fieldChanges(x, b[i], `${path}[${i}]`, depth + 1));
  }
  return [`${path} ${show(a)} → ${show(b)}`];
}

/**
 * Whether the steps from `start` begin a block (1 to 4 steps) that is then
 * taken again at least twice more in a row, before `end`: a retry loop in the
 * stem of a trace, told once and summed up.
 */
function repeatedBlock(steps: readonly unknown[], start: number, end: number): { length: number; times: number } | undefined {
  const keys = steps.map((s) => canonicalJson(s));
  for (let length = 1; length <= 4; length++) {
    let times = 1;
    while (start + (times + 1) * length <= end && keys.slice(start + times * length, start + (times + 1) * length).join() === keys.slice(start, start + length).join()) times++;
    if (times >= 3) return { length, times };
  }
  return undefined;
}
