/**
 * `threshold report`: a terminal summary of what a running collector holds — per task class the
 * count, P50/P95/P99 against the budget, UX bands, the breakdown, and the top recommendations.
 */
import type { RecommendationSummary } from '@threshold/core';
import type { Command } from 'commander';
import { CollectorClient, CollectorRequestError } from './collector-client.js';
import { parseDurationMs } from './duration-text.js';
import { fail } from './fail.js';
import { renderReport } from './report-text.js';

const DEFAULT_URL = 'http://127.0.0.1:4318';

interface ReportFlags {
  url: string;
  since?: string;
  top: string;
}

/** Stats and recommendations from a collector, rendered; recommendations are optional (404 → absent). */
export async function collectorReport(url: string, fromMs: number | undefined, top: number): Promise<string> {
  const client = new CollectorClient(url);
  const { groups } = await client.stats(fromMs);
  let recommendations: RecommendationSummary[] | undefined;
  try {
    recommendations = (await client.recommendations(fromMs)).recommendations;
  } catch (error) {
    if (!(error instanceof CollectorRequestError && error.status === 404)) throw error;
  }
  return renderReport({ groups, recommendations, top });
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('print a latency summary of a running collector: percentiles, bands, breakdown, recommendations')
    .option('--url <url>', 'collector to read from', DEFAULT_URL)
    .option('--since <duration>', 'only tasks started within this long before now, e.g. 1h (default: everything stored)')
    .option('--top <n>', 'recommendations to list', '5')
    .action(async (flags: ReportFlags) => {
      if (!/^https?:\/\/[^/]+/.test(flags.url)) fail(`--url expects http://host:port, got "${flags.url}"`, 2);
      let fromMs: number | undefined;
      if (flags.since !== undefined) {
        const sinceMs = parseDurationMs(flags.since);
        if (sinceMs === undefined) fail(`--since expects a duration like 30m, 1h or 7d, got "${flags.since}"`, 2);
        fromMs = Date.now() - sinceMs;
      }
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 0) fail(`--top expects a whole number, got "${flags.top}"`, 2);
      try {
        const window = flags.since === undefined ? 'all stored tasks' : `tasks started in the last ${flags.since}`;
        process.stdout.write(`Threshold report: ${flags.url}, ${window}\n\n${await collectorReport(flags.url, fromMs, top)}\n`);
      } catch (error) {
        if (error instanceof CollectorRequestError) fail(error.message, 2);
        throw error;
      }
      process.exit(0);
    });
}
