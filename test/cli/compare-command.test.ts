/**
 * `threshold compare` on recorded OTLP files of 1,000-task runs (compare-runs.ts draws them):
 * a rerun of the same build passes, a build 1.5× slower fails, the output is reproducible, and
 * what cannot be judged is refused with exit 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { recordTasks, serializeSpans } from '../support/record-task-runs.js';
import { BASELINE_START_MS, CANDIDATE_START_MS, CLI_BOUND, percentileCells, RUNS } from './compare-runs.js';
import { runCli } from './run-cli.js';

describe('threshold compare on recorded files', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'threshold-compare-'));
  const file = (name: string) => join(dir, name);

  beforeAll(() => {
    writeFileSync(file('baseline.otlp.pb'), serializeSpans(recordTasks(RUNS.baseline, BASELINE_START_MS), 'protobuf'));
    writeFileSync(file('rerun.otlp.json'), serializeSpans(recordTasks(RUNS.rerun, CANDIDATE_START_MS), 'json'));
    writeFileSync(file('slower.otlp.pb'), serializeSpans(recordTasks(RUNS.slower, CANDIDATE_START_MS), 'protobuf'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a rerun of the same build (exit 0): the P95s differ by chance, the intervals hold 1', async () => {
    const result = await runCli(['compare', '--baseline', file('baseline.otlp.pb'), '--candidate', file('rerun.otlp.json')], CLI_BOUND);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'threshold compare: P95 task latency, candidate against baseline',
      '  baseline   baseline.otlp.pb: 1,000 tasks',
      '  candidate  rerun.otlp.json: 1,000 tasks',
      '  a class fails when the 95 % interval of its P95 ratio lies wholly above 1.100 (bootstrap, 2,000 resamples, seed 1)',
      '',
      '  task class  baseline  candidate  P95 before  P95 after  ratio  95 % interval  result',
    ]);
    // By chance this rerun's complex P95 reads faster (its interval ends just below 1): a chance
    // difference can show either way, and only a slowdown beyond the allowed one fails.
    expect(lines.slice(6)).toEqual([
      `  complex          300        300    ${percentileCells(RUNS.baseline, RUNS.rerun, 'complex')}  0.865 – 0.998  faster: by 0.2 % or more`,
      `  simple           700        700    ${percentileCells(RUNS.baseline, RUNS.rerun, 'simple')}  0.964 – 1.094  ok`,
      '',
      'No task class slower than allowed (+10.0 %) at P95 with 95 % confidence: 2 compared.',
      '',
    ]);
  });

  it('fails a build 1.5× slower (exit 1), naming each class and the least slowdown it shows', async () => {
    const result = await runCli(['compare', '--baseline', file('baseline.otlp.pb'), '--candidate', file('slower.otlp.pb')], CLI_BOUND);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n').slice(5)).toEqual([
      '  task class  baseline  candidate  P95 before  P95 after  ratio  95 % interval  result',
      // 1.5× by design; 300 draws of the complex class happen to land at 1.35× at P95.
      `  complex          300        300    ${percentileCells(RUNS.baseline, RUNS.slower, 'complex')}  1.270 – 1.464  SLOWER: by +27.0 % or more`,
      `  simple           700        700    ${percentileCells(RUNS.baseline, RUNS.slower, 'simple')}  1.473 – 1.686  SLOWER: by +47.3 % or more`,
      '',
      '2 of 2 task classes slower than allowed (+10.0 %) at P95 with 95 % confidence: complex, simple.',
      '',
    ]);
  });

  it('prints the same bytes for the same inputs and seed, and other intervals for another seed', async () => {
    const args = ['compare', '--baseline', file('baseline.otlp.pb'), '--candidate', file('rerun.otlp.json'), '--percentile', '90'];
    const [first, second, otherSeed] = await Promise.all([
      runCli(args, CLI_BOUND),
      runCli(args, CLI_BOUND),
      runCli([...args, '--seed', '7'], CLI_BOUND),
    ]);
    expect(second).toEqual(first);
    expect(otherSeed.stdout).not.toBe(first.stdout);
    const withoutDraws = (stdout: string) => stdout.replace(/\d\.\d{3} – \d\.\d{3}|seed \d+|up to \+[\d.]+ %/g, '');
    expect(withoutDraws(otherSeed.stdout)).toBe(withoutDraws(first.stdout));
  });
});

/** Every flag's refusals are in compare-flags.test.ts; these go through the whole command. */
describe('threshold compare refuses what it cannot judge (exit 2, one line)', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'threshold-compare-args-'));
  const baseline = join(dir, 'baseline.otlp.pb');
  const empty = join(dir, 'empty.otlp.json');
  const notOtlp = join(dir, 'not-otlp.json');
  writeFileSync(baseline, serializeSpans(recordTasks(RUNS.baseline.slice(0, 50), BASELINE_START_MS), 'protobuf'));
  writeFileSync(empty, '{"resourceSpans":[]}');
  writeFileSync(notOtlp, '{"hello":"world"}');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [[], '--baseline <file> or --baseline-url <url> is required'],
    [
      ['--baseline', baseline, '--candidate', baseline, '--percentile', '100'],
      '--percentile expects a number above 0 and below 100 (e.g. 95), got "100"',
    ],
    [
      ['--baseline', join(dir, 'missing.otlp.pb'), '--candidate', baseline],
      `baseline: cannot read ${join(dir, 'missing.otlp.pb')}: ENOENT`,
    ],
    [['--baseline', baseline, '--candidate', notOtlp], `candidate: ${notOtlp} is not an OTLP trace export (no resourceSpans)`],
    [['--baseline', empty, '--candidate', baseline], 'baseline: no tasks in empty.otlp.json: nothing to compare'],
    [
      ['--baseline', baseline, '--candidate', baseline, '--service', 'billing'],
      'baseline: no tasks in baseline.otlp.pb for service billing: nothing to compare',
    ],
  ])('threshold compare %j', async (args, message) => {
    expect(await runCli(['compare', ...args], CLI_BOUND)).toEqual({ exitCode: 2, stdout: '', stderr: `threshold: ${message}\n` });
  });

  it('says when a collector cannot be reached', async () => {
    const closedPort = await freePort();
    expect(
      await runCli(
        ['compare', '--baseline', baseline, '--candidate-url', `http://127.0.0.1:${closedPort}`, '--candidate-from', '1h'],
        CLI_BOUND,
      ),
    ).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `threshold: candidate: cannot reach the collector at http://127.0.0.1:${closedPort} (ECONNREFUSED)\n`,
    });
  });

  it('refuses an unknown option as every command does', async () => {
    expect(await runCli(['compare', '--baseline', baseline, '--candidate', baseline, '--regression', '5%'], CLI_BOUND)).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: "error: unknown option '--regression'\n",
    });
  });
});
