import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { externalSuites, models as builtInModels } from '../../properties/index.js';
import type { ModelDefinition } from '../spec/model.js';
import { loadModelFiles } from './load-models.js';
import { mergeShardOutputs } from './merge.js';
import { blastRadiusReport, DEFAULT_REPORT } from '../../models/rds-blast-radius/report.js';
import { instantiate } from '../check/instance.js';
import { describeCrossReplay, replay, replayOnVariant } from '../check/replay.js';
import { asExpected, isKnownGap, type CheckResult } from '../check/result.js';
import { parseReplayFile, ReplayFileError } from '../report/replay-file.js';
import { writeCorpus } from '../report/corpus.js';
import { checkWritableDirectory } from '../report/atomic-write.js';
import { writeHtmlViewers } from '../report/write-html.js';
import { renderStory } from '../report/story.js';
import { renderTable } from '../report/table.js';
import { describeError } from '../world/errors.js';
import { parseArgs, USAGE, UsageError, type CliOptions } from './args.js';
import { INIT_USAGE, runInit } from './init.js';
import { EXPLORE_USAGE, parseExploreArgs, runExplore } from './explore.js';
import { parseValidateArgs, runValidate, VALIDATE_USAGE } from './validate.js';
import { LogError } from '../conformance/log.js';
import { plan, type ProgressListener } from './run-checks.js';
import { runChecksInParallel } from './parallel-checks.js';

const EXIT_OK = 0;
const EXIT_UNEXPECTED = 1;
const EXIT_USAGE = 2;

let models: ReadonlyArray<ModelDefinition<any>> = builtInModels;
let suites = externalSuites;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'init') {
    try {
      console.log(runInit(argv.slice(1)));
      return EXIT_OK;
    } catch (error) {
      return fail(error);
    }
  }
  if (argv[0] === 'explore') {
    try {
      const options = parseExploreArgs(argv.slice(1));
      const explorer = await runExplore(options.files.length ? await loadModelFiles(options.files) : models, options);
      console.log(`explorer at ${explorer.url}  (stop with Ctrl-C)`);
      // Serve until stopped: Ctrl-C (SIGINT) or SIGTERM ends the process, with nothing to write or clean up.
      await new Promise(() => {});
    } catch (error) {
      return fail(error);
    }
  }
  if (argv[0] === 'validate') {
    try {
      const options = parseValidateArgs(argv.slice(1));
      const outcome = runValidate(options.files.length ? await loadModelFiles(options.files) : models, options);
      console.log(outcome.lines.join('\n'));
      return outcome.code;
    } catch (error) {
      return fail(error);
    }
  }
  let options: CliOptions;
  try {
    options = parseArgs(argv);
    if (options.files.length) {
      models = await loadModelFiles(options.files);
      suites = [];
    }
  } catch (error) {
    return fail(error);
  }
  // More workers than cores only adds contention (measured: 64 workers on 2 cores ran 50× slower).
  const cores = availableParallelism();
  if (options.workers > cores) {
    console.error(`note: --workers ${options.workers} lowered to ${cores}, the cores this machine has`);
    options.workers = cores;
  }
  if (options.help) {
    console.log(`${USAGE}\n\n${INIT_USAGE}\n\n${EXPLORE_USAGE}\n\n${VALIDATE_USAGE}`);
    return EXIT_OK;
  }
  if (options.replay) return runReplay(options.replay, options.variants[0]);
  // Output folders are checked before the search, so a bad path costs no search and loses no table.
  for (const [flag, dir] of [['--out', options.out], ['--html', options.html]] as const) {
    if (dir === undefined) continue;
    try {
      checkWritableDirectory(dir);
    } catch (error) {
      return fail(new UsageError(`${flag} ${dir}: cannot write there: ${describeError(error)}`));
    }
  }

  let results: CheckResult[];
  try {
    if (options.merge.length) {
      results = mergeShardOutputs(options.merge, models);
    } else {
      const planned = plan(models, options, suites);
      // A search already spread over --workers threads leaves no core for a second job.
      const jobs = options.workers > 1 ? 1 : Math.min(options.jobs ?? cores, cores);
      results = await runChecksInParallel(planned, options, jobs, progressReporter());
    }
  } catch (error) {
    return fail(error);
  }
  clearProgress();
  if (results.length === 0) {
    console.error(`error: nothing was checked: ${nothingCheckedReason(options)}`);
    return EXIT_UNEXPECTED;
  }
  // A declared gap of random search is not a failure of the run, and is never counted as expected either.
  const ok = results.every((r) => asExpected(r) || isKnownGap(r));
  if (options.out) {
    try {
      writeCorpus(options.out, results, models);
    } catch (error) {
      return fail(new UsageError(`cannot write to ${options.out}: ${describeError(error)}`));
    }
  }
  if (options.html) {
    try {
      writeHtmlViewers(options.html, results, models, suites);
    } catch (error) {
      return fail(new UsageError(`cannot write to ${options.html}: ${describeError(error)}`));
    }
  }
  if (options.json) {
    const reports = results.some((r) => r.model === 'rds-failover') ? { 'rds-blast-radius': blastRadiusReport(DEFAULT_REPORT).json } : undefined;
    console.log(JSON.stringify({ ok, results, ...(reports ? { reports } : {}) }, null, 2));
  } else {
    printReport(results, ok);
  }
  return ok ? EXIT_OK : EXIT_UNEXPECTED;
}

function printReport(results: CheckResult[], ok: boolean): void {
  console.log(renderTable(results).join('\n'));
  for (const r of results.filter((r) => !asExpected(r) && !isKnownGap(r) && r.note)) console.log(`\n✗ ${r.model}/${r.variant} ${r.property} (${r.mode}): ${r.note}`);
  // Fingerprint mode's cost in certainty belongs beside a verdict it may have changed: once per search.
  const searches = new Set<string>();
  for (const r of results) {
    const note = r.note?.split('; ').find((n) => n.startsWith('fingerprint mode'));
    const search = `${r.model}/${r.variant} (${r.config})`;
    if (!note || searches.has(search)) continue;
    searches.add(search);
    console.log(`\nⓘ ${search}: ${note}`);
  }
  for (const r of results.filter(isKnownGap)) console.log(`\n◌ ${r.model}/${r.variant} ${r.property} (${r.mode}, ${r.config}): missed, a declared gap of random search: ${r.knownGap}`);
  const told = new Map<string, number>();
  for (const r of results) {
    if (r.verdict === 'violated' && r.story) {
      console.log('\n' + r.story.join('\n'));
      continue;
    }
    if (r.verdict !== 'violated' || !r.trace) continue;
    const key = `${r.model}/${r.variant}/${r.property}` + (r.config === Object.keys(models.find((m) => m.name === r.model)!.configs)[0] ? '' : ` (${r.config})`);
    if (told.get(key) === r.traceLength) {
      console.log(`\n(${r.mode} mode found the same ${r.traceLength}-step counterexample for ${key}: ${r.note ?? ''})`);
      continue;
    }
    told.set(key, r.traceLength!);
    const instance = instantiate(models.find((m) => m.name === r.model)!, r.variant, r.config);
    console.log('\n' + renderStory(instance, r).join('\n'));
  }
  const gaps = results.filter(isKnownGap).length;
  const unexpected = results.filter((r) => !asExpected(r) && !isKnownGap(r)).length;
  const counted = results.length - gaps;
  const gapWords = gaps ? ` (and ${gaps} random-mode miss${gaps === 1 ? '' : 'es'} of declared random-search gaps, not counted)` : '';
  console.log(`\n${ok ? 'All' : `${counted - unexpected} of`} ${counted} verdicts as expected${gapWords}${ok ? '.' : `; ${unexpected} not.`}`);
}

/** Why a run produced no verdict, in words a user can act on. */
function nothingCheckedReason(options: CliOptions): string {
  if (options.merge.length) return `the merged files hold no results (${options.merge.join(', ')})`;
  const modes = options.modes.join(', ');
  return `no variant of the chosen models has a property to check in mode ${modes}${options.models.length ? ` (models: ${options.models.join(', ')})` : ''}`;
}

function runReplay(file: string, onVariant?: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(new UsageError(`cannot read replay file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : describeError(error)}`));
  }
  try {
    const outcome = replay(text, file, models);
    console.log(renderStory(outcome.instance, outcome.result).join('\n'));
    console.log(`\n${outcome.message}`);
    if (onVariant === undefined) return outcome.reproduced ? EXIT_OK : EXIT_UNEXPECTED;
    const model = outcome.instance.model;
    if (!(onVariant in model.variants)) throw new UsageError(`model ${model.name} has no variant '${onVariant}' (variants: ${Object.keys(model.variants).join(', ')})`);
    const recorded = parseReplayFile(text, file);
    const cross = replayOnVariant(model, onVariant, recorded);
    const expected = model.variants[onVariant]!.expect[recorded.property];
    console.log(`${describeCrossReplay(onVariant, recorded.property, cross).replace(/`/g, '')}; ${onVariant} is expected to ${expected === 'violated' ? 'break' : expected === 'holds' ? 'keep' : 'not check'} it.`);
    const asItShould = expected === 'violated' ? cross.outcome === 'breaks' : cross.outcome !== 'breaks';
    return outcome.reproduced && asItShould ? EXIT_OK : EXIT_UNEXPECTED;
  } catch (error) {
    return fail(error);
  }
}

function fail(error: unknown): number {
  clearProgress();
  if (error instanceof LogError) {
    // One line per bad entry of the log, each with its line number.
    console.error(error.problems.map((p) => `error: ${p}`).join('\n'));
    return EXIT_USAGE;
  }
  if (error instanceof UsageError || error instanceof ReplayFileError) {
    console.error(`error: ${error.message}`);
    return EXIT_USAGE;
  }
  console.error(`error: ${describeError(error)}`);
  return EXIT_UNEXPECTED;
}

let progressShown = false;

/** Without a terminal to redraw, a line this often shows that a long search is alive. */
const PIPED_PROGRESS_EVERY_SECONDS = 30;

/**
 * Progress on stderr: redrawn in place for a person at a terminal; for a pipe
 * or a CI log, one line every half minute, so short runs print nothing.
 */
function progressReporter(): ProgressListener {
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  let lastWhat = '';
  return (what, p) => {
    if (what !== lastWhat) [lastWhat, lastLine] = [what, 0];
    const rate = Math.round(p.states / Math.max(p.seconds, 1e-3));
    // A random search reports runs where a breadth-first one reports states.
    const line = what.includes(', random')
      ? `${what}: ${p.states.toLocaleString('en-US')} runs, ${rate.toLocaleString('en-US')}/s, ${p.transitions.toLocaleString('en-US')} steps, longest ${p.depth}, ${Math.round(p.seconds)} s`
      : `${what}: ${p.states.toLocaleString('en-US')} states, ${rate.toLocaleString('en-US')}/s, queue ${p.queue.toLocaleString('en-US')}, depth ${p.depth}, ${Math.round(p.seconds)} s`;
    if (tty) {
      progressShown = true;
      process.stderr.write(`\r${line}   `);
    } else if (p.seconds - lastLine >= PIPED_PROGRESS_EVERY_SECONDS) {
      lastLine = p.seconds;
      process.stderr.write(`${line}\n`);
    }
  };
}

function clearProgress(): void {
  if (progressShown) process.stderr.write('\r\x1b[K');
  progressShown = false;
}

// A reader that stops early (`| head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
