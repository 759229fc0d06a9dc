/**
 * The demo, run briefly with a seed against a real collector (in its own process): 8 simulated
 * users starting turns for 14 s at 0.5× real-world latency (every simulated delay, models
 * included, shrinks alike). It must show every span category, tasks in at least five UX bands,
 * and something for every recommendation rule to find.
 *
 * Seed 35's first sessions (planSession) give the support users a greeting, an early "thanks",
 * an early FAQ, and runs of order and billing questions: small talk for the fast bands, and
 * sessions whose context grows turn after turn.
 */
import {
  BREAKDOWN_CATEGORIES,
  type FindingRuleId,
  type RecommendationsResponse,
  type TraceDetail,
  type TraceList,
  type UxBand,
} from '@threshold/core';
import { runDemo, type DemoSummary } from '@threshold/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorProcess, startCollectorProcess } from './collector-process.js';

const ALL_RULES: FindingRuleId[] = [
  'stream-answer',
  'route-model',
  'compress-context',
  'parallelize-tools',
  'cache-tool-results',
  'prewarm',
  'speculate',
  'state-overhead',
  'orchestration-overhead',
];

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('the demo run briefly with a seed', () => {
  let collector: CollectorProcess;
  let summary: DemoSummary;
  let traces: TraceList;

  beforeAll(async () => {
    collector = await startCollectorProcess();
    summary = await runDemo({ collectorUrl: collector.url, users: 8, durationMs: 14_000, seed: 35, timeScale: 0.5 });
    const tasks = summary.tasks['customer-service'] + summary.tasks.research + summary.tasks.coding;
    // Spans that ended last (a task span after its children) may reach the collector after their
    // trace was first analysed; it re-analyses once they arrive. Wait for that to settle.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const deadline = Date.now() + 20_000;
    let pending: number;
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      traces = await getJson<TraceList>(`${collector.url}/api/traces?limit=1000`);
      pending = (await getJson<{ pendingTraces: number }>(`${collector.url}/api/health`)).pendingTraces;
    } while ((traces.total < tasks || pending > 0) && Date.now() < deadline);
  }, 120_000);

  afterAll(async () => {
    await collector?.stop();
  });

  it('sends one trace per task it ran, none failed', () => {
    expect(summary.failedTasks).toBe(0);
    expect(traces.total).toBe(summary.tasks['customer-service'] + summary.tasks.research + summary.tasks.coding);
    expect(summary.tasks['customer-service']).toBeGreaterThan(0);
    expect(summary.tasks.research).toBeGreaterThan(0);
    expect(summary.tasks.coding).toBeGreaterThan(0);
    expect(
      new Set(traces.traces.map((trace) => trace.name)),
      JSON.stringify([...new Set(traces.traces.map((trace) => trace.name))]),
    ).toEqual(
      new Set(['invoke_agent small-talk', 'invoke_agent answer-ticket', 'invoke_agent research-question', 'invoke_agent fix-failing-test']),
    );
  });

  it('has spans of every category and time in every breakdown bucket', async () => {
    const categories = new Set<string>();
    for (const name of ['invoke_agent answer-ticket', 'invoke_agent research-question', 'invoke_agent fix-failing-test']) {
      const example = traces.traces.find((trace) => trace.name === name)!;
      const detail = await getJson<TraceDetail>(`${collector.url}/api/traces/${example.traceId}`);
      for (const span of detail.spans) categories.add(span.category);
    }
    expect([...categories].sort()).toEqual(['llm', 'orchestration', 'state', 'task', 'tool']);
    for (const bucket of BREAKDOWN_CATEGORIES) {
      expect(
        traces.traces.reduce((sum, trace) => sum + trace.breakdown[bucket], 0),
        bucket,
      ).toBeGreaterThan(0);
    }
  });

  it('makes 50+ llm calls in a research task and 3–5 in a support answer', () => {
    const research = traces.traces.filter((trace) => trace.name === 'invoke_agent research-question');
    expect(Math.min(...research.map((trace) => trace.llmCalls))).toBeGreaterThanOrEqual(50);
    const support = traces.traces.filter((trace) => trace.name === 'invoke_agent answer-ticket');
    for (const trace of support) expect([3, 5], trace.traceId).toContain(trace.llmCalls);
  });

  it('lands tasks in at least five UX bands', () => {
    const bands = new Set<UxBand>(traces.traces.map((trace) => trace.band));
    expect(bands.size, [...bands].join(', ')).toBeGreaterThanOrEqual(5);
  });

  it('gives every recommendation rule something to find', async () => {
    const { recommendations } = await getJson<RecommendationsResponse>(`${collector.url}/api/recommendations`);
    const fired = new Set(recommendations.map((recommendation) => recommendation.ruleId));
    expect(
      ALL_RULES.filter((rule) => !fired.has(rule)),
      'rules that found nothing',
    ).toEqual([]);
  });
});
