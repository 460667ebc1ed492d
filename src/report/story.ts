import { replaySteps } from '../check/trace.js';
import type { ModelInstance } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import type { ActionDescriptor } from '../world/actions.js';
import { canonicalJson } from '../world/canonical-json.js';
import { WorldView } from '../world/world-view.js';
import { ChangeTeller } from './changes.js';
import { describeAction, describeLoop, showMessage, showStateValue } from './describe.js';
import { causalSentence, explanationOf } from './explain.js';
import { foldTrace, repeatLine } from './folds.js';
import { behaviourSteps } from './behaviour-steps.js';
import { outcomeWords } from './verdict-words.js';
import { foldTurns, messageChains, packLines } from './chains.js';

/** A step's effects go on its own line when they are short enough to read there. */
const ONE_LINE = 140;
/** A story longer than this (header and sentence included) is told again with its message chains folded. */
export const STORY_LINES = 25;

/**
 * A counterexample as a numbered story: per step, what happened, which
 * processes changed and how (only the fields that changed, without the
 * model's bookkeeping), what was sent or lost, and at the end the broken
 * property with its cause: the facts that contradict, each dated by the step
 * that made it true. Repeated blocks of steps are told once and summed up.
 */
export function renderStory(instance: ModelInstance, result: CheckResult): string[] {
  const full = tellStory(instance, result, false);
  return full.length <= STORY_LINES ? full : tellStory(instance, result, true);
}

/**
 * The story step by step, or, `folded`, with each message chain (a request,
 * its answer, what the answer started…) told on one numbered line naming all
 * its steps ("2–8."), its effects summed up and packed several to a line.
 * Only long stories fold: a short one keeps every intermediate state.
 */
function tellStory(instance: ModelInstance, result: CheckResult, folded: boolean): string[] {
  const steps = result.trace ?? [];
  const replayed = replaySteps(instance, steps);
  const world = instance.world;
  const views = replayed.states.map((s) => new WorldView(world, s));
  const teller = new ChangeTeller(instance.model.story ?? {}, Object.entries(world.spec.view ?? {}));
  const faults = instance.model.story?.faults ?? {};
  const lastChange = new Map<string, number>();
  const sentAt = new Map<string, number[]>();
  const { found, verb } = outcomeWords(result.kind);
  // A leading `init` step chooses among several initial states; nothing happens in it. It is told as step 0, the
  // initial state, so the steps of behaviour are numbered 1 to N and N is what the header counts.
  const offset = steps[0]?.kind === 'init' ? 1 : 0;
  const shown = (stepIndex: number) => stepIndex + 1 - offset;
  const count = behaviourSteps(steps);
  const lines = [`${instance.model.name}/${instance.variant} ${found} ${result.property} in ${count} step${count === 1 ? '' : 's'} (${result.mode}):`];

  /** A delivered message already shown when it was sent is named by that step, not spelt out again. */
  // Overrides of describeAction for three kinds, not a dispatch: describeAction's exhaustive match words the rest.
  const headline = (d: ActionDescriptor): string => {
    if (d.kind === 'deliver') {
      const at = sentAt.get(messageKey(d.from, d.to, d.msg));
      if (at?.length === 1) return `${d.to} receives ${d.msg.type} from ${d.from} (sent at step ${at[0]})`;
      if (at && at.length > 1) return `${d.to} receives ${d.msg.type} from ${d.from} (one of the copies sent at steps ${at.join(', ')})`;
    }
    if (d.kind === 'crash' && faults[d.process]?.crash) return `fault: ${faults[d.process]!.crash}`;
    if (d.kind === 'restart' && faults[d.process]?.restart) return faults[d.process]!.restart!;
    return describeAction(d);
  };
  const processEffects = (from: number, to: number): string[] => {
    const { lines: changes, changed } = teller.processLines(views[from]!, views[to]!);
    for (const p of changed) lastChange.set(p, to - offset);
    return changes;
  };
  const effects = (from: number, to: number): string[] => [...processEffects(from, to), ...teller.viewLines(views[from]!, views[to]!)];
  const describeStep = (i: number): string[] => {
    const action = replayed.actions[i]!;
    const head = `${String(shown(i)).padStart(2)}. ${headline(action.descriptor)}`;
    const out: string[] = [];
    const discarded = world.discardedBy(replayed.states[i]!, action);
    if (discarded) out.push(`${discarded.process} discards it: no transition for it in state ${showStateValue(discarded.state)} (delivery policy 'drop')`);
    out.push(...processEffects(i, i + 1));
    out.push(...sendLinesOf(i, () => true));
    out.push(...teller.viewLines(views[i]!, views[i + 1]!));
    if (folded) return packLines(head, out, ONE_LINE);
    const joined = `${head} — ${out.join('; ')}`;
    if (out.length > 0 && joined.length <= ONE_LINE) return [joined];
    return [head, ...out.map((l) => `      ${l}`)];
  };
  /** Step i's sends that `keep` admits, one line per message ("r1 → r2, r3: REPLICATE {…}"), noted as sent at step i. */
  const sendLinesOf = (i: number, keep: (key: string, lost: boolean) => boolean): string[] => {
    const action = replayed.actions[i]!;
    const sendLines = new Map<string, string[]>();
    for (const send of world.sendsOf(replayed.states[i]!, action)) {
      const key = messageKey(send.from, send.to, send.msg);
      if (!send.lost) sentAt.set(key, [...(sentAt.get(key) ?? []), shown(i)]);
      if (!keep(key, send.lost)) continue;
      const lost = send.lost ? `  (lost: ${views[i + 1]!.process(send.to).crashed ? `${send.to} is down` : `no network between ${send.from} and ${send.to}`})` : '';
      const text = `${showMessage(send.msg as never)}${lost}`;
      const line = `${send.from}\u0000${text}`;
      sendLines.set(line, [...(sendLines.get(line) ?? []), send.to]);
    }
    // Messages from one sender to the same receivers, lost for the same reason, are one line: "cp → n1: RELEASE {…}, WIPE {…}  (lost: …)".
    const byRoute = new Map<string, string[]>();
    for (const [line, to] of sendLines) {
      const [from, text] = line.split('\u0000') as [string, string];
      const cut = text.indexOf('  (lost: ');
      const route = `${from} → ${to.join(', ')}: \u0000${cut < 0 ? '' : text.slice(cut)}`;
      byRoute.set(route, [...(byRoute.get(route) ?? []), cut < 0 ? text : text.slice(0, cut)]);
    }
    return [...byRoute].flatMap(([route, texts]) => {
      const [head, lost] = route.split('\u0000') as [string, string];
      return lost ? [`${head}${texts.join(', ')}${lost}`] : texts.map((t) => `${head}${t}`);
    });
  };
  /** Steps start…start+length−1, a message chain, as one numbered line: the first step's headline, the messages delivered in turn, the chain's effects. */
  const describeChain = (start: number, length: number): string[] => {
    const end = start + length;
    const first = `${String(shown(start)).padStart(2)}–${shown(end - 1)}. ${headline(replayed.actions[start]!.descriptor)}`;
    const delivered = new Map<string, number>();
    const turns: string[] = [];
    for (let i = start + 1; i < end; i++) {
      const d = replayed.actions[i]!.descriptor;
      if (d.kind !== 'deliver') continue; // a chain continues by deliveries only
      const key = messageKey(d.from, d.to, d.msg);
      delivered.set(key, (delivered.get(key) ?? 0) + 1);
      const discarded = world.discardedBy(replayed.states[i]!, replayed.actions[i]!);
      const turn = `${d.msg.type} ${d.from} → ${d.to}${discarded ? ` (discarded: no transition for it in state ${showStateValue(discarded.state)})` : ''}`;
      const previous = turns[turns.length - 1];
      // The same message type from one sender to several receivers in a row reads as one: "PAIRED cp → n2, n3".
      if (!discarded && previous?.startsWith(`${d.msg.type} ${d.from} → `) && !previous.includes('(')) turns[turns.length - 1] = `${previous}, ${d.to}`;
      else turns.push(turn);
    }
    const out = [...processEffects(start, end)];
    for (let i = start; i < end; i++) {
      out.push(
        ...sendLinesOf(i, (key, lost) => {
          if (lost) return true;
          const left = delivered.get(key) ?? 0;
          if (left > 0) delivered.set(key, left - 1);
          return left === 0;
        }),
      );
    }
    out.push(...teller.viewLines(views[start]!, views[end]!));
    return packLines(`${first}, then in turn ${foldTurns(turns).join(', ')}`, out, ONE_LINE);
  };
  /** Where a chain of more than one step starts (folded stories only), outside repeated blocks and not across the loop's start. */
  const chainsFrom = new Map<number, number>();
  if (folded) {
    const singles = foldTrace(steps, result.loopFrom).flatMap((s) => (s.kind === 'step' ? [s.index] : []));
    let run: number[] = [];
    const flush = () => {
      const keys = run.map((i) => {
        const action = replayed.actions[i]!;
        const d = action.descriptor;
        const sends = world.sendsOf(replayed.states[i]!, action).filter((x) => !x.lost).map((x) => messageKey(x.from, x.to, x.msg));
        return { delivers: d.kind === 'deliver' ? messageKey(d.from, d.to, d.msg) : undefined, sends };
      });
      for (const c of messageChains(keys)) if (c.length > 1) chainsFrom.set(run[c.start]!, c.length);
      run = [];
    };
    for (const i of singles) {
      if (run.length && (i !== run[run.length - 1]! + 1 || i === result.loopFrom)) flush();
      run.push(i);
    }
    flush();
  }

  let skipTo = 0;
  for (const segment of foldTrace(steps, result.loopFrom)) {
    const at = segment.kind === 'step' ? segment.index : segment.start;
    if (at < skipTo) continue; // told in the chain before it
    if (at === result.loopFrom) lines.push(`    ↻ from here, ${describeLoop(at - offset, count)}:`);
    if (segment.kind === 'step') {
      const chain = chainsFrom.get(segment.index);
      if (chain !== undefined) {
        lines.push(...describeChain(segment.index, chain));
        skipTo = segment.index + chain;
      } else lines.push(...describeStep(segment.index));
      continue;
    }
    for (let k = 0; k < segment.length; k++) lines.push(...describeStep(segment.start + k));
    const first = segment.start + segment.length;
    const last = segment.start + segment.length * segment.times;
    lines.push(`${repeatLine({ ...segment, start: segment.start - offset })}; all told:`, ...effects(first, last).map((l) => `      ${l}`));
  }

  if (result.loopFrom !== undefined && result.loopFrom >= steps.length) {
    lines.push('    ↻ from here on nothing the protocol owes can happen: the world stays in this state forever');
  }
  const end = views[views.length - 1]!;
  const explanation = result.kind === 'sometimes' ? undefined : explanationOf(instance, result, end);
  if (explanation) {
    // Without the init step's repeat of the initial state, a state's index is the number of the step that made it.
    lines.push(`${verb}: ${result.property}: ${causalSentence(explanation, views.slice(offset))}`);
  } else if (result.witness) {
    const since = (result.witness.processes ?? [])
      .filter((p) => lastChange.has(p))
      .map((p, i) => `${p} ${i === 0 ? 'unchanged ' : ''}since step ${lastChange.get(p)}`)
      .join(', ');
    lines.push(`${verb}: ${result.property}: ${sentence(result.witness.message)}${since ? ` (${since})` : ''}`);
  }
  return lines;
}

const messageKey = (from: string, to: string, msg: unknown) => `${from}→${to}:${canonicalJson(msg)}`;

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
