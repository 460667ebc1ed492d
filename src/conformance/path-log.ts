import type { ModelInstance } from '../check/instance.js';
import { replaySteps } from '../check/trace.js';
import type { ActionDescriptor } from '../world/actions.js';
import type { LogEntry } from './log.js';

/**
 * The log a perfectly instrumented implementation would write for a path of
 * the model: each step, then what it sent. Useful to test a validator (such a
 * log must conform) and to show users the format.
 */
export function logOfPath(instance: ModelInstance, steps: readonly ActionDescriptor[], options: { withState?: boolean } = {}): LogEntry[] {
  const world = instance.world;
  const { states, actions } = replaySteps(instance, steps);
  const out: LogEntry[] = [];
  let seq = 0;
  actions.forEach((action, i) => {
    const d = action.descriptor;
    const before = states[i]!;
    const after = states[i + 1]!;
    const stateOf = (process: string) => {
      if (!options.withState) return {};
      const p = world.processIndex.get(process)!;
      const local = world.processes[p]!.locals[world.localIdOf(after, p)]!;
      return local.crashed ? {} : { state: { value: local.value, context: local.context as Record<string, unknown> } };
    };
    switch (d.kind) {
      case 'init':
        return;
      case 'deliver':
        out.push({ seq: ++seq, kind: 'receive', process: d.to, from: d.from, msg: d.msg, ...stateOf(d.to) });
        break;
      case 'timeout':
      case 'request':
      case 'internal':
        out.push({ seq: ++seq, kind: d.kind, process: d.process, event: d.event, ...stateOf(d.process) });
        break;
      case 'crash':
        out.push({ seq: ++seq, kind: 'crash', process: d.process });
        break;
      case 'restart':
        out.push({ seq: ++seq, kind: 'restart', process: d.process, ...stateOf(d.process) });
        break;
      case 'partition':
      case 'heal':
        out.push({ seq: ++seq, kind: d.kind, partition: d.partition });
        break;
      case 'drop':
        out.push({ seq: ++seq, kind: 'drop', from: d.from, to: d.to, msg: d.msg });
        break;
      case 'tick':
        out.push({ seq: ++seq, kind: 'tick' });
        break;
    }
    for (const s of world.sendsOf(before, action)) out.push({ seq: ++seq, kind: 'send', process: s.from, to: s.to, msg: s.msg });
  });
  return out;
}
