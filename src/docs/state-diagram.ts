import type { AnyStateMachine } from 'xstate';

interface NodeLike {
  key: string;
  id: string;
  type: string;
  states: Record<string, NodeLike>;
  transitions: Map<string, TransitionLike[]>;
  always?: TransitionLike[];
  initial?: { target?: NodeLike[] };
}

interface TransitionLike {
  target?: readonly NodeLike[];
  guard?: unknown;
  reenter?: boolean;
}

/**
 * A machine's states and transitions as a Mermaid `stateDiagram-v2`, read from
 * the machine's own definition so it cannot drift from the code. Transitions
 * that only run actions (no target) are listed in a note beside their state.
 */
export function renderStateDiagram(machine: AnyStateMachine): string[] {
  const lines = ['stateDiagram-v2'];
  renderChildren(machine.root as unknown as NodeLike, lines, '  ');
  return lines;
}

/** Events the machine handles at its root, in whatever state it is (not drawn in the diagram). */
export function rootEvents(machine: AnyStateMachine): string[] {
  const root = machine.root as unknown as NodeLike;
  return [...root.transitions.entries()].flatMap(([event, list]) => list.map((t) => `${event}${guardName(t.guard)}`));
}

function renderChildren(node: NodeLike, lines: string[], indent: string): void {
  const initial = node.initial?.target?.[0];
  if (initial) lines.push(`${indent}[*] --> ${name(initial)}`);
  for (const child of Object.values(node.states)) {
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${name(child)} {`);
      renderChildren(child, lines, indent + '  ');
      lines.push(`${indent}}`);
    }
    if (child.type === 'final') lines.push(`${indent}${name(child)} --> [*]`);
    const internal: string[] = [];
    const edges = [...child.transitions.entries()].flatMap(([event, list]) => list.map((t) => [event, t] as const));
    for (const t of child.always ?? []) edges.push(['(always)', t]);
    for (const [event, t] of edges) {
      const label = `${event === '(always)' ? '' : event}${guardName(t.guard)}`.trim();
      const targets = t.target ?? [];
      if (targets.length === 0) {
        if (!internal.includes(label)) internal.push(label);
        continue;
      }
      for (const target of targets) lines.push(`${indent}${name(child)} --> ${name(target)}${label ? ` : ${label}` : ''}`);
    }
    if (internal.length) lines.push(`${indent}note right of ${name(child)} : also handles ${internal.join(', ')}`);
  }
}

/** Mermaid state names may not contain dots or dashes. */
function name(node: NodeLike): string {
  return node.key.replace(/[^A-Za-z0-9_]/g, '_');
}

function guardName(guard: unknown): string {
  const named = describeGuard(guard);
  return named ? ` [${named}]` : '';
}

/**
 * A guard by name: a string or `{ type }` as declared; xstate's `and`, `or`
 * and `not` spelt out from the guards they combine ("serving and not busy");
 * an inline function by its own name. Only an anonymous function is "guarded".
 */
export function describeGuard(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const parts = (guard as { guards?: unknown[] }).guards;
    const kind = guard.name;
    if (Array.isArray(parts) && (kind === 'and' || kind === 'or' || kind === 'not')) {
      const inner = parts.map((g) => {
        const d = describeGuard(g);
        return /\s/.test(d) ? `(${d})` : d;
      });
      return kind === 'not' ? `not ${inner[0]}` : inner.join(` ${kind} `);
    }
    return kind || 'guarded';
  }
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'guarded';
}

/**
 * A machine without child states (it reacts to events in its one state) as a
 * table: a diagram of one state would show only a list of guards.
 */
export function renderTransitionTable(machine: AnyStateMachine): string[] | undefined {
  type Node = NodeLike & { transitions: Map<string, Array<TransitionLike & { actions?: unknown[] }>> };
  const root = machine.root as unknown as Node;
  const children = Object.values(root.states) as Node[];
  // One state: no child state, or a single child without children of its own that every transition stays in.
  if (children.length > 1 || children.some((c) => Object.keys(c.states).length > 0)) return undefined;
  const nodes = [...children, root];
  if (nodes.some((n) => [...n.transitions.values()].flat().some((t) => (t.target ?? []).some((x) => !nodes.includes(x as Node))))) return undefined;
  const out = [`| event | guard | actions |`, '|---|---|---|'];
  for (const node of nodes) {
    for (const [event, list] of node.transitions) {
      for (const t of list) {
        const actions = (t.actions ?? []).map(actionName).filter(Boolean).join(', ') || '–';
        out.push(`| ${event} | ${describeGuard(t.guard) || '–'} | ${actions.replace(/\|/g, '\\|')} |`);
      }
    }
  }
  return out;
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'function') return (action as { type?: string }).type?.replace(/^xstate\./, '') ?? action.name ?? '';
  if (action && typeof action === 'object' && 'type' in action) return String((action as { type: unknown }).type);
  return '';
}
