import { assign, setup } from 'xstate';
import { always, defineModel, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Lamport's SpanTree (tlaplus/Examples, specifications/SpanningTree/SpanTree.tla,
 * configuration SpanTree.cfg): every node computes its distance to the root
 * and a parent ("mom") on a shortest path, by reading its neighbours' variables.
 *
 *   mom[n], dist[n]   context of machine `n`
 *   Next, for n, m \in Nbrs(n), d   timeout ADOPT {mom: m, dist: d} of `n`, `when`
 *                     dist[m] < 1 + dist[n] and d \in dist[m]+1 .. dist[n]-1
 *
 * There are no messages: a node reads its neighbour's dist directly. The only
 * stimulus whose condition may read another process is a timeout's `when`, so
 * each (neighbour, distance) choice of the spec's existential is one timeout.
 */

export interface SpanTreeConfig {
  nodes: string[];
  edges: Array<[string, string]>;
  root: string;
  maxCardinality: number;
}

export interface SpanTreeContext {
  mom: string;
  dist: number;
}

export const nbrs = (config: SpanTreeConfig, n: string) =>
  config.nodes.filter((m) => config.edges.some(([a, b]) => (a === n && b === m) || (a === m && b === n)));

export function createSpanTreeNode() {
  return setup({
    types: {} as { context: SpanTreeContext; events: { type: 'ADOPT'; mom: string; dist: number }; input: SpanTreeContext },
  }).createMachine({
    id: 'span-tree-node',
    context: ({ input }) => ({ mom: input?.mom ?? '', dist: input?.dist ?? 0 }),
    initial: 'running',
    states: {
      running: { on: { ADOPT: { actions: assign({ mom: ({ event }) => event.mom, dist: ({ event }) => event.dist }) } } },
    },
  });
}

const dist = (w: WorldView, n: string) => (w.process(n).context as SpanTreeContext).dist;

export function buildSpanTreeWorld(config: SpanTreeConfig): WorldSpec {
  const machine = createSpanTreeNode();
  const processes: WorldSpec['processes'] = {};
  for (const n of config.nodes) {
    const timeouts = nbrs(config, n).flatMap((m) =>
      // d ranges over dist[m]+1 .. dist[n]-1, a subset of 1 .. MaxCardinality-1.
      Array.from({ length: config.maxCardinality - 1 }, (_, i) => i + 1).map((d) => ({
        event: { type: 'ADOPT', mom: m, dist: d },
        when: (w: WorldView) => dist(w, m) < 1 + dist(w, n) && dist(w, m) + 1 <= d && d <= dist(w, n) - 1,
      })),
    );
    processes[n] = { machine, input: { mom: n, dist: n === config.root ? 0 : config.maxCardinality }, role: 'server', timeouts };
  }
  return { processes, network: 'bag', delivery: 'error', budgets: {} };
}

/** SpanTree.cfg: five nodes, seven edges, root n1, MaxCardinality 6. */
export const spanTreeCfg: SpanTreeConfig = {
  nodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
  edges: [
    ['n1', 'n2'],
    ['n1', 'n3'],
    ['n2', 'n3'],
    ['n2', 'n4'],
    ['n3', 'n4'],
    ['n3', 'n5'],
    ['n4', 'n5'],
  ],
  root: 'n1',
  maxCardinality: 6,
};

/** Safety: when Next is disabled, PostCondition holds (for the graph of SpanTree.cfg). */
export function spanTreeSafety(config: SpanTreeConfig) {
  return always({
    name: 'safety',
    statement: 'Safety: in a state where no node can improve its distance, every node has its true distance to the root and a parent one step closer.',
    check(w) {
      const ctx = (n: string) => w.process(n).context as SpanTreeContext;
      const enabled = config.nodes.some((n) => nbrs(config, n).some((m) => ctx(m).dist + 1 < ctx(n).dist));
      if (enabled) return undefined;
      for (const n of config.nodes) {
        const { mom, dist: d } = ctx(n);
        const ok =
          (n === config.root && d === 0 && mom === n) ||
          (d === config.maxCardinality && mom === n && nbrs(config, n).every((m) => ctx(m).dist === config.maxCardinality)) ||
          (d >= 1 && d <= config.maxCardinality - 1 && nbrs(config, n).includes(mom) && d === ctx(mom).dist + 1);
        if (!ok) return { message: `${n} ends with dist ${d} and mom ${mom}`, processes: [n] };
      }
      return undefined;
    },
  });
}

export const spanTree = defineModel<SpanTreeConfig>({
  name: 'span-tree',
  summary: 'SpanTree from the TLA+ examples: nodes compute their distance to a root and a parent, reading their neighbours.',
  configs: { 'span-tree-cfg': spanTreeCfg },
  variants: { spec: { summary: 'SpanTree.tla as published, with SpanTree.cfg.', expect: { safety: 'holds' } } },
  properties: [spanTreeSafety(spanTreeCfg)],
  build: (_variant, config) => buildSpanTreeWorld(config),
});
