import type { ModelInstance } from '../check/instance.js';
import type { CheckResult } from '../check/result.js';
import { replaySteps } from '../check/trace.js';
import { WorldView } from '../world/world-view.js';
import { describeAction, describeLoop, showMessage, showStateValue } from './describe.js';

const ROLE_ORDER = { client: 0, authority: 1, server: 2 } as const;

/**
 * A counterexample as a Mermaid `sequenceDiagram` (renders on GitHub):
 * processes are participants, delivered messages are arrows, lost messages are
 * crossed arrows, faults and timeouts are notes, and a liveness loop is a
 * `loop` block.
 */
export function renderSequenceDiagram(instance: ModelInstance, result: CheckResult): string[] {
  const world = instance.world;
  const steps = result.trace ?? [];
  const replayed = replaySteps(instance, steps);
  const order = (name: string) => ROLE_ORDER[world.spec.processes[name]!.role ?? 'server'];
  const participants = world.processNames.slice().sort((a, b) => order(a) - order(b));
  const lines = ['sequenceDiagram', ...participants.map((p) => `  participant ${p}`)];
  const indent = () => (result.loopFrom !== undefined && inLoop ? '    ' : '  ');
  let inLoop = false;

  replayed.actions.forEach((action, i) => {
    if (i === result.loopFrom) {
      lines.push(`  loop ${describeLoop(i, steps.length)}`);
      inLoop = true;
    }
    const d = action.descriptor;
    const label = `${i + 1}. `;
    switch (d.kind) {
      case 'deliver':
        lines.push(`${indent()}${d.from}->>${d.to}: ${clean(label + showMessage(d.msg as never))}`);
        break;
      case 'drop':
        lines.push(`${indent()}${d.from}-x${d.to}: ${clean(`${label}lost: ${showMessage(d.msg as never)}`)}`);
        break;
      case 'timeout':
      case 'request':
      case 'internal':
      case 'crash':
      case 'restart':
        lines.push(`${indent()}Note over ${d.process}: ${clean(label + describeAction(d))}`);
        break;
      default: {
        const span = participants.length > 1 ? `${participants[0]},${participants[participants.length - 1]}` : participants[0];
        lines.push(`${indent()}Note over ${span}: ${clean(label + describeAction(d))}`);
      }
    }
    for (const send of world.sendsOf(replayed.states[i]!, action)) {
      if (send.lost) lines.push(`${indent()}${send.from}-x${send.to}: ${clean(`${showMessage(send.msg as never)} (lost)`)}`);
    }
    const before = new WorldView(world, replayed.states[i]!).processes();
    const after = new WorldView(world, replayed.states[i + 1]!).processes();
    after.forEach((now, p) => {
      const was = before[p]!;
      const from = was.crashed ? 'down' : showStateValue(was.value);
      const to = now.crashed ? 'down' : showStateValue(now.value);
      if (from !== to) lines.push(`${indent()}Note right of ${now.name}: ${clean(`${from} → ${to}`)}`);
    });
  });
  if (inLoop) lines.push('  end');
  if (result.loopFrom !== undefined && result.loopFrom >= steps.length) {
    lines.push(`  Note over ${participants[0]},${participants[participants.length - 1]}: nothing the protocol owes can happen from here on`);
  }
  if (result.witness) {
    const verb = result.kind === 'sometimes' ? 'reached' : result.kind === 'eventually' ? 'never' : 'broken';
    lines.push(`  Note over ${participants[0]},${participants[participants.length - 1]}: ${clean(`${verb}: ${result.property}`)}`);
  }
  return lines;
}

/** Mermaid reads `;` and `#` specially inside labels. */
function clean(text: string): string {
  return text.replace(/;/g, ',').replace(/#/g, 'no. ');
}
