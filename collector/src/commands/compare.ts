/**
 * `threshold compare`: a CI gate on "did this change make us slower?". It compares a candidate run
 * with a baseline run (recorded OTLP files, or windows of a collector) task class by task class at
 * a percentile, and fails only when the slowdown is larger than allowed with the stated
 * confidence, so a rerun of the same build, whose P95 differs by chance, passes.
 *
 * Exit codes: 0 no class slower than allowed (with the confidence asked); 1 a class is; 2 bad
 * arguments, input that cannot be read, or a run without tasks (one line on stderr).
 */
import { compareTaskClasses } from '@threshold/core';
import type { Command } from 'commander';
import { CollectorRequestError } from './collector-client.js';
import { CompareUsageError, parseCompareFlags, type CompareFlags, type CompareSettings } from './compare-flags.js';
import { readRun, type RecordedRun, type RunSource } from './compare-sources.js';
import { renderComparison } from './compare-text.js';
import { fail } from './fail.js';
import { RecordedSpansError } from './recorded-spans-file.js';

async function readRunOrFail(side: 'baseline' | 'candidate', source: RunSource, service: string | undefined): Promise<RecordedRun> {
  let run: RecordedRun;
  try {
    run = await readRun(source, service);
  } catch (error) {
    if (error instanceof RecordedSpansError) fail(`${side}: ${error.message}`, 2);
    if (error instanceof CollectorRequestError) {
      const keyHint = error.status === 401 || error.status === 403 ? ' (give a read key with --api-key or THRESHOLD_API_KEY)' : '';
      fail(`${side}: ${error.message}${keyHint}`, 2);
    }
    throw error;
  }
  if (run.tasks === 0)
    fail(`${side}: no tasks in ${run.label}${service === undefined ? '' : ` for service ${service}`}: nothing to compare`, 2);
  return run;
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('fail (exit 1) when a candidate run is slower than a baseline run beyond chance: a regression gate for CI')
    .option('--baseline <file>', 'baseline run: OTLP trace export, JSON (one request or one per line) or protobuf')
    .option('--candidate <file>', 'candidate run, as --baseline')
    .option('--baseline-url <url>', 'read the baseline from a collector instead (with --baseline-from, --baseline-to)')
    .option('--baseline-from <time>', 'start of the baseline window: ISO 8601, epoch ms, or a duration ago (2h)')
    .option('--baseline-to <time>', 'end of the baseline window (default: now)')
    .option('--candidate-url <url>', 'read the candidate from a collector instead (with --candidate-from, --candidate-to)')
    .option('--candidate-from <time>', 'start of the candidate window')
    .option('--candidate-to <time>', 'end of the candidate window (default: now)')
    .option('--api-key <key>', 'read key for collectors that need one (default: $THRESHOLD_API_KEY)')
    .option('--service <name>', 'only tasks of this service, in both runs')
    .option('--percentile <p>', 'percentile compared', '95')
    .option('--max-regression <percent>', 'slowdown allowed before the gate fails', '10%')
    .option('--confidence <c>', 'confidence the slowdown must be shown with, 0.5 to 1', '0.95')
    .option('--resamples <n>', 'bootstrap resamples per task class', '2000')
    .option('--seed <n>', 'seed of the resampling: the same inputs and seed print the same result', '1')
    .addHelpText(
      'after',
      '\nEach class passes unless the confidence interval of (candidate percentile / baseline percentile) lies wholly above\n' +
        '1 + max-regression. Exit codes: 0 no class slower than allowed, 1 a class is, 2 bad arguments or unreadable input.\n' +
        'Example: threshold compare --baseline main.otlp.pb --candidate run.otlp.pb --percentile 95 --max-regression 10%',
    )
    .action(async (flags: CompareFlags) => {
      let settings: CompareSettings;
      try {
        settings = parseCompareFlags(flags, Date.now(), process.env.THRESHOLD_API_KEY);
      } catch (error) {
        if (error instanceof CompareUsageError) fail(error.message, 2);
        throw error;
      }
      const baseline = await readRunOrFail('baseline', settings.baseline, settings.service);
      const candidate = await readRunOrFail('candidate', settings.candidate, settings.service);
      const comparisons = compareTaskClasses(baseline.durationsMs, candidate.durationsMs, settings.options);
      process.stdout.write(renderComparison(baseline, candidate, comparisons, settings.options));
      process.exit(comparisons.some((comparison) => comparison.status === 'regressed') ? 1 : 0);
    });
}
