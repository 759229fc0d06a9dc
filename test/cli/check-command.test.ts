/**
 * `threshold check` on recorded OTLP fixtures (test/fixtures, drawn in record-budget-fixtures.ts):
 *
 *   over-budget.otlp.json   simple  300 450 600 700 800 900 1000 1100 1500 2400 ms → P99 2,319  P50 850
 *                           complex 3000 3500 4000 4800 ms                        → P99 4,776  P50 3,750
 *   within-budget.otlp.pb   simple  … 1500 1900 ms                                → P99 1,864
 *                           complex (same)                                        → P99 4,776
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCollector } from '../support/collector-harness.js';
import { collectorWithOverBudgetFixture, FIXTURES, OVER_BUDGET_JSON, runCli } from './run-cli.js';

const WITHIN_PROTOBUF = join(FIXTURES, 'within-budget.otlp.pb');

describe('threshold check on a recorded file', () => {
  it('exits 1 with a table naming the class over its default budget (OTLP JSON)', async () => {
    const result = await runCli(['check', '--file', OVER_BUDGET_JSON]);
    expect(result).toEqual({
      exitCode: 1,
      stderr: '',
      stdout: [
        'threshold check: P99 task latency against budgets, 14 traces from over-budget.otlp.json',
        '',
        '  task class  traces       P99    budget  result',
        '  complex          4  4,776 ms  5,000 ms  ok (224 ms to spare)',
        '  simple          10  2,319 ms  2,000 ms  OVER by 319 ms',
        '',
        '1 of 2 task classes over budget at P99: simple.',
        '',
      ].join('\n'),
    });
  });

  it('exits 0 when every class is within the budgets given (OTLP protobuf)', async () => {
    const result = await runCli(['check', '--budget', 'simple=2000', '--budget', 'complex=5s', '--file', WITHIN_PROTOBUF]);
    expect(result).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        'threshold check: P99 task latency against budgets, 14 traces from within-budget.otlp.pb',
        '',
        '  task class  traces       P99    budget  result',
        '  simple          10  1,864 ms  2,000 ms  ok (136 ms to spare)',
        '  complex          4  4,776 ms  5,000 ms  ok (224 ms to spare)',
        '',
        'All 2 task classes within budget at P99.',
        '',
      ].join('\n'),
    });
  });

  it('checks another percentile, and only the classes given a budget', async () => {
    const result = await runCli([
      'check',
      '--file',
      OVER_BUDGET_JSON,
      '--percentile',
      '50',
      '--budget',
      'simple=800',
      '--budget',
      'batch=1000',
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n').slice(2, 6)).toEqual([
      '  task class  traces       P50    budget  result',
      '  simple          10    850 ms    800 ms  OVER by 50 ms',
      '  batch            0         –  1,000 ms  no traces',
      '  complex          4  3,750 ms         –  not checked (no budget)',
    ]);
  });
});

describe('threshold check against a collector', () => {
  let collector: TestCollector;

  beforeAll(async () => {
    collector = await collectorWithOverBudgetFixture();
  });

  afterAll(async () => {
    await collector.close();
  });

  it('reads the same P99 from /api/stats as from the file and exits 1', async () => {
    const result = await runCli(['check', '--url', collector.url, '--budget', 'simple=2000', '--budget', 'complex=5000']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n').slice(2, 5)).toEqual([
      '  task class  traces       P99    budget  result',
      '  simple          10  2,319 ms  2,000 ms  OVER by 319 ms',
      '  complex          4  4,776 ms  5,000 ms  ok (224 ms to spare)',
    ]);
  });

  it('computes a percentile /api/stats does not offer from the trace list', async () => {
    const result = await runCli(['check', '--url', collector.url, '--percentile', '90', '--budget', 'simple=2500']);
    // simple P90: rank 8.1 → 1500 + 0.1 × 900 = 1,590 ms.
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[3]).toBe('  simple          10  1,590 ms  2,500 ms  ok (910 ms to spare)');
  });

  it('exits 1 and says so when the window holds no traces', async () => {
    const result = await runCli(['check', '--url', collector.url, '--since', '1m']);
    expect(result).toEqual({
      exitCode: 1,
      stderr: '',
      stdout: `threshold check: no traces to check in ${collector.url} over the last 1m.\n`,
    });
  });
});

describe('threshold check usage errors', () => {
  it.each([
    [['--budget', 'simple'], 'threshold: --budget expects class=milliseconds (e.g. simple=2000), got "simple"'],
    [['--percentile', '101'], 'threshold: --percentile expects a number above 0 and at most 100 (e.g. 99), got "101"'],
    [['--since', '30'], 'threshold: --since expects a duration like 30m, 1h or 7d, got "30"'],
    [['--url', 'http://127.0.0.1:4318', '--file', 'x.json'], 'threshold: give either --url or --file, not both'],
    [['--file', 'test/fixtures/missing.json'], 'threshold: cannot read test/fixtures/missing.json: ENOENT'],
    [['--file', 'package.json'], 'threshold: package.json is not an OTLP trace export (no resourceSpans)'],
  ])('check %j exits 2 with one line', async (args, message) => {
    const result = await runCli(['check', ...args]);
    expect(result).toEqual({ exitCode: 2, stdout: '', stderr: `${message}\n` });
  });

  it('an unknown option exits 2 with one line', async () => {
    const result = await runCli(['check', '--budgets', 'simple=1']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')[0]).toBe("error: unknown option '--budgets'");
  });

  it('--help describes the exit codes', async () => {
    const result = await runCli(['check', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      'Exit codes: 0 all within budget, 1 a class over budget (or no traces), 2 bad arguments or unreadable input.',
    );
  });
});
