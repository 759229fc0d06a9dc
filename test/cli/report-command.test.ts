/**
 * `threshold report` against a collector holding the recorded over-budget fixture
 * (test/fixtures/record-budget-fixtures.ts):
 *
 *   simple  300 450 600 700 800 900 1000 1100 1500 2400 ms   P50 850, P95 1,995, P99 2,319; one over 2 s
 *   complex 3000 3500 4000 4800 ms                           P50 3,750, P95 4,680, P99 4,776
 *
 * The llm call covers 10 ms … 60 % of a simple task (so llm = 0.6 D − 10, the rest the task's own
 * time) and 10 ms … 30 % of a complex one, whose tool runs from there to 5 ms before the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCollector } from '../support/collector-harness.js';
import { collectorWithOverBudgetFixture, runCli } from './run-cli.js';

describe('threshold report', () => {
  let collector: TestCollector;

  beforeAll(async () => {
    collector = await collectorWithOverBudgetFixture();
  });

  afterAll(async () => {
    await collector.close();
  });

  it('prints percentiles against budgets, bands and the breakdown per task class', async () => {
    const result = await runCli(['report', '--url', collector.url]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Threshold report: ${collector.url}, all stored tasks`);
    const section = (title: string, rows: number) => lines.slice(lines.indexOf(title) + 1, lines.indexOf(title) + 2 + rows);
    expect(section('Latency per task class', 2).sort()).toEqual(
      [
        '  task class  tasks     P50     P95       P99  perceived P99  budget  over budget',
        '  complex         4  3.75 s  4.68 s    4.78 s         4.78 s  5.00 s        0.0 %',
        '  simple         10  850 ms  1.99 s  2.32 s !         2.32 s  2.00 s       10.0 %',
      ].sort(),
    );
    expect(section('UX bands (task duration)', 2).sort()).toEqual(
      [
        '  task class  instant  responsive  noticeable  frustrating  uncomfortable   broken',
        '  complex     0 (0 %)     0 (0 %)     0 (0 %)    4 (100 %)        0 (0 %)  0 (0 %)',
        '  simple      0 (0 %)    2 (20 %)    7 (70 %)     1 (10 %)        0 (0 %)  0 (0 %)',
      ].sort(),
    );
    expect(section('Where the time goes (mean per task)', 2).sort()).toEqual(
      [
        '  task class            llm           tool       state  orchestration          other',
        '  complex     1.14 s (30 %)  2.67 s (70 %)  0 ms (0 %)     0 ms (0 %)    15 ms (0 %)',
        '  simple      575 ms (59 %)     0 ms (0 %)  0 ms (0 %)     0 ms (0 %)  400 ms (41 %)',
      ].sort(),
    );
    // Every fixture trace ends with a non-streamed llm call: one recommendation, on all 14.
    const recommendations = lines.slice(lines.indexOf('Top recommendations') + 1);
    expect(recommendations).toHaveLength(3);
    expect(recommendations[0]).toMatch(
      /^ {2}1\. Stream the answer — 14 traces \(complex, simple\), .* less perceived latency per trace, P99 −/,
    );
  });

  it('refuses a bad --since with one line and exit code 2', async () => {
    expect(await runCli(['report', '--url', collector.url, '--since', 'yesterday'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'threshold: --since expects a duration like 30m, 1h or 7d, got "yesterday"\n',
    });
  });
});
