import { replaySteps } from '../check/trace.js';
import type { ModelInstance } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import { canonicalJson } from '../world/canonical-json.js';
import type { ProcessView } from '../world/world-view.js';
import { WorldView } from '../world/world-view.js';
import { describeAction, show, showMessage, showStateValue } from './describe.js';

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
  replayed.actions.forEach((action, i) => {
    if (i === loopFrom) lines.push(`    ↻ from here, steps ${i + 1} to ${steps.length} repeat forever:`);
    const before = new WorldView(world, replayed.states[i]!);
    const after = new WorldView(world, replayed.states[i + 1]!);
    lines.push(`${String(i + 1).padStart(2)}. ${describeAction(action.descriptor)}`);
    before.processes().forEach((was, p) => {
      const now = after.processes()[p]!;
      const change = describeChange(was, now);
      if (change) {
        lines.push(`      ${now.name}: ${change}`);
        lastChange.set(now.name, i + 1);
      }
    });
    for (const send of world.sendsOf(replayed.states[i]!, action)) {
      lines.push(`      ${send.from} → ${send.to}: ${showMessage(send.msg as never)}${send.lost ? `  (lost: ${after.process(send.to).crashed ? `${send.to} is down` : `no network between ${send.from} and ${send.to}`})` : ''}`);
    }
    for (const [name, project] of views) {
      const old = show(project(before));
      const now = show(project(after));
      if (old !== now) lines.push(`      [${name}] ${old} → ${now}`);
    }
  });

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
  const keys = new Set([...Object.keys(was.context ?? {}), ...Object.keys(now.context ?? {})]);
  for (const key of keys) {
    const a = was.context?.[key];
    const b = now.context?.[key];
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) parts.push(`${key} ${show(a)} → ${show(b)}`);
  }
  return parts.length ? parts.join(', ') : undefined;
}
