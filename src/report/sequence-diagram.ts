import type { ModelInstance } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import { replaySteps } from '../check/trace.js';
import { WorldView } from '../world/world-view.js';
import { ChangeTeller } from './changes.js';
import { describeAction, describeLoop, showMessage, showStateValue } from './describe.js';
import { foldTrace, repeatLine } from './folds.js';
import { outcomeWords } from './verdict-words.js';
import { match } from 'ts-pattern';

const ROLE_ORDER = { client: 0, authority: 1, server: 2 } as const;

/**
 * A counterexample as a Mermaid `sequenceDiagram` (renders on GitHub):
 * processes are participants, delivered messages are arrows, lost messages are
 * crossed arrows, faults and timeouts are notes, state moves and the model's
 * views are notes where they change, messages still in flight at the end are
 * open arrows, a liveness loop is a `loop` block, and a block of steps taken
 * again and again is drawn once, in a `loop` saying how often.
 */
export function renderSequenceDiagram(instance: ModelInstance, result: CheckResult): string[] {
  const world = instance.world;
  const steps = result.trace ?? [];
  const replayed = replaySteps(instance, steps);
  const views = replayed.states.map((s) => new WorldView(world, s));
  const teller = new ChangeTeller(instance.model.story ?? {}, Object.entries(world.spec.view ?? {}));
  const faults = instance.model.story?.faults ?? {};
  const order = (name: string) => ROLE_ORDER[world.spec.processes[name]!.role ?? 'server'];
  const participants = world.processNames.slice().sort((a, b) => order(a) - order(b));
  const span = participants.length > 1 ? `${participants[0]},${participants[participants.length - 1]}` : participants[0]!;
  const lines = ['sequenceDiagram', ...participants.map((p) => `  participant ${p}`)];
  // A leading `init` step is told as step 0, the initial state it chooses, as in the story: the rest count from 1.
  const offset = steps[0]?.kind === 'init' ? 1 : 0;
  let depth = 1;
  const push = (line: string) => lines.push(`${'  '.repeat(depth)}${line}`);

  const drawStep = (i: number) => {
    const action = replayed.actions[i]!;
    const d = action.descriptor;
    const label = `${i + 1 - offset}. `;
    push(
      match(d)
        .with({ kind: 'deliver' }, (a) => `${a.from}->>${a.to}: ${clean(label + showMessage(a.msg as never))}`)
        .with({ kind: 'drop' }, (a) => `${a.from}-x${a.to}: ${clean(`${label}lost: ${showMessage(a.msg as never)}`)}`)
        .with({ kind: 'crash' }, { kind: 'restart' }, (a) => `Note over ${a.process}: ${clean(label + (faults[a.process]?.[a.kind] ?? describeAction(a)))}`)
        .with({ kind: 'timeout' }, { kind: 'request' }, { kind: 'internal' }, (a) => `Note over ${a.process}: ${clean(label + describeAction(a))}`)
        .with({ kind: 'tick' }, { kind: 'partition' }, { kind: 'heal' }, { kind: 'init' }, (a) => `Note over ${span}: ${clean(label + describeAction(a))}`)
        .exhaustive(),
    );
    for (const send of world.sendsOf(replayed.states[i]!, action)) {
      if (send.lost) push(`${send.from}-x${send.to}: ${clean(`${showMessage(send.msg as never)} (lost)`)}`);
    }
    const before = views[i]!.processes();
    views[i + 1]!.processes().forEach((now, p) => {
      const was = before[p]!;
      const down = faults[now.name]?.down ?? 'down';
      const from = was.crashed ? down : showStateValue(was.value);
      const to = now.crashed ? down : showStateValue(now.value);
      if (from !== to) push(`Note right of ${now.name}: ${clean(`${from} → ${to}`)}`);
    });
    for (const change of teller.viewLines(views[i]!, views[i + 1]!)) push(`Note over ${span}: ${clean(change)}`);
  };

  for (const segment of foldTrace(steps, result.loopFrom)) {
    const at = segment.kind === 'step' ? segment.index : segment.start;
    if (at === result.loopFrom) {
      push(`loop ${describeLoop(at - offset, steps.length - offset)}`);
      depth++;
    }
    if (segment.kind === 'step') {
      drawStep(segment.index);
      continue;
    }
    push(`loop ${clean(repeatLine({ ...segment, start: segment.start - offset }))}`);
    depth++;
    for (let k = 0; k < segment.length; k++) drawStep(segment.start + k);
    depth--;
    push('end');
  }
  if (depth > 1) {
    depth = 1;
    push('end');
  }
  // What is still on its way when the story ends: drawn as open arrows, never delivered.
  const last = views[views.length - 1]!;
  for (const m of last.messages().map((m) => ({ from: m.from, to: m.to, text: showMessage(m.msg) })).sort((a, b) => (`${a.from}${a.to}${a.text}` < `${b.from}${b.to}${b.text}` ? -1 : 1))) {
    push(`${m.from}--)${m.to}: ${clean(`in flight: ${m.text}`)}`);
  }
  if (result.loopFrom !== undefined && result.loopFrom >= steps.length) push(`Note over ${span}: nothing the protocol owes can happen from here on`);
  if (result.witness) {
    push(`Note over ${span}: ${clean(`${outcomeWords(result.kind).verb.toLowerCase()}: ${result.property}`)}`);
  }
  return lines;
}

/** Mermaid reads `;` and `#` specially inside labels. */
function clean(text: string): string {
  return text.replace(/;/g, ',').replace(/#/g, 'no. ');
}
