import {
  analyseRecords,
  BREAKDOWN_CATEGORIES,
  budgetOfClass,
  emptyBandCounts,
  OPERATION_CATEGORIES,
  percentile,
  traceFacts,
  type FiltersResponse,
  type LatencyTriple,
  type ModelsResponse,
  type OperationsResponse,
  type SessionDetail,
  type SessionsResponse,
  type SpanFacts,
  type StatsResponse,
  type TaskClassConfig,
  type TimeSeriesResponse,
  type TraceAnalysis,
  type TraceSummary,
} from '@threshold/core';
import type { AlertTaskSample, AlertTtftSample } from '../../packages/core/src/alerts/index.js';
import { plannedTraces, spanRecords, TASK_CLASSES, type PlannedTrace } from './facts-workload.js';

/**
 * What the API must answer for a set of traces, computed in memory from core's analysis and
 * core's facts alone (no store, no SQL): the yardstick both engines are held to.
 */
const triple = (values: readonly number[]): LatencyTriple | null =>
  values.length === 0 ? null : { p50Ms: percentile(values, 0.5)!, p95Ms: percentile(values, 0.95)!, p99Ms: percentile(values, 0.99)! };
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const byCountThenKey =
  <T>(count: (item: T) => number, key: (item: T) => string) =>
  (a: T, b: T) =>
    count(b) - count(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
const nonNull = (values: ReadonlyArray<number | null>) => values.filter((value): value is number => value !== null);

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const latest = (summaries: readonly TraceSummary[]) => summaries.reduce((a, b) => (b.startTimeMs > a.startTimeMs ? b : a));

export class ExpectedAnswers {
  private readonly summaries: TraceSummary[];
  private readonly spans: Array<SpanFacts & { trace: TraceSummary }>;

  constructor(
    private readonly analyses: readonly TraceAnalysis[],
    private readonly config: TaskClassConfig,
  ) {
    this.summaries = analyses.map((analysis) => analysis.summary);
    this.spans = analyses.flatMap((analysis) => traceFacts(analysis).spans.map((span) => ({ ...span, trace: analysis.summary })));
  }

  models(): ModelsResponse {
    const calls = this.spans.filter((span) => span.llmCall);
    const models = [...groupBy(calls, (call) => call.model ?? 'unknown')].map(([model, group]) => {
      const provider = group.find((call) => call.provider !== null)?.provider;
      return {
        model,
        ...(provider === undefined ? {} : { provider: provider as string }),
        calls: group.length,
        streamingRate: mean(group.map((call) => (call.streaming === true ? 1 : 0))),
        ttft: triple(nonNull(group.map((call) => call.ttftMs))),
        tpot: triple(nonNull(group.map((call) => call.tpotMs))),
        duration: triple(group.map((call) => call.durationMs))!,
        maxChunkGap: triple(nonNull(group.map((call) => call.maxChunkGapMs))),
        inputTokens: group.reduce((sum, call) => sum + (call.inputTokens ?? 0), 0),
        outputTokens: group.reduce((sum, call) => sum + (call.outputTokens ?? 0), 0),
      };
    });
    return {
      models: models.sort(
        byCountThenKey(
          (model) => model.calls,
          (model) => model.model,
        ),
      ),
    };
  }

  operations(): OperationsResponse {
    const operations = this.spans.filter((span) => (OPERATION_CATEGORIES as readonly string[]).includes(span.category));
    const groups = [...groupBy(operations, (span) => `${span.category}\u0000${span.name}`).values()].map((group) => {
      const base = {
        category: group[0].category as (typeof OPERATION_CATEGORIES)[number],
        name: group[0].name,
        calls: group.length,
        errorRate: mean(group.map((span) => (span.error ? 1 : 0))),
      };
      const duration = triple(group.map((span) => span.durationMs))!;
      return base.category === 'tool'
        ? {
            ...base,
            cacheHitRate: mean(group.map((span) => (span.cacheHit === true ? 1 : 0))),
            coldStartRate: mean(group.map((span) => (span.coldStart === true ? 1 : 0))),
            duration,
          }
        : { ...base, duration };
    });
    return {
      operations: groups.sort(
        byCountThenKey(
          (group) => group.calls,
          (group) => `${group.category}\u0000${group.name}`,
        ),
      ),
    };
  }

  stats(groupBy_: 'taskClass' | 'service'): StatsResponse {
    const groups = [...groupBy(this.summaries, (summary) => summary[groupBy_])].map(([key, group]) => {
      const bands = emptyBandCounts();
      const perceivedBands = emptyBandCounts();
      for (const summary of group) {
        bands[summary.band]++;
        perceivedBands[summary.perceivedBand]++;
      }
      const durations = group.map((summary) => summary.durationMs);
      return {
        key,
        count: group.length,
        p50Ms: percentile(durations, 0.5)!,
        p95Ms: percentile(durations, 0.95)!,
        p99Ms: percentile(durations, 0.99)!,
        perceivedP99Ms: percentile(
          group.map((summary) => summary.perceivedMs),
          0.99,
        )!,
        bands,
        perceivedBands,
        breakdownMeanMs: Object.fromEntries(
          BREAKDOWN_CATEGORIES.map((category) => [category, mean(group.map((summary) => summary.breakdown[category]))]),
        ) as StatsResponse['groups'][number]['breakdownMeanMs'],
        budgetMs: groupBy_ === 'taskClass' ? budgetOfClass(this.config, key, latest(group).budgetMs) : null,
        overBudgetRate: mean(group.map((summary) => (summary.overBudget ? 1 : 0))),
      };
    });
    return {
      groups: groups.sort(
        byCountThenKey(
          (group) => group.count,
          (group) => group.key,
        ),
      ),
    };
  }

  timeseries(bucketMs: number): TimeSeriesResponse {
    const series = [...groupBy(this.summaries, (summary) => summary.taskClass)]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, group]) => {
        const budgetMs = budgetOfClass(this.config, key, latest(group).budgetMs);
        const buckets = [...groupBy(group, (summary) => String(Math.floor(summary.startTimeMs / bucketMs) * bucketMs))].sort(
          ([a], [b]) => Number(a) - Number(b),
        );
        const points = buckets.map(([t, traces]) => {
          const durations = traces.map((summary) => summary.durationMs);
          const p99Ms = percentile(durations, 0.99)!;
          return {
            t: Number(t),
            count: traces.length,
            p50Ms: percentile(durations, 0.5)!,
            p95Ms: percentile(durations, 0.95)!,
            p99Ms,
            perceivedP99Ms: percentile(
              traces.map((summary) => summary.perceivedMs),
              0.99,
            )!,
            overBudget: p99Ms > budgetMs,
          };
        });
        return { key, budgetMs, points };
      });
    return { bucketMs, series };
  }

  filters(): FiltersResponse {
    const budgetsMs: Record<string, number> = { ...this.config.budgetsMs };
    for (const [taskClass, group] of groupBy(this.summaries, (summary) => summary.taskClass))
      budgetsMs[taskClass] = budgetOfClass(this.config, taskClass, latest(group).budgetMs);
    return {
      services: [...new Set(this.summaries.map((summary) => summary.service))].sort(),
      taskClasses: Object.keys(budgetsMs).sort(),
      budgetsMs,
      moreServices: false,
      moreTaskClasses: false,
    };
  }

  private turnsOf(sessionId: string) {
    return this.analyses
      .filter((analysis) => analysis.summary.sessionId === sessionId)
      .sort((a, b) => a.summary.startTimeMs - b.summary.startTimeMs)
      .map((analysis) => ({ analysis, facts: traceFacts(analysis) }));
  }

  sessions(): SessionsResponse {
    const ids = [...new Set(this.summaries.flatMap((summary) => (summary.sessionId === undefined ? [] : [summary.sessionId])))];
    const sessions = ids.map((sessionId) => {
      const turns = this.turnsOf(sessionId);
      const last = turns[turns.length - 1];
      const durations = turns.map(({ analysis }) => analysis.summary.durationMs);
      return {
        sessionId,
        service: last.analysis.summary.service,
        turns: turns.length,
        firstStartTimeMs: turns[0].analysis.summary.startTimeMs,
        lastStartTimeMs: last.analysis.summary.startTimeMs,
        p50Ms: percentile(durations, 0.5)!,
        maxMs: Math.max(...durations),
        lastInputTokens: last.facts.inputTokens,
      };
    });
    return {
      sessions: sessions.sort((a, b) => b.lastStartTimeMs - a.lastStartTimeMs || (a.sessionId < b.sessionId ? -1 : 1)),
      total: sessions.length,
    };
  }

  session(sessionId: string): SessionDetail {
    return {
      sessionId,
      turns: this.turnsOf(sessionId).map(({ analysis: { summary }, facts }) => ({
        traceId: summary.traceId,
        turn: facts.turn,
        startTimeMs: summary.startTimeMs,
        durationMs: summary.durationMs,
        perceivedMs: summary.perceivedMs,
        inputTokens: facts.inputTokens,
        llmCalls: summary.llmCalls,
      })),
    };
  }

  /** Alert samples: each task at its end, and each llm call's TTFT at its task's end (as the stores window them). */
  alertSamples(): { tasks: AlertTaskSample[]; ttfts: AlertTtftSample[] } {
    const endOf = (summary: TraceSummary) => summary.startTimeMs + summary.durationMs;
    return {
      tasks: this.summaries.map((summary) => ({
        traceId: summary.traceId,
        endTimeMs: endOf(summary),
        durationMs: summary.durationMs,
        perceivedMs: summary.perceivedMs,
        budgetMs: summary.budgetMs,
        overBudget: summary.overBudget,
        taskClass: summary.taskClass,
        service: summary.service,
        name: summary.name,
      })),
      ttfts: this.spans
        .filter((span) => span.llmCall && span.ttftMs !== null)
        .map((span) => ({
          traceId: span.trace.traceId,
          endTimeMs: endOf(span.trace),
          model: span.model ?? 'unknown',
          ttftMs: span.ttftMs!,
        })),
    };
  }
}

/** The facts workload planned half an hour ago, and what core computes for it. */
export function plannedWorkload(): { baseMs: number; traces: PlannedTrace[]; expected: ExpectedAnswers } {
  const baseMs = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
  const traces = plannedTraces(baseMs);
  const expected = new ExpectedAnswers(
    traces.map((trace) => analyseRecords(spanRecords(trace), TASK_CLASSES)),
    TASK_CLASSES,
  );
  return { baseMs, traces, expected };
}

/** Every number to 9 decimals: SQL and JavaScript may sum or interpolate to different last bits. */
export const rounded = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value), (_key, v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)) as T;
