import { evaluate, instantiate, type ModelInstance } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import { traceFrom } from '../check/trace.js';
import { describeAction } from '../report/describe.js';
import { renderStory } from '../report/story.js';
import type { ModelDefinition } from '../spec/model.js';
import type { ActionDescriptor, ActionKind, WorldAction } from '../world/actions.js';
import { canonicalJson } from '../world/canonical-json.js';
import { World } from '../world/world.js';
import { ModelStepError } from '../world/errors.js';
import { descriptorOf, type LogEvent, type LogStep } from './log.js';
import { SplicingStepper } from './splicing-stepper.js';
import { StepFinder, stateMismatch } from './steps.js';

export interface ValidateOptions {
  /**
   * Processes whose steps the log does not record (a service whose logs are
   * not available): their steps are found by the bounded search between
   * logged events.
   */
  unlogged?: readonly string[];
  /** Kinds of world action the log may leave out (e.g. 'drop', 'partition', 'heal'), found the same way. */
  hidden?: readonly ActionKind[];
  /** At most this many unlogged steps between two logged events (default 4). */
  maxHidden?: number;
  /** At most this many candidate states at once (default 2,000): more is a `bounded` answer, not a guess. */
  maxCandidates?: number;
}

/** An `always` property judged along the matched path: where it first breaks, if it does. */
export interface PropertyJudgement {
  property: string;
  broken?: { step: number; line: number | undefined; message: string };
}

export type Validation =
  | {
      verdict: 'conforms';
      events: number;
      /** The world's steps matched, hidden ones included, as trace steps (an `init` first when the world has several initial states). */
      path: ActionDescriptor[];
      /** For each step of `path`, the log line that names it (undefined for a step found by the search). */
      lines: Array<number | undefined>;
      /** Logged steps in which, in the model, nothing happens (a message or timer taken and ignored). */
      stutters: number;
      properties: PropertyJudgement[];
    }
  | {
      verdict: 'diverges';
      /** The first event the model cannot explain. */
      event: LogEvent;
      reason: string;
      /** What the model could do instead, at the last matched state. */
      enabled: string[];
      matched: ActionDescriptor[];
      lines: Array<number | undefined>;
      /** The last matched state, told as a story (the path to it). */
      story: string[];
      properties: PropertyJudgement[];
    }
  | { verdict: 'bounded'; event: LogEvent; reason: string };

/** A matched path as a linked list (no states: a long log's states would not fit in memory). */
interface PathNode {
  readonly action: WorldAction;
  readonly line: number | undefined;
  readonly parent: PathNode | undefined;
  /** Steps from the initial state, this one included. */
  readonly depth: number;
}

interface Candidate {
  readonly root: string;
  readonly state: string;
  readonly path: PathNode | undefined;
  /** Per process, the messages its last step sent that the log has not shown it sending yet. */
  readonly unsent: ReadonlyMap<string, readonly string[]>;
  /** The `always` properties judged along the path so far: where each first broke. */
  readonly judged: readonly PropertyJudgement[];
  /** Logged steps so far in which nothing happened in the model. */
  readonly stutters: number;
}

const sendKey = (to: string, msg: unknown) => `${to}:${canonicalJson(msg)}`;

/** The model's sends are the memoised outcome's own message objects, met again and again: their encodings are kept. */
const modelMessageJson = new WeakMap<object, string>();
function modelSendKey(to: string, msg: object): string {
  let json = modelMessageJson.get(msg);
  if (json === undefined) modelMessageJson.set(msg, (json = canonicalJson(msg)));
  return `${to}:${json}`;
}

/** Candidates are told apart by state and owed sends; the key (as long as the state) is made only once there are two to compare. */
class CandidateSet {
  readonly list: Candidate[] = [];
  private readonly keys = new Set<string>();

  add(c: Candidate): void {
    if (this.list.length === 1 && this.keys.size === 0) this.keys.add(keyOf(this.list[0]!));
    if (this.list.length > 0) {
      const key = keyOf(c);
      if (this.keys.has(key)) return;
      this.keys.add(key);
    }
    this.list.push(c);
  }
}

function keyOf(c: Candidate): string {
  return `${c.state}\u0001${[...c.unsent].filter(([, m]) => m.length).map(([p, m]) => `${p}=${[...m].sort().join('|')}`).sort().join(';')}`;
}

/**
 * An instance for validation: a configuration by name, or any configuration
 * object the model's builder takes (a real run needs larger budgets than an
 * exhaustive search can afford: suspicions, crashes and partitions by the
 * hundred).
 */
export function validationInstance(model: ModelDefinition<any>, variant: string, config?: string | object): ModelInstance {
  if (config === undefined || typeof config === 'string') return instantiate(model, variant, config);
  const instance = instantiate(model, variant);
  return { ...instance, config: 'custom', world: new World(model.build(variant, config)) };
}

/**
 * Is the log a behaviour of the model? Follows it event by event from the
 * initial states, as TLA+ trace validation does: every logged step must be an
 * action of the world (or a step in which nothing happens), every logged send
 * must be a message that process's last step sent, and every reported state
 * must agree with the model's. Steps the log leaves out are looked for by a
 * breadth-first search of at most `maxHidden` such steps between two events.
 * All candidate states are kept, so an ambiguous log is not decided by a guess.
 */
export function validateLog(instance: ModelInstance, events: readonly LogEvent[], options: ValidateOptions = {}): Validation {
  const world = instance.world;
  const finder = new StepFinder(world);
  const stepper = new SplicingStepper(world);
  const maxHidden = options.maxHidden ?? 4;
  const maxCandidates = options.maxCandidates ?? 2000;
  const unlogged = new Set(options.unlogged ?? []);
  const hiddenKinds = new Set(options.hidden ?? []);
  const searchesHidden = unlogged.size > 0 || hiddenKinds.size > 0;
  const isHidden = (a: WorldAction) => hiddenKinds.has(a.kind) || (a.process !== '' && unlogged.has(a.process));
  const always = instance.properties.filter((p) => p.kind === 'always');
  /** The judgements after one more state, judged only for the properties not broken yet. */
  const judge = (judged: readonly PropertyJudgement[], state: string, path: PathNode | undefined): readonly PropertyJudgement[] => {
    // Plain loops: this runs on every matched step, and a closure made per call costs more than the loop.
    let next: PropertyJudgement[] | undefined;
    for (let k = 0; k < judged.length; k++) {
      const j = judged[k]!;
      if (j.broken) continue;
      const witness = evaluate(always[k]!, world, state);
      if (!witness) continue;
      next ??= [...judged];
      next[k] = { property: j.property, broken: { step: path?.depth ?? 0, line: path?.line, message: witness.message } };
    }
    return next ?? judged;
  };
  const unjudged: PropertyJudgement[] = always.map((p) => ({ property: p.name }));
  let candidates: Candidate[] = world.initialStates().map((s) => ({ root: s, state: s, path: undefined, unsent: new Map(), judged: judge(unjudged, s, undefined), stutters: 0 }));

  /**
   * Every state reachable from a candidate by at most `maxHidden` hidden steps,
   * the candidate first, in breadth-first order; undefined when there are more
   * than `maxCandidates` (hidden drops of a large network multiply fast).
   */
  const closure = (start: Candidate): Candidate[] | undefined => {
    if (!searchesHidden) return [start];
    const seen = new Set([start.state]);
    const out = [start];
    let layer = [start];
    for (let depth = 0; depth < maxHidden && layer.length; depth++) {
      const next: Candidate[] = [];
      for (const c of layer) {
        for (const action of world.actions(c.state)) {
          if (!isHidden(action)) continue;
          const state = nextOrError(stepper, c.state, action);
          if (state instanceof ModelStepError || seen.has(state)) continue;
          seen.add(state);
          const path = { action, line: undefined, parent: c.path, depth: (c.path?.depth ?? 0) + 1 };
          const reached = { ...c, state, path, judged: judge(c.judged, state, path) };
          next.push(reached);
          out.push(reached);
          if (out.length > maxCandidates) return undefined;
        }
      }
      layer = next;
    }
    return out;
  };

  for (const event of events) {
    const next = new CandidateSet();
    if (event.kind === 'send') {
      const logged = sendKey(event.to, event.msg);
      for (const c of candidates) {
        const owed = c.unsent.get(event.process) ?? [];
        const k = owed.indexOf(logged);
        if (k < 0) continue;
        next.add({ ...c, unsent: new Map(c.unsent).set(event.process, [...owed.slice(0, k), ...owed.slice(k + 1)]) });
      }
    } else {
      const descriptor = descriptorOf(event as LogStep);
      const actor = 'process' in event ? event.process : undefined;
      for (const start of candidates) {
        const reachable = closure(start);
        if (!reachable) return { verdict: 'bounded', event, reason: `more than ${maxCandidates} model states are reachable by unlogged steps before line ${event.line}: lower maxHidden, hide fewer kinds, or raise maxCandidates` };
        for (const c of reachable) {
          const action = finder.find(c.state, descriptor);
          if (action) {
            const state = nextOrError(stepper, c.state, action);
            if (state instanceof ModelStepError || (actor && stateMismatch(world, state, actor, event.state))) continue;
            // What this step sent replaces what the stepping process's previous step still owed the log.
            const sent = new Map<string, string[]>();
            for (const s of world.sendsOf(c.state, action)) sent.set(s.from, [...(sent.get(s.from) ?? []), modelSendKey(s.to, s.msg)]);
            const unsent = new Map(c.unsent);
            if (action.process !== '') unsent.set(action.process, sent.get(action.process) ?? []);
            for (const [p, keys] of sent) unsent.set(p, keys);
            const path = { action, line: event.line, parent: c.path, depth: (c.path?.depth ?? 0) + 1 };
            next.add({ ...c, state, path, unsent, judged: judge(c.judged, state, path) });
          } else if (finder.isStutter(c.state, descriptor) && !(actor && stateMismatch(world, c.state, actor, event.state))) {
            next.add({ ...c, unsent: actor ? new Map(c.unsent).set(actor, []) : c.unsent, stutters: c.stutters + 1 });
          }
        }
      }
    }
    if (next.list.length === 0) return divergence(instance, finder, candidates[0]!, event);
    if (next.list.length > maxCandidates) return { verdict: 'bounded', event, reason: `more than ${maxCandidates} model states fit the log up to line ${event.line}: raise maxCandidates or log more state` };
    candidates = next.list;
  }
  const best = candidates[0]!;
  const { actions, lines } = unwind(best.path);
  return {
    verdict: 'conforms',
    events: events.length,
    path: traceFrom(world, best.root, actions),
    lines: world.initialStates().length > 1 ? [undefined, ...lines] : lines,
    stutters: best.stutters,
    properties: [...best.judged],
  };
}

/** The answer for an event no candidate explains, told from the first candidate (canonical order). */
function divergence(instance: ModelInstance, finder: StepFinder, last: Candidate, event: LogEvent): Validation {
  const world = instance.world;
  let reason: string;
  if (event.kind === 'send') {
    const owed = last.unsent.get(event.process) ?? [];
    reason = owed.length
      ? `${event.process}'s last step in the model sent ${owed.map((k) => k.replace(':', ' ')).join(', ')}, not ${sendKey(event.to, event.msg).replace(':', ' ')}`
      : `${event.process}'s last step in the model sent nothing more, but the log has it send ${event.msg.type} to ${event.to}`;
  } else {
    const descriptor = descriptorOf(event as LogStep);
    const action = finder.find(last.state, descriptor);
    const actor = 'process' in event ? event.process : undefined;
    const after = action && nextOrError(new SplicingStepper(world), last.state, action);
    if (after instanceof ModelStepError) reason = `the model fails on this step: ${after.message}`;
    else if (after) reason = `the model can take this step, but then ${stateMismatch(world, after, actor!, event.state)}`;
    else if (finder.isStutter(last.state, descriptor)) reason = `in the model nothing happens on it, but ${stateMismatch(world, last.state, actor!, event.state)}`;
    else reason = finder.whyNot(last.state, descriptor);
  }
  const enabled = world.actions(last.state).map((a) => describeAction(a.descriptor));
  const { actions, lines } = unwind(last.path);
  const matched = traceFrom(world, last.root, actions);
  return {
    verdict: 'diverges',
    event,
    reason,
    enabled,
    matched,
    lines: world.initialStates().length > 1 ? [undefined, ...lines] : lines,
    story: storyOf(instance, matched),
    properties: [...last.judged],
  };
}

/** The state an action leads to, or the model's error when its machine fails on it (a message its receiver may not take under delivery policy 'error'). */
function nextOrError(stepper: SplicingStepper, state: string, action: WorldAction): string | ModelStepError {
  try {
    return stepper.nextState(state, action);
  } catch (error) {
    if (error instanceof ModelStepError) return error;
    throw error;
  }
}

/** Stories replay every step: past this many the story of the matched path is cut to its last steps. */
const STORY_STEPS = 400;

/** A matched path told as a story (cut to its last steps past STORY_STEPS). */
export function storyOf(instance: ModelInstance, steps: ActionDescriptor[]): string[] {
  if (steps.length > STORY_STEPS) {
    return [`(the matched path has ${steps.length} steps; its last 20:)`, ...steps.slice(-20).map((d, i) => `${String(steps.length - 19 + i).padStart(2)}. ${describeAction(d)}`)];
  }
  const row: CheckResult = {
    model: instance.model.name,
    variant: instance.variant,
    config: instance.config,
    property: 'conformance',
    kind: 'always',
    mode: 'exhaustive',
    expected: 'holds',
    verdict: 'holds',
    states: steps.length + 1,
    transitions: steps.length,
    depth: steps.length,
    complete: false,
    traceLength: steps.length,
    seconds: 0,
    trace: steps,
  };
  const [, ...lines] = renderStory(instance, row);
  return [`the last matched state, after ${steps.length} step${steps.length === 1 ? '' : 's'} of ${instance.model.name}/${instance.variant}:`, ...lines];
}

function unwind(path: PathNode | undefined): { actions: WorldAction[]; lines: Array<number | undefined> } {
  const nodes: PathNode[] = [];
  for (let n = path; n; n = n.parent) nodes.push(n);
  nodes.reverse();
  return { actions: nodes.map((n) => n.action), lines: nodes.map((n) => n.line) };
}

/** The answer in a few lines, as the command line prints it. */
export function describeValidation(validation: Validation, file = 'log'): string[] {
  switch (validation.verdict) {
    case 'conforms': {
      const broken = validation.properties.filter((p) => p.broken);
      const head = `${file}: conforms: ${validation.events} events are a behaviour of the model (${validation.path.length} steps${validation.stutters ? `, ${validation.stutters} events in which nothing happens` : ''})`;
      return [head, ...propertyLines(validation.properties), ...(broken.length ? [] : ['every safety property holds along it'])];
    }
    case 'diverges': {
      const e = validation.event;
      const shown = validation.enabled.slice(0, 20);
      return [
        `${file}:${e.line}: does not conform: the model cannot explain this ${e.kind} (seq ${e.seq}): ${validation.reason}`,
        `after ${validation.matched.length} matched steps the model could instead: ${shown.join('; ') || 'nothing'}${validation.enabled.length > shown.length ? `; and ${validation.enabled.length - shown.length} more` : ''}`,
        ...propertyLines(validation.properties),
        '',
        ...validation.story,
      ];
    }
    case 'bounded':
      return [`${file}:${validation.event.line}: undecided: ${validation.reason}`];
  }
}

function propertyLines(properties: readonly PropertyJudgement[]): string[] {
  return properties
    .filter((p) => p.broken)
    .map((p) => `Broken along it: ${p.property} at step ${p.broken!.step}${p.broken!.line ? ` (log line ${p.broken!.line})` : ''}: ${p.broken!.message}`);
}

/** Which variants of the model the log is a behaviour of, and what breaks along it there: what a rejected log looks like instead. */
export function diagnose(model: ModelDefinition<any>, config: string | object | undefined, events: readonly LogEvent[], options: ValidateOptions = {}): Array<{ variant: string; validation: Validation }> {
  return Object.keys(model.variants).map((variant) => ({ variant, validation: validateLog(validationInstance(model, variant, config), events, options) }));
}
