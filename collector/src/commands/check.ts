/**
 * `threshold check`: a latency budget gate for CI. Reads task latencies from a running collector
 * (`--url`) or from a file of recorded OTLP spans (`--file`), takes each task class's latency at
 * a percentile (P99 by default) and compares it with its budget.
 *
 * Exit codes: 0 every checked class within budget; 1 a class over budget (the table says which),
 * or no traces at all to check; 2 bad arguments or input that cannot be read (one line on stderr).
 */
import { basename } from 'node:path';
import { DEFAULT_TASK_CLASS_CONFIG, type TaskClassConfig } from '@threshold/core';
import type { Command } from 'commander';
import { type ClassLatency, judgeBudgets, percentileLabel, renderBudgetVerdicts } from './budget-verdict.js';
import { CollectorClient, CollectorRequestError } from './collector-client.js';
import { parseDurationMs } from './duration-text.js';
import { fail } from './fail.js';
import { classLatencies, readRecordedSpans, RecordedSpansError, summariseTraces } from './recorded-spans-file.js';

const DEFAULT_URL = 'http://127.0.0.1:4318';
/** Percentiles `/api/stats` answers directly; others are computed from the trace list. */
const STATS_PERCENTILES: Record<number, 'p50Ms' | 'p95Ms' | 'p99Ms'> = { 50: 'p50Ms', 95: 'p95Ms', 99: 'p99Ms' };

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface CheckFlags {
  budget?: string[];
  percentile: string;
  since?: string;
  url?: string;
  file?: string;
}

/** `simple=2000` or `simple=2s` → [class, ms]; undefined when malformed. */
export function parseBudget(text: string): [string, number] | undefined {
  const match = /^([^=\s]+)=(.+)$/.exec(text.trim());
  if (!match) return undefined;
  const value = match[2].trim();
  const budgetMs = /^\d+(\.\d+)?$/.test(value) ? Number(value) : parseDurationMs(value);
  return budgetMs !== undefined && budgetMs > 0 ? [match[1], budgetMs] : undefined;
}

function parseFlags(flags: CheckFlags): { budgets: Map<string, number>; percentile: number; sinceMs?: number } {
  const budgets = new Map<string, number>();
  for (const text of flags.budget ?? []) {
    const parsed = parseBudget(text);
    if (!parsed) fail(`--budget expects class=milliseconds (e.g. simple=2000), got "${text}"`, 2);
    budgets.set(parsed[0], parsed[1]);
  }
  const percentile = Number(flags.percentile);
  if (flags.percentile.trim() === '' || !Number.isFinite(percentile) || percentile <= 0 || percentile > 100) {
    fail(`--percentile expects a number above 0 and at most 100 (e.g. 99), got "${flags.percentile}"`, 2);
  }
  if (flags.url !== undefined && flags.file !== undefined) fail('give either --url or --file, not both', 2);
  if (flags.since !== undefined && flags.file !== undefined)
    fail('--since applies to --url only: a file holds exactly the spans to check', 2);
  let sinceMs: number | undefined;
  if (flags.since !== undefined) {
    sinceMs = parseDurationMs(flags.since);
    if (sinceMs === undefined) fail(`--since expects a duration like 30m, 1h or 7d, got "${flags.since}"`, 2);
  }
  if (flags.url !== undefined && !/^https?:\/\/[^/]+/.test(flags.url)) fail(`--url expects http://host:port, got "${flags.url}"`, 2);
  return { budgets, percentile, sinceMs };
}

async function latenciesFromCollector(url: string, percentile: number, sinceMs: number | undefined): Promise<ClassLatency[]> {
  const client = new CollectorClient(url);
  const fromMs = sinceMs === undefined ? undefined : Date.now() - sinceMs;
  const field = STATS_PERCENTILES[percentile];
  if (field !== undefined) {
    const { groups } = await client.stats(fromMs);
    return groups.map((group) => ({
      taskClass: group.key,
      count: group.count,
      latencyMs: group[field],
      configuredBudgetMs: group.budgetMs,
    }));
  }
  return classLatencies(await client.allTraces(fromMs), percentile);
}

async function latenciesFromFile(path: string, percentile: number, config: TaskClassConfig): Promise<ClassLatency[]> {
  return classLatencies(summariseTraces(await readRecordedSpans(path), config), percentile);
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('fail (exit 1) when a task class is over its latency budget: a gate for CI')
    .option('--budget <class=ms>', 'budget of a task class in ms, repeatable (default: the budgets the collector holds)', collect)
    .option('--percentile <p>', 'percentile compared with the budget', '99')
    .option('--since <duration>', 'only tasks started within this long before now, e.g. 1h (with --url)')
    .option('--url <url>', `collector to read from (default ${DEFAULT_URL})`)
    .option('--file <path>', 'OTLP trace export to read instead: JSON (.json, one request or one per line) or protobuf')
    .addHelpText(
      'after',
      '\nExit codes: 0 all within budget, 1 a class over budget (or no traces), 2 bad arguments or unreadable input.\n' +
        'Example: threshold check --budget simple=2000 --budget complex=5000 --since 1h',
    )
    .action(async (flags: CheckFlags) => {
      const { budgets, percentile, sinceMs } = parseFlags(flags);
      const source = flags.file !== undefined ? basename(flags.file) : (flags.url ?? DEFAULT_URL);
      let latencies: ClassLatency[];
      try {
        latencies =
          flags.file !== undefined
            ? await latenciesFromFile(flags.file, percentile, {
                ...DEFAULT_TASK_CLASS_CONFIG,
                budgetsMs: { ...DEFAULT_TASK_CLASS_CONFIG.budgetsMs, ...Object.fromEntries(budgets) },
              })
            : await latenciesFromCollector(flags.url ?? DEFAULT_URL, percentile, sinceMs);
      } catch (error) {
        if (error instanceof RecordedSpansError || error instanceof CollectorRequestError) fail(error.message, 2);
        throw error;
      }
      const traceCount = latencies.reduce((sum, entry) => sum + entry.count, 0);
      if (traceCount === 0) {
        process.stdout.write(
          `threshold check: no traces to check in ${source}${sinceMs !== undefined ? ` over the last ${flags.since}` : ''}.\n`,
        );
        process.exit(1);
      }
      const verdicts = judgeBudgets(latencies, budgets);
      process.stdout.write(
        `threshold check: ${percentileLabel(percentile)} task latency against budgets, ${traceCount} trace${traceCount === 1 ? '' : 's'} from ${source}\n\n` +
          `${renderBudgetVerdicts(verdicts, percentile)}\n`,
      );
      process.exit(verdicts.some((verdict) => verdict.status === 'over') ? 1 : 0);
    });
}
