import { readFileSync } from 'node:fs';
import { diagnose, describeValidation, storyOf, validateLog, validationInstance, type ValidateOptions, type Validation } from '../conformance/validate.js';
import { parseLog } from '../conformance/log.js';
import type { ModelDefinition } from '../spec/model.js';
import type { ActionKind } from '../world/actions.js';
import { ModelDefinitionError } from '../world/errors.js';
import { UsageError } from './args.js';

export const VALIDATE_USAGE = `usage: outage-checker validate --model M --variant V [--config C | --config-json JSON] [--unlogged P,Q] [--hidden KINDS] [--max-hidden N] [--diagnose] [--story] [--json] LOG [MODEL_FILE...]
  checks a log recorded from a real run (JSON lines: receive, send, timeout, request, internal,
  crash, restart, partition, heal, drop, tick; see src/conformance/log.ts) against the model:
  either it conforms (with the properties judged along the matched path) or the first event the
  model cannot explain, what the model could do there, and the last matched state as a story.
  --config-json gives the builder's configuration itself (a real run needs larger budgets);
  --unlogged names processes whose steps the log leaves out and --hidden kinds of step it leaves
  out (e.g. drop,partition,heal), found by a search of at most --max-hidden steps (default 4)
  between two events; --diagnose also tries every other variant of the model on a rejected log;
  --story tells the matched path of a conforming log as a story.
  Exit 0 when it conforms and every safety property holds along it, 1 otherwise, 2 for bad input.`;

export interface ValidateCliOptions {
  model?: string;
  variant?: string;
  config?: string | object;
  log?: string;
  files: string[];
  json: boolean;
  diagnose: boolean;
  story: boolean;
  validate: ValidateOptions;
  help: boolean;
}

const KINDS: readonly ActionKind[] = ['deliver', 'timeout', 'request', 'internal', 'tick', 'drop', 'partition', 'heal', 'crash', 'restart'];
const MODEL_FILE = /\.(ts|mts|js|mjs)$/;

export function parseValidateArgs(argv: readonly string[]): ValidateCliOptions {
  const options: ValidateCliOptions = { files: [], json: false, diagnose: false, story: false, validate: {}, help: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      if (MODEL_FILE.test(arg)) options.files.push(arg);
      else if (options.log === undefined) options.log = arg;
      else throw new UsageError(`validate takes one log, not '${options.log}' and '${arg}'`);
      continue;
    }
    if (seen.has(arg)) throw new UsageError(`${arg} is given twice`);
    seen.add(arg);
    if (arg === '--help') options.help = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--diagnose') options.diagnose = true;
    else if (arg === '--story') options.story = true;
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      if (arg === '--model') options.model = value;
      else if (arg === '--variant') options.variant = value;
      else if (arg === '--config') options.config = value;
      else if (arg === '--config-json') options.config = parseConfigJson(value);
      else if (arg === '--unlogged') options.validate.unlogged = value.split(',');
      else if (arg === '--hidden') options.validate.hidden = value.split(',').map(kindOf);
      else if (arg === '--max-hidden') {
        if (!/^\d+$/.test(value)) throw new UsageError(`--max-hidden needs a whole number, not '${value}'`);
        options.validate.maxHidden = Number(value);
      } else throw new UsageError(`validate has no option ${arg} (${VALIDATE_USAGE.split('\n')[0]})`);
    }
  }
  if (seen.has('--config') && seen.has('--config-json')) throw new UsageError('give --config or --config-json, not both');
  if (options.help) return options;
  if (options.log === undefined) throw new UsageError(`validate needs a log file (${VALIDATE_USAGE.split('\n')[0]})`);
  return options;
}

function parseConfigJson(text: string): object {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // Said below, in one line.
  }
  throw new UsageError(`--config-json needs a JSON object, not '${text}'`);
}

function kindOf(kind: string): ActionKind {
  if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`--hidden: unknown kind '${kind}' (kinds: ${KINDS.join(', ')})`);
  return kind as ActionKind;
}

/** Runs `validate`; returns the exit code and the lines to print. Bad input is a UsageError or a LogError. */
export function runValidate(models: ReadonlyArray<ModelDefinition<any>>, options: ValidateCliOptions): { code: number; lines: string[] } {
  if (options.help) return { code: 0, lines: [VALIDATE_USAGE] };
  const model = options.model === undefined ? (models.length === 1 ? models[0] : undefined) : models.find((m) => m.name === options.model);
  if (!model) throw new UsageError(options.model === undefined ? `validate needs --model (models: ${models.map((m) => m.name).join(', ')})` : `unknown model '${options.model}' (models: ${models.map((m) => m.name).join(', ')})`);
  if (options.variant === undefined) throw new UsageError(`validate needs --variant (variants of ${model.name}: ${Object.keys(model.variants).join(', ')})`);
  let instance;
  try {
    instance = validationInstance(model, options.variant, options.config);
  } catch (error) {
    if (error instanceof ModelDefinitionError) throw new UsageError(error.message);
    throw error;
  }
  for (const p of options.validate.unlogged ?? []) {
    if (!instance.world.processIndex.has(p)) throw new UsageError(`--unlogged: unknown process '${p}' (processes: ${instance.world.processNames.join(', ')})`);
  }
  let text: string;
  try {
    text = readFileSync(options.log!, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read log ${options.log}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  const events = parseLog(text, { processes: instance.world.processNames, partitions: (instance.world.spec.partitions ?? []).map((p) => p.name), file: options.log });
  const validation = validateLog(instance, events, options.validate);
  const ok = validation.verdict === 'conforms' && validation.properties.every((p) => !p.broken);
  const others = options.diagnose && validation.verdict !== 'conforms' ? diagnose(model, options.config, events, options.validate).filter((d) => d.variant !== options.variant) : [];
  if (options.json) return { code: ok ? 0 : 1, lines: [JSON.stringify({ ok, validation, ...(options.diagnose ? { diagnosis: others.map(summary) } : {}) }, null, 2)] };
  const lines = describeValidation(validation, options.log);
  if (options.story && validation.verdict === 'conforms') lines.push('', ...storyOf(instance, validation.path).map((l, i) => (i === 0 ? l.replace('the last matched state, after', 'the matched path:') : l)));
  if (options.diagnose && validation.verdict !== 'conforms') {
    const fits = others.filter((d) => d.validation.verdict === 'conforms');
    lines.push('', fits.length ? `the log is a behaviour of: ${fits.map(diagnosisLine).join('; ')}` : 'no other variant of the model explains the log either');
  }
  return { code: ok ? 0 : 1, lines };
}

function summary(d: { variant: string; validation: Validation }) {
  const v = d.validation;
  return { variant: d.variant, verdict: v.verdict, ...(v.verdict === 'bounded' ? {} : { broken: v.properties.filter((p) => p.broken) }), ...(v.verdict === 'conforms' ? {} : { line: v.event.line }) };
}

function diagnosisLine(d: { variant: string; validation: Validation }): string {
  const v = d.validation;
  const broken = v.verdict === 'conforms' ? v.properties.filter((p) => p.broken) : [];
  return `${d.variant}${broken.length ? ` (breaking ${broken.map((p) => `${p.property} at log line ${p.broken!.line ?? 'start'}`).join(', ')})` : ''}`;
}
