import type { StoryPresentation } from '../spec/story-presentation.js';
import { fieldMatches } from '../spec/story-presentation.js';
import { canonicalJson } from '../world/canonical-json.js';
import type { ProcessView, WorldView } from '../world/world-view.js';
import { show, showStateValue } from './describe.js';

/**
 * What changed between two states, as a reader needs it: per process its
 * state move and changed fields (minus bookkeeping and the fields a view
 * summarises), processes that changed alike on one line, and the model's
 * views with only the parts that changed.
 */
export class ChangeTeller {
  private readonly shadowed: string[];

  constructor(
    private readonly presentation: StoryPresentation,
    private readonly views: ReadonlyArray<[string, (w: WorldView) => unknown]>,
  ) {
    this.shadowed = [...(presentation.hide ?? []), ...Object.values(presentation.replaces ?? {}).flat()];
  }

  /** Whether a field of a process is ever shown. */
  shows(process: string, path: string): boolean {
    return !fieldMatches(this.shadowed, process, path);
  }

  /** "az1-c1, az2-c1: waited 0 → 1": one line per distinct change, naming the processes that made it. */
  processLines(before: WorldView, after: WorldView): { lines: string[]; changed: string[] } {
    const byText = new Map<string, string[]>();
    const changed: string[] = [];
    before.processes().forEach((was, p) => {
      const now = after.processes()[p]!;
      const text = this.describeChange(was, now);
      if (text === undefined) return;
      changed.push(now.name);
      if (text) byText.set(text, [...(byText.get(text) ?? []), now.name]);
    });
    return { lines: [...byText].map(([text, names]) => `${names.join(', ')}: ${text}`), changed };
  }

  /** "[threads] t2: free → az2-c1 create-volume #1 since tick 2": a view's changed parts only. */
  viewLines(before: WorldView, after: WorldView): string[] {
    const out: string[] = [];
    for (const [name, project] of this.views) {
      const old = show(project(before));
      const now = show(project(after));
      if (old !== now) out.push(`[${name}] ${changedParts(old, now)}`);
    }
    return out;
  }

  /** Undefined when nothing changed; '' when only hidden fields did (the process still counts as changed). */
  private describeChange(was: ProcessView, now: ProcessView): string | undefined {
    if (was.crashed && now.crashed) return undefined;
    const words = this.presentation.faults?.[now.name];
    if (now.crashed) {
      const lost = topFields(was.context).filter((k) => canonicalJson(field(was.context, k)) !== canonicalJson(field(now.context, k)));
      const kept = topFields(now.context).filter((k) => !lost.includes(k) && this.shows(now.name, k));
      const down = words?.down ?? 'down';
      const losing = lost.filter((k) => this.shows(now.name, k));
      return `${showStateValue(was.value)} → ${down}${losing.length ? `; loses ${losing.join(', ')}` : ''}${kept.length ? `; keeps ${kept.join(', ')}` : losing.length ? '' : '; keeps nothing'}`;
    }
    if (was.crashed) return `${words?.down ?? 'down'} → ${showStateValue(now.value)}`;
    const parts: string[] = [];
    const from = showStateValue(was.value);
    const to = showStateValue(now.value);
    if (from !== to) parts.push(`${from} → ${to}`);
    parts.push(...fieldChanges(was.context, now.context, '').filter((c) => this.shows(now.name, c.path)).map((c) => c.text));
    if (parts.length) return parts.join(', ');
    return canonicalJson(was.context ?? null) === canonicalJson(now.context ?? null) ? undefined : '';
  }
}

const isRecord = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const topFields = (context: unknown): string[] => (isRecord(context) ? Object.keys(context) : []);
const field = (context: unknown, k: string): unknown => (isRecord(context) ? (context[k] ?? null) : null);

/** The changed leaves of two contexts, as "replicas.v1.status serving → asking" or "threads[1] none → {…}". */
function fieldChanges(a: unknown, b: unknown, path: string, depth = 0): Array<{ path: string; text: string }> {
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return [];
  if (isRecord(a) && isRecord(b) && depth < 4) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => fieldChanges(a[k], b[k], path ? `${path}.${k}` : k, depth + 1));
  }
  // Slots of a fixed-size array (a thread pool, a replica table) change one at a time: name the slot.
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.some((x) => x !== null && typeof x === 'object') && depth < 4) {
    return a.flatMap((x, i) => fieldChanges(x, b[i], `${path}[${i}]`, depth + 1));
  }
  return [{ path, text: `${path} ${show(a)} → ${show(b)}` }];
}

/**
 * A view drawn as "k1: v1; k2: v2" changes a part at a time: show the parts
 * that changed ("k2: v2 → w2"). When its parts only moved between keys (a
 * table kept sorted), show what came and went: "+ w2, − v2". Otherwise the
 * whole value before and after.
 */
function changedParts(old: string, now: string): string {
  const a = old.split('; ');
  const b = now.split('; ');
  const key = (part: string) => part.match(/^([^:]+): /)?.[1];
  if (a.length !== b.length || a.length < 2 || a.some((p, i) => key(p) === undefined || key(p) !== key(b[i]!))) return `${old} → ${now}`;
  const value = (p: string) => p.slice(key(p)!.length + 2);
  const moved = a.map((p, i) => [value(p), value(b[i]!)] as const).filter(([x, y]) => x !== y);
  const came = difference(b.map(value), a.map(value));
  const went = difference(a.map(value), b.map(value));
  if (came.length + went.length <= moved.length) return [...came.map((v) => `+ ${v}`), ...went.map((v) => `− ${v}`)].join(', ');
  return a.map((p, i) => (p === b[i] ? undefined : `${key(p)}: ${grown(value(p), value(b[i]!))}`)).filter((x) => x !== undefined).join('; ');
}

/** "v → w", or, when w is v with words added, v and only what was added: "az1-c1 #1 → … (answered, never released)". */
export function grown(was: string, now: string): string {
  return now.startsWith(`${was} `) && was.length > 0 ? `${was} → … ${now.slice(was.length + 1)}` : `${was} → ${now}`;
}

/** The items of `xs` not matched one for one in `ys`. */
function difference(xs: readonly string[], ys: readonly string[]): string[] {
  const left = [...ys];
  return xs.filter((x) => {
    const k = left.indexOf(x);
    if (k < 0) return true;
    left.splice(k, 1);
    return false;
  });
}
