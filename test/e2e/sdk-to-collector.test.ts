/**
 * End to end: an agent written with @threshold/sdk, calling the real `openai` client against the
 * loopback model server, exports over OTLP to a real collector; `/api/traces/:id` then shows the
 * right categories, TTFT, tool durations, breakdown and band.
 *
 *   invoke_agent answer-ticket ├────────────────────────────────────────────────────────┤
 *     state.load session        ├─┤ 20 ms
 *     orchestration.route router    ├┤ 5 ms
 *     execute_tool search_kb          ├──────────┤ 120 ms  (critical: ends last of the pair)
 *     execute_tool lookup_order       ├─┤ 20 ms
 *     chat gpt-4o (streamed)                 ├── ttft 120 ──┼ 8 tokens × 10 ms ┤
 *     state.save session                                                      ├┤ 10 ms
 */
import OpenAI from 'openai';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SpanView, type TraceSummary, type Finding, uxBand } from '@threshold/core';
import { startModelServer, type ModelServer } from '@threshold/demo';
import { init, orchestration, shutdown, state, task, tool, wrapOpenAI } from '@threshold/sdk';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';

let collector: TestCollector;
let models: ModelServer;

beforeAll(async () => {
  collector = await startTestCollector();
  models = await startModelServer();
});
afterAll(async () => {
  await models.close();
  await collector.close();
});

async function runAgent(): Promise<string> {
  const openai = wrapOpenAI(new OpenAI({ apiKey: 'test', baseURL: `${models.url}/v1`, maxRetries: 0 }));
  return task('answer-ticket', { taskClass: 'simple', sessionId: 'session-1', turn: 1 }, async (t) => {
    await state.load('session', () => sleep(20));
    await orchestration.route('router', () => sleep(5));
    await Promise.all([
      tool('search_kb', { args: { query: 'refund' }, callId: 'call_1' }, () => sleep(120)),
      tool('lookup_order', { args: { id: 7 } }, () => sleep(20)),
    ]);
    const stream = await openai.chat.completions.create(
      {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Where is my refund?' }],
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: { 'x-model-ttft-ms': '120', 'x-model-per-token-ms': '10', 'x-model-output-tokens': '8' } },
    );
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) t.firstOutput();
    await state.save('session', () => sleep(10));
    return t.span!.spanContext().traceId;
  });
}

type TraceDetail = { summary: TraceSummary; spans: SpanView[]; findings: Finding[] };

/**
 * The trace once all `spanCount` spans are analysed. Spans export in batches while the agent runs,
 * so the collector may first analyse a partial trace and re-analyse it when the rest arrives.
 */
async function fetchCompleteTrace(traceId: string, spanCount: number): Promise<TraceDetail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${collector.url}/api/traces/${traceId}`);
    if (response.status === 200) {
      const detail = (await response.json()) as TraceDetail;
      if (detail.spans.length >= spanCount || Date.now() > deadline) return detail;
    } else if (Date.now() > deadline) throw new Error(`trace ${traceId} answered ${response.status}`);
    await sleep(25);
  }
}

it('shows an SDK-instrumented agent with categories, TTFT, tool durations, breakdown and band', async () => {
  init({ serviceName: 'support-agent', endpoint: collector.url, scheduledDelayMs: 10 });
  const traceId = await runAgent();
  await shutdown();
  await waitForTraces(collector.url, 1);
  const { summary, spans } = await fetchCompleteTrace(traceId, 7);
  const byName = (name: string) => spans.find((span) => span.name === name)!;

  expect(spans.map((span) => [span.name, span.category]).sort()).toEqual([
    ['chat gpt-4o', 'llm'],
    ['execute_tool lookup_order', 'tool'],
    ['execute_tool search_kb', 'tool'],
    ['invoke_agent answer-ticket', 'task'],
    ['orchestration.route router', 'orchestration'],
    ['state.load session', 'state'],
    ['state.save session', 'state'],
  ]);
  expect(summary).toMatchObject({
    traceId,
    service: 'support-agent',
    taskClass: 'simple',
    sessionId: 'session-1',
    spanCount: 7,
    llmCalls: 1,
    toolCalls: 2,
    error: false,
  });

  const chat = byName('chat gpt-4o');
  const recordedTtftMs = (chat.attributes['gen_ai.response.time_to_first_chunk'] as number) * 1000;
  expect(chat.llm).toMatchObject({ model: 'gpt-4o', provider: 'openai', streaming: true, outputTokens: 8 });
  expect(chat.llm!.ttftMs).toBeCloseTo(recordedTtftMs, 6);
  expect(chat.llm!.ttftMs).toBeGreaterThanOrEqual(120);
  expect(summary.firstTtftMs).toBeCloseTo(recordedTtftMs, 6);

  const searchKb = byName('execute_tool search_kb');
  const lookupOrder = byName('execute_tool lookup_order');
  expect(searchKb.tool).toEqual({ name: 'search_kb', callId: 'call_1' });
  expect(searchKb.durationMs).toBeGreaterThanOrEqual(119);
  expect(lookupOrder.durationMs).toBeGreaterThanOrEqual(19);
  expect(lookupOrder.startOffsetMs + lookupOrder.durationMs).toBeLessThan(searchKb.startOffsetMs + searchKb.durationMs);
  expect(searchKb.critical).toBe(true);
  expect(lookupOrder.critical).toBe(false);

  const { breakdown } = summary;
  expect(breakdown.llm + breakdown.tool + breakdown.state + breakdown.orchestration + breakdown.other).toBeCloseTo(summary.durationMs, 6);
  expect(breakdown.tool).toBeCloseTo(searchKb.durationMs, 3);
  expect(breakdown.llm).toBeCloseTo(chat.durationMs, 3);
  expect(breakdown.state).toBeCloseTo(byName('state.load session').durationMs + byName('state.save session').durationMs, 3);
  expect(breakdown.orchestration).toBeCloseTo(byName('orchestration.route router').durationMs, 3);

  expect(summary.band).toBe(uxBand(summary.durationMs));
  expect(summary.perceivedMs).toBeGreaterThanOrEqual(chat.startOffsetMs + chat.llm!.ttftMs! - 1);
  expect(summary.perceivedMs).toBeLessThan(chat.startOffsetMs + chat.durationMs);
  expect(summary.perceivedBand).toBe(uxBand(summary.perceivedMs));
});
