import { describe, expect, test } from 'vitest';
import { always, checkExhaustive, defineModel, instantiate } from '../src/index.js';
import { WorldView } from '../src/world/world-view.js';
import { explore, PUBLISHED_RUNS } from '../models/examples/published.js';
import { buildEchoWorld, echo, meshOfThree, neighbours, type EchoContext } from '../models/examples/echo/model.js';
import { nbrs, spanTreeCfg } from '../models/examples/span-tree/model.js';
import { buildChangRobertsWorld, changRoberts } from '../models/examples/chang-roberts/model.js';
import { buildNbaccWorld, type ProcessContext as NbaccContext } from '../models/examples/nbacc-ray97/model.js';

/*
 * Each example in models/examples/ is a port of a spec from tlaplus/Examples;
 * its exhaustive check must reach exactly the distinct-state count TLC reports
 * in that repository's manifest, and the same diameter (TLC's stateDepth counts
 * the initial state as 1, the engine's depth counts steps).
 */
describe('published-count examples', () => {
  test.each(PUBLISHED_RUNS.map((run) => [`${run.model.name} ${run.config} (${run.cfg.split('/').pop()})`, run] as const))(
    "%s: TLC's distinct states and depth, every property as declared",
    (_name, run) => {
      const { states, transitions, initial, depth, results } = explore(run);
      for (const r of results) {
        expect(r.complete, r.property).toBe(true);
        expect(r.verdict, r.property).toBe(run.model.variants[run.variant]!.expect[r.property]);
      }
      expect(states).toBe(run.distinctStates);
      expect(depth).toBe(run.depthDiffers ? run.depthDiffers.engineDepth : run.stateDepth - 1);
      if (run.generatedMatches) expect(transitions + initial).toBe(run.totalStates);
      // bcastByz: TLC also generates the UNCHANGED vars successor of every state.
      if (run.generatedWithStuttering) expect(transitions + initial + states).toBe(run.totalStates);
    },
  );
});

/*
 * nbacc_ray97's Next (N = 2) transcribed by hand into a plain breadth-first
 * search, with no engine; a state is one string of pc, rcvd, fd (per process)
 * and sent. It generates one successor per process, r, fd' and disjunct.
 */
function nbaccReference(): { states: Set<string>; depth: number; generated: number } {
  const msgs = ['p1:NO', 'p1:YES', 'p2:NO', 'p2:YES'];
  type S = { pc: string[]; rcvd: number[]; fd: boolean[]; sent: number };
  const names = (x: number) => msgs.filter((_, i) => x & (1 << i)).join('+');
  const key = (s: S) => `${[0, 1].map((i) => `${s.pc[i]}/${names(s.rcvd[i]!)}/${s.fd[i]}`).join(' ')} | ${names(s.sent)}`;
  const bit = (p: number, vote: string) => 1 << msgs.indexOf(`p${p + 1}:${vote}`);
  let frontier: S[] = [];
  for (const a of ['YES', 'NO']) for (const b of ['YES', 'NO']) for (const f1 of [false, true]) for (const f2 of [false, true]) frontier.push({ pc: [a, b], rcvd: [0, 0], fd: [f1, f2], sent: 0 });
  const states = new Set(frontier.map(key));
  let depth = 0;
  let generated = frontier.length;
  while (frontier.length > 0) {
    const next: S[] = [];
    for (const s of frontier) {
      for (let self = 0; self < 2; self++) {
        for (let r = 0; r < 16; r++) {
          // Receive: r \subseteq sent, rcvd[self] \subseteq r
          if ((r & s.sent) !== r || (s.rcvd[self]! & r) !== s.rcvd[self]) continue;
          for (const fd of [false, true]) {
            const to = (pc: string, sent: number): S => ({ pc: s.pc.map((x, i) => (i === self ? pc : x)), rcvd: s.rcvd.map((x, i) => (i === self ? r : x)), fd: s.fd.map((x, i) => (i === self ? fd : x)), sent });
            const pc = s.pc[self]!;
            const succ: S[] = [];
            if (pc === 'YES') succ.push(to('SENT', s.sent | bit(self, 'YES')));
            if (pc === 'NO') succ.push(to('SENT', s.sent | bit(self, 'NO')));
            if (pc !== 'CRASH') succ.push(to('CRASH', s.sent));
            if (pc === 'SENT') {
              if (fd) succ.push(to('ABORT', s.sent));
              if (s.rcvd[self]! & (bit(0, 'NO') | bit(1, 'NO'))) succ.push(to('ABORT', s.sent));
              if (!fd && r & bit(0, 'YES') && r & bit(1, 'YES')) succ.push(to('COMMIT', s.sent));
            }
            succ.push(to(pc, s.sent));
            for (const t of succ) {
              generated++;
              if (!states.has(key(t))) {
                states.add(key(t));
                next.push(t);
              }
            }
          }
        }
      }
    }
    if (next.length > 0) depth++;
    frontier = next;
  }
  return { states, depth, generated };
}

describe('nbacc-ray97: the port against a hand-written search of the spec', () => {
  test('the same 3016 states, one by one, the same depth, and the same successors generated', () => {
    const seen = new Set<string>();
    const record = always({
      name: 'record',
      statement: 'Records every state it is asked about.',
      check(w) {
        const own = w.processNames.map((p) => {
          const c = w.process(p).context as NbaccContext;
          return `${c.pc}/${c.rcvd.join('+')}/${c.fd}`;
        });
        const sent = [...new Set(w.messages().map((m) => `${m.msg.from}:${m.msg.vote}`))].sort();
        seen.add(`${own.join(' ')} | ${sent.join('+')}`);
        return undefined;
      },
    });
    const model = defineModel<{ n: number }>({ name: 'nbacc-recorded', summary: 'nbacc_ray97, recording its states.', configs: { n2: { n: 2 } }, variants: { spec: { summary: 'as ported', expect: { record: 'holds' } } }, properties: [record], build: (_v, config) => buildNbaccWorld(config) });
    const [row] = checkExhaustive(instantiate(model, 'spec', 'n2'));
    const reference = nbaccReference();
    expect(reference.states.size).toBe(3016);
    expect(seen.size).toBe(row!.states);
    expect([...seen].filter((k) => !reference.states.has(k))).toEqual([]);
    expect([...reference.states].filter((k) => !seen.has(k))).toEqual([]);
    expect(row!.depth).toBe(reference.depth);
    expect(row!.transitions + 16).toBe(reference.generated);
  });
});

describe('echo: messages wait in the inbox', () => {
  const withPolicy = (delivery: 'wait' | 'drop') =>
    instantiate({ ...echo, build: () => ({ ...buildEchoWorld(meshOfThree), delivery }) }, 'spec');

  test("under 'wait' (the port) the count is TLC's", () => {
    expect(checkExhaustive(withPolicy('wait'))[0]!.states).toBe(75);
  });

  test("under 'drop' a message reaching a node still at n0 is lost: 113 states and a deadlock with every node stuck at n1", () => {
    const results = checkExhaustive(withPolicy('drop'));
    expect(results.map((r) => [r.property, r.verdict])).toEqual([
      ['parent-child', 'holds'],
      ['ancestor-properties', 'holds'],
      ['no-deadlock', 'violated'],
    ]);
    expect(results[0]!.states).toBe(113);
    expect(results[2]!.witness?.message).toContain('a "n1", b "n1", c "n1"');
    expect(results[2]!.traceLength).toBe(5);
  });
});

/*
 * Echo's PlusCal translation (n0, n1, n2 of Echo.tla) transcribed by hand into a
 * plain breadth-first search, with no engine; a state is one string of the TLA+
 * variables pc, parent, children, rcvd and inbox.
 */
type EchoSpec = { pc: string[]; parent: string[]; children: string[][]; rcvd: number[]; inbox: string[][] };
const encodeEcho = (s: EchoSpec) =>
  [s.pc.join(','), s.parent.join(','), s.children.map((c) => [...c].sort().join('')).join(','), s.rcvd.join(','), s.inbox.map((i) => [...i].sort().join(' ')).join(',')].join('|');

function echoReference(): Set<string> {
  const nodes = meshOfThree.nodes;
  const nbrs = nodes.map((n) => neighbours(meshOfThree, n));
  const init: EchoSpec = { pc: nodes.map(() => 'n0'), parent: nodes.map(() => '-'), children: nodes.map(() => []), rcvd: nodes.map(() => 0), inbox: nodes.map(() => []) };
  const multicast = (inbox: string[][], p: string, dest: string[], kind: string) =>
    inbox.map((msgs, m) => (dest.includes(nodes[m]!) && !msgs.includes(`${kind}${p}`) ? [...msgs, `${kind}${p}`] : msgs));
  const set = <T>(xs: T[], i: number, v: T) => xs.map((x, j) => (j === i ? v : x));
  const successors = (s: EchoSpec): EchoSpec[] => {
    const out: EchoSpec[] = [];
    nodes.forEach((self, i) => {
      const initiator = self === meshOfThree.initiator;
      if (s.pc[i] === 'n0') out.push({ ...s, pc: set(s.pc, i, 'n1'), inbox: initiator ? multicast(s.inbox, self, nbrs[i]!, 'm') : s.inbox });
      if (s.pc[i] === 'n1') {
        if (s.rcvd[i]! < nbrs[i]!.length) {
          for (const msg of s.inbox[i]!) {
            const kind = msg[0]!;
            const sndr = msg.slice(1);
            const net = set(s.inbox, i, s.inbox[i]!.filter((m) => m !== msg));
            const rcvd = set(s.rcvd, i, s.rcvd[i]! + 1);
            const first = !initiator && rcvd[i] === 1;
            if (first && kind !== 'm') throw new Error('assertion of line 55');
            out.push({
              pc: s.pc,
              rcvd,
              parent: first ? set(s.parent, i, sndr) : s.parent,
              inbox: first ? multicast(net, self, nbrs[i]!.filter((n) => n !== sndr), 'm') : net,
              children: kind === 'c' ? set(s.children, i, [...new Set([...s.children[i]!, sndr])]) : s.children,
            });
          }
        } else out.push({ ...s, pc: set(s.pc, i, 'n2') });
      }
      if (s.pc[i] === 'n2') {
        const inbox = initiator ? s.inbox : multicast(s.inbox, self, [s.parent[i]!], 'c');
        out.push({ ...s, pc: set(s.pc, i, 'Done'), inbox });
      }
    });
    return out;
  };
  const seen = new Set([encodeEcho(init)]);
  const queue = [init];
  for (let k = 0; k < queue.length; k++) {
    for (const t of successors(queue[k]!)) {
      const key = encodeEcho(t);
      if (!seen.has(key)) seen.add(key), queue.push(t);
    }
  }
  return seen;
}

test("echo: the engine's states, read as Echo.tla's variables, are exactly a hand-written search's 75, one to one", () => {
  const world = instantiate(echo, 'spec').world;
  const seen = new Set(world.initialStates());
  const queue = [...seen];
  for (let k = 0; k < queue.length; k++) {
    for (const action of world.actions(queue[k]!)) {
      const next = world.nextState(queue[k]!, action);
      if (!seen.has(next)) seen.add(next), queue.push(next);
    }
  }
  const nodes = meshOfThree.nodes;
  const project = (state: string) => {
    const view = new WorldView(world, state);
    const ctx = (n: string) => view.process(n).context as EchoContext;
    return encodeEcho({
      pc: nodes.map((n) => view.process(n).value as string),
      parent: nodes.map((n) => ctx(n).parent ?? '-'),
      children: nodes.map((n) => ctx(n).children),
      rcvd: nodes.map((n) => ctx(n).rcvd),
      inbox: nodes.map((n) => view.messages().filter((m) => m.to === n).map((m) => `${m.msg.type.toLowerCase()}${m.from}`)),
    });
  };
  const projected = new Set(queue.map(project));
  const reference = echoReference();
  expect(reference.size).toBe(75);
  expect(projected.size).toBe(seen.size);
  expect([...projected].sort()).toEqual([...reference].sort());
});

/*
 * SpanTree's Next transcribed by hand into a plain breadth-first search: the
 * reference for the diameter, where the engine and the manifest disagree.
 */
function spanTreeReference(): { states: number; generated: number; diameter: number } {
  const c = spanTreeCfg;
  type S = { mom: string[]; dist: number[] };
  const key = (s: S) => `${s.mom.join(',')}|${s.dist.join(',')}`;
  const init: S = { mom: [...c.nodes], dist: c.nodes.map((n) => (n === c.root ? 0 : c.maxCardinality)) };
  const depth = new Map([[key(init), 0]]);
  const queue = [init];
  let generated = 1;
  let diameter = 0;
  for (let at = 0; at < queue.length; at++) {
    const s = queue[at]!;
    c.nodes.forEach((n, ni) => {
      for (const m of nbrs(c, n)) {
        const mi = c.nodes.indexOf(m);
        if (!(s.dist[mi]! < 1 + s.dist[ni]!)) continue;
        for (let d = s.dist[mi]! + 1; d <= s.dist[ni]! - 1; d++) {
          const t: S = { mom: s.mom.map((x, j) => (j === ni ? m : x)), dist: s.dist.map((x, j) => (j === ni ? d : x)) };
          generated++;
          if (depth.has(key(t))) continue;
          const dt = depth.get(key(s))! + 1;
          depth.set(key(t), dt);
          diameter = Math.max(diameter, dt);
          queue.push(t);
        }
      }
    });
  }
  return { states: depth.size, generated, diameter };
}

test('span-tree: a plain search over the TLA+ Next agrees with the engine (1236 states, 10278 generated, 4 steps deep)', () => {
  expect(spanTreeReference()).toEqual({ states: 1236, generated: 10278, diameter: 4 });
});

test("chang-roberts: a swallow written as xstate's empty transition `{}` takes the message, as a direct port expects: 137 states, TLC's count", () => {
  const empty = { ...changRoberts, build: (_v: string, config: (typeof changRoberts.configs)[string]) => buildChangRobertsWorld(config, 'empty') };
  const total = checkExhaustive(instantiate(empty, 'spec', 'mc-chang-roberts'))[0]!.states;
  expect(total).toBe(137);
});
