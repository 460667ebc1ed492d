import { STRATEGIES, type StrategyName } from '../check/random.js';
import { DEFAULT_RANDOM_SEARCH } from '../check/default-check.js';

/** A problem with how the command was called: one line on stderr, exit 2. */
export class UsageError extends Error {}

export interface CliOptions {
  /** Model files to check instead of the built-in models (`check path/to/model.ts`). */
  files: string[];
  models: string[];
  variants: string[];
  properties: string[];
  config?: string;
  modes: Array<'exhaustive' | 'random' | 'scheduler'>;
  seed: number;
  runs: number;
  strategy: StrategyName;
  maxStates?: number;
  maxDepth?: number;
  maxMemoryMb?: number;
  /** Worker threads for the exhaustive search (1 = in this thread). */
  workers: number;
  /** Models, variants and configurations checked at once, each in a worker thread (default: the cores). */
  jobs?: number;
  /** Random mode split across machines: this is shard `index` (1-based) of `count`. */
  shard?: { index: number; count: number };
  /** JSON outputs of sharded runs to merge into one report. */
  merge: string[];
  out?: string;
  html?: string;
  replay?: string;
  json: boolean;
  help: boolean;
  /** Explore one state per orbit of the processes a model declares interchangeable. */
  symmetry: boolean;
  /** Exhaustive search keeps 64-bit fingerprints of the states, not the states. */
  fingerprints: boolean;
}

export const USAGE = `usage: npm run check -- [options]
       outage-checker check [model-file.ts ...] [options]
  model-file               a TypeScript or JavaScript module exporting models made with defineModel
                           (default: the built-in outage models)
  --model NAME[,NAME]      models to check (default: all)
  --variant NAME[,NAME]    variants to check (default: all of each model)
  --property NAME[,NAME]   properties to check (default: all)
  --config NAME            a named configuration of the model (default: its first)
  --mode MODE              exhaustive | random | scheduler | both (default: both; random includes
                           the scheduler suites, which search orderings of real async code)
  --seed N                 seed of the random mode (default: 1)
  --runs N                 random behaviours per property and per fault the configuration allows
                           (drops, partitions, crashes; default: 1000)
  --strategy NAME          how random behaviours are drawn: mix | uniform | swarm | fault-timed | fault-first | pct | novelty
                           (default: mix, each run one of fault-timed, fault-first, uniform and novelty, then
                           novelty walks until every state they can reach is reached, or a cap)
  --max-states N           stop the exhaustive search after N distinct states
  --max-depth N            stop the exhaustive search at depth N
  --symmetry               exhaustive search keeps one state per orbit of the processes a model declares
                           interchangeable (safety only; off for liveness, and the results say so)
  --fingerprints           exhaustive search keeps a 64-bit fingerprint of each state, not the state (about
                           a quarter of the memory, for large safety runs; traces are replayed; the results
                           give the probability that a fingerprint collision hid a state; not for liveness)
  --workers N              run the exhaustive search on N worker threads (same results; built-in models,
                           safety properties; liveness, --symmetry, --fingerprints and --max-memory run in one thread)
  --jobs N                 check up to N models, variants and configurations at once, each in a worker
                           thread (default: the cores; 1 = one after another; same output either way)
  --max-memory MB          stop the exhaustive search (as bounded) before the heap passes MB megabytes
  --shard I/N              run shard I of N of the random search (seed + I - 1, runs / N); see --merge
  --merge FILE[,FILE]      merge the --json outputs of sharded runs into one report
  --out DIR                write each counterexample as DIR/<model>/<variant>--<property>.{replay.json,md}
  --html DIR               write each counterexample as a self-contained page DIR/<model>/<variant>--<property>.html, and DIR/index.html listing them
                           (opens offline in any browser: a step slider, every process's state, a sequence diagram)
  --replay FILE            re-run a replay file step by step and print its story; with --variant V,
                           also say what its steps do on variant V (break the property, keep it, or
                           cannot be taken there)
  --json                   print one JSON object instead of the table`;

const VALUED = new Set(['--jobs', '--workers', '--html', '--max-memory', '--shard', '--merge', '--strategy', '--model', '--variant', '--property', '--config', '--mode', '--seed', '--runs', '--max-states', '--max-depth', '--out', '--replay']);

/** Options that may be given more than once, their values adding up. */
const REPEATABLE = new Set(['--model', '--variant', '--property', '--merge']);
/** Options that only steer the exhaustive search, and those that only steer the random one. */
const EXHAUSTIVE_ONLY = ['--max-states', '--max-depth', '--max-memory', '--symmetry', '--fingerprints', '--workers'];
const RANDOM_ONLY = ['--seed', '--runs', '--strategy', '--shard'];

export function parseArgs(argv: readonly string[]): CliOptions {
  const given = new Set<string>();
  const options: CliOptions = { files: [], models: [], variants: [], properties: [], modes: ['exhaustive', 'random', 'scheduler'], ...DEFAULT_RANDOM_SEARCH, merge: [], workers: 1, json: false, help: false, symmetry: false, fingerprints: false };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i]!;
    let value: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    if (flag.startsWith('-')) {
      if (given.has(flag) && !REPEATABLE.has(flag)) throw new UsageError(`${flag} is given twice`);
      given.add(flag);
    }
    if (flag === '--json' || flag === '--help' || flag === '-h' || flag === '--symmetry' || flag === '--fingerprints') {
      if (value !== undefined) throw new UsageError(`${flag} takes no value`);
      if (flag === '--json') options.json = true;
      else if (flag === '--symmetry') options.symmetry = true;
      else if (flag === '--fingerprints') options.fingerprints = true;
      else options.help = true;
      continue;
    }
    if (!flag.startsWith('-')) {
      if (i === 0 && flag === 'check') continue;
      if (!/\.(ts|mts|cts|js|mjs|cjs)$/.test(flag)) throw new UsageError(`'${flag}' is neither an option nor a model file (.ts or .js)`);
      options.files.push(flag);
      continue;
    }
    if (!VALUED.has(flag)) throw new UsageError(`unknown option '${flag}' (see --help)`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    }
    switch (flag) {
      case '--model':
        options.models.push(...list(value, flag));
        break;
      case '--variant':
        options.variants.push(...list(value, flag));
        break;
      case '--property':
        options.properties.push(...list(value, flag));
        break;
      case '--strategy':
        if (!(STRATEGIES as readonly string[]).includes(value)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}, not '${value}'`);
        options.strategy = value as StrategyName;
        break;
      case '--config':
        options.config = value;
        break;
      case '--mode':
        if (value === 'both') options.modes = ['exhaustive', 'random', 'scheduler'];
        else if (value === 'random') options.modes = ['random', 'scheduler'];
        else if (value === 'exhaustive' || value === 'scheduler') options.modes = [value];
        else throw new UsageError(`--mode must be exhaustive, random, scheduler or both, not '${value}'`);
        break;
      case '--seed':
        options.seed = integer(value, flag, -(2 ** 31), 2 ** 31 - 1);
        break;
      case '--runs':
        options.runs = integer(value, flag, 1, 10_000_000);
        break;
      case '--max-states':
        options.maxStates = integer(value, flag, 1, Number.MAX_SAFE_INTEGER);
        break;
      case '--max-depth':
        options.maxDepth = integer(value, flag, 0, 65_535);
        break;
      case '--max-memory':
        options.maxMemoryMb = integer(value, flag, 16, 1_000_000);
        break;
      case '--shard': {
        const m = /^(\d+)\/(\d+)$/.exec(value);
        if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard must look like 2/4 (shard 2 of 4), not '${value}'`);
        options.shard = { index: Number(m[1]), count: Number(m[2]) };
        break;
      }
      case '--merge':
        options.merge.push(...list(value, flag));
        break;
      case '--workers':
        options.workers = integer(value, flag, 1, 64);
        break;
      case '--jobs':
        options.jobs = integer(value, flag, 1, 64);
        break;
      case '--html':
        options.html = value;
        break;
      case '--out':
        options.out = value;
        break;
      case '--replay':
        options.replay = value;
        break;
    }
  }
  refuseIgnored(options, given);
  return options;
}

/** An option that would have no effect is refused with one line rather than silently ignored. */
function refuseIgnored(options: CliOptions, given: ReadonlySet<string>): void {
  const present = (flags: readonly string[]) => flags.filter((f) => given.has(f));
  if (options.replay !== undefined) {
    const others = [...given].filter((f) => f !== '--replay' && f !== '--variant');
    if (others.length) throw new UsageError(`--replay re-runs one file and takes no other option but --variant (not ${others.join(', ')})`);
    if (options.variants.length > 1) throw new UsageError(`--replay with --variant replays on one other variant, not ${options.variants.length}`);
  }
  if (options.merge.length) {
    const others = present(['--model', '--variant', '--property', '--config', '--mode', ...EXHAUSTIVE_ONLY, ...RANDOM_ONLY]);
    if (others.length) throw new UsageError(`--merge combines finished results and runs nothing, so ${others.join(', ')} would do nothing`);
  }
  const exhaustive = options.modes.includes('exhaustive');
  const random = options.modes.includes('random');
  const steer = (flags: string[]) => `${flags.join(', ')} ${flags.length === 1 ? 'steers' : 'steer'}`;
  if (!exhaustive && present(EXHAUSTIVE_ONLY).length) throw new UsageError(`${steer(present(EXHAUSTIVE_ONLY))} the exhaustive search, which --mode ${options.modes[0]} does not run`);
  if (!random && !options.modes.includes('scheduler') && present(RANDOM_ONLY).length) throw new UsageError(`${steer(present(RANDOM_ONLY))} the random search, which --mode exhaustive does not run`);
}

function list(value: string, flag: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${flag} has an empty name in '${value}'`);
  return items;
}

function integer(value: string, flag: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, not '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, not ${value}`);
  return n;
}
