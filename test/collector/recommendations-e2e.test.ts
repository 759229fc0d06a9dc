import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Attributes } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingRuleId, RecommendationsResponse, TraceDetail, WhatIfTraceResponse, WhatIfWindowResponse } from '@threshold/core';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { exportPlans, ExportResultCode, type SpanPlan } from './official-exporter.js';

/**
 * Agents with each latency anti-pattern, sent by the official OTLP/protobuf exporter. A first
 * export gives the collector the history cross-trace rules need (a faster model, a task's usual
 * steps, a session's earlier turns, a tool's warm time); the second carries one target trace per
 * anti-pattern, each expected to produce exactly its finding with an exact saving.
 */
const task = (name: string, endMs: number, children: SpanPlan[], attributes: Attributes = {}): SpanPlan => ({
  name,
  startMs: 0,
  endMs,
  attributes: { 'gen_ai.operation.name': 'invoke_agent', ...attributes },
  children,
});
const llm = (name: string, startMs: number, endMs: number, model: string, attributes: Attributes = {}): SpanPlan => ({
  name,
  startMs,
  endMs,
  attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': model, ...attributes },
});
/** The answer every trace but the stream-answer one ends with: streamed, 200 ms to first token. */
const streamedAnswer = (startMs: number, endMs: number, model = 'gpt-big') =>
  llm('answer', startMs, endMs, model, {
    'gen_ai.request.stream': true,
    'gen_ai.response.time_to_first_chunk': 0.2,
    'gen_ai.usage.output_tokens': 300,
  });
const tool = (name: string, startMs: number, endMs: number, attributes: Attributes = {}): SpanPlan => ({
  name: `execute_tool ${name}`,
  startMs,
  endMs,
  attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name, ...attributes },
});
const intent = (startMs: number, endMs: number, model: string) =>
  llm('intent', startMs, endMs, model, {
    'threshold.llm.purpose': 'intent',
    'gen_ai.usage.input_tokens': 200,
    'gen_ai.usage.output_tokens': 5,
  });
/** support: intent → crm → answer. */
const support = (intentMs: number, model: string) =>
  task('support', intentMs + 700, [
    intent(0, intentMs, model),
    tool('crm', intentMs, intentMs + 200),
    streamedAnswer(intentMs + 200, intentMs + 700),
  ]);
/** chat turn of session conv-1: input grows 1,000 tokens a turn, TTFT 200 ms + 0.1 ms per token. */
const chatTurn = (turn: number) => {
  const ttftMs = 200 + turn * 100;
  return task(
    'chat',
    100 + ttftMs + 800,
    [
      llm('reply', 100, 100 + ttftMs + 800, 'gpt-long', {
        'gen_ai.request.stream': true,
        'gen_ai.response.time_to_first_chunk': ttftMs / 1000,
        'gen_ai.usage.input_tokens': turn * 1000,
        'gen_ai.usage.output_tokens': 41,
      }),
    ],
    { 'gen_ai.conversation.id': 'conv-1', 'threshold.turn': turn },
  );
};

const history: SpanPlan[] = [
  ...[100, 110, 120, 130, 140].map((ms) => support(ms, 'small')),
  ...[800, 900, 1000, 1100, 1200].map((ms) => support(ms, 'big')),
  task('run-code', 500, [tool('sandbox', 0, 300), streamedAnswer(300, 500)]),
  ...[1, 2, 3, 4].map(chatTurn),
];

const targets: Record<string, { plan: SpanPlan; expected: Array<[FindingRuleId, number]> }> = {
  //  search |====| answer |==========| (not streamed)          perceived 1400 → 400 + 200
  stream: {
    plan: task('answer-question', 1400, [
      tool('search', 0, 400),
      llm('answer', 400, 1400, 'gpt-big', { 'gen_ai.request.stream': false, 'gen_ai.usage.output_tokens': 300 }),
    ]),
    expected: [['stream-answer', 800]],
  },
  //  weather |=| calendar |=| traffic |=| answer |==|            300 in sequence, 100 longest
  parallelize: {
    plan: task('plan-day', 550, [tool('weather', 0, 100), tool('calendar', 100, 200), tool('traffic', 200, 300), streamedAnswer(300, 500)]),
    expected: [['parallelize-tools', 200]],
  },
  //  lookup(x) |==| lookup(x) |==| answer |==|
  cache: {
    plan: task('lookup-order', 600, [
      tool('lookup', 0, 200, { 'threshold.tool.args_hash': 'order-42' }),
      tool('lookup', 200, 400, { 'threshold.tool.args_hash': 'order-42' }),
      streamedAnswer(400, 600),
    ]),
    expected: [['cache-tool-results', 200]],
  },
  //  sandbox (cold) |=========================| answer |===|    warm sandbox: 300 ms
  prewarm: {
    plan: task('run-code', 2900, [tool('sandbox', 0, 2500, { 'threshold.tool.cold_start': true }), streamedAnswer(2500, 2900)]),
    expected: [['prewarm', 2200]],
  },
  //  load |==| llm |==| llm |==| save |=|                        400 ms state for 2 calls
  state: {
    plan: task('remember', 800, [
      { name: 'load session', startMs: 0, endMs: 250, attributes: { 'threshold.state.operation': 'load' } },
      streamedAnswer(250, 450),
      streamedAnswer(450, 650),
      { name: 'save session', startMs: 650, endMs: 800, attributes: { 'threshold.state.operation': 'save' } },
    ]),
    expected: [['state-overhead', 200]],
  },
  //  rate-limit wait |=| answer |==|                              100 ms for 1 call
  orchestration: {
    plan: task('reply', 300, [
      { name: 'rate limit', startMs: 0, endMs: 100, attributes: { 'threshold.orchestration.kind': 'rate_limit' } },
      streamedAnswer(100, 300),
    ]),
    expected: [['orchestration-overhead', 80]],
  },
  //  intent on big (1000 ms; small does it in 120) |crm| answer  and crm always follows intent
  routeAndSpeculate: {
    plan: support(1000, 'big'),
    expected: [
      ['route-model', 880],
      ['speculate', 200],
    ],
  },
  //  turn 5: 5,000 input tokens, TTFT 700 ms                      0.1 ms/token × 2,500 removed
  compress: { plan: chatTurn(5), expected: [['compress-context', 250]] },
};

describe('recommendations end to end', () => {
  let collector: TestCollector;
  const targetIds: Record<string, string> = {};

  beforeAll(async () => {
    collector = await startTestCollector();
    const baseMs = Date.now() - 600_000;
    const send = async (plans: SpanPlan[], startMs: number) => {
      const traceIds: string[] = [];
      // One second apart, in order, so sessions and histories have a time order.
      for (const [i, plan] of plans.entries()) {
        const sent = await exportPlans(new ProtoExporter({ url: `${collector.url}/v1/traces` }), 'agent', startMs + i * 1000, [plan]);
        expect(sent.result.code).toEqual(ExportResultCode.SUCCESS);
        traceIds.push(...sent.traceIds);
      }
      return traceIds;
    };
    await send(history, baseMs);
    await waitForTraces(collector.url, history.length);
    const names = Object.keys(targets);
    const ids = await send(
      names.map((name) => targets[name].plan),
      baseMs + 300_000,
    );
    names.forEach((name, i) => (targetIds[name] = ids[i]));
    await waitForTraces(collector.url, history.length + names.length);
  });

  afterAll(async () => {
    await collector?.close();
  });

  it('GET /api/traces/:id carries each anti-pattern’s finding with its exact saving', async () => {
    const found: Record<string, Array<[FindingRuleId, number]>> = {};
    for (const name of Object.keys(targets)) {
      const detail = (await (await fetch(`${collector.url}/api/traces/${targetIds[name]}`)).json()) as TraceDetail;
      found[name] = detail.findings.map((finding) => [finding.ruleId, Math.round(finding.savingMs * 1e6) / 1e6]);
      for (const finding of detail.findings) {
        for (const spanId of finding.evidenceSpanIds) expect(detail.spans.some((span) => span.spanId === spanId)).toBe(true);
      }
    }
    expect(found).toEqual(Object.fromEntries(Object.entries(targets).map(([name, { expected }]) => [name, expected])));
  });

  it('GET /api/recommendations ranks every rule with the traces it affects', async () => {
    const response = (await (await fetch(`${collector.url}/api/recommendations`)).json()) as RecommendationsResponse;
    expect(response.tracesAnalysed).toEqual(history.length + Object.keys(targets).length);
    const byRule = new Map(response.recommendations.map((recommendation) => [recommendation.ruleId, recommendation]));
    expect([...byRule.keys()].sort()).toEqual([
      'cache-tool-results',
      'compress-context',
      'orchestration-overhead',
      'parallelize-tools',
      'prewarm',
      'route-model',
      'speculate',
      'state-overhead',
      'stream-answer',
    ]);
    const single = ['stream', 'parallelize', 'cache', 'prewarm', 'state', 'orchestration'] as const;
    for (const name of single) {
      const [ruleId, savingMs] = targets[name].expected[0];
      expect([byRule.get(ruleId)!.tracesAffected, byRule.get(ruleId)!.totalSavingMs, byRule.get(ruleId)!.exampleTraceIds]).toEqual([
        1,
        savingMs,
        [targetIds[name]],
      ]);
    }
    expect(byRule.get('compress-context')!.exampleTraceIds).toContain(targetIds.compress);
    expect(byRule.get('stream-answer')!.perceived).toBe(true);
    const p99Savings = response.recommendations.map((recommendation) => recommendation.p99SavingMs);
    expect(p99Savings).toEqual([...p99Savings].sort((a, b) => b - a));
    const otherService = (await (await fetch(`${collector.url}/api/recommendations?service=elsewhere`)).json()) as RecommendationsResponse;
    expect(otherService).toEqual({ recommendations: [], tracesAnalysed: 0 });
  });

  it('POST /api/whatif projects a trace with its findings applied', async () => {
    const response = await fetch(`${collector.url}/api/whatif`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ traceId: targetIds.parallelize }),
    });
    const whatIf = (await response.json()) as WhatIfTraceResponse;
    expect([
      whatIf.before.summary.durationMs,
      whatIf.after.summary.durationMs,
      whatIf.after.summary.band,
      whatIf.applied.map((f) => f.ruleId),
    ]).toEqual([550, 350, 'responsive', ['parallelize-tools']]);
    const tools = whatIf.after.spans
      .filter((span) => span.category === 'tool')
      .map((span) => [span.name, span.startOffsetMs, span.durationMs]);
    expect(tools.sort()).toEqual([
      ['execute_tool calendar', 0, 100],
      ['execute_tool traffic', 0, 100],
      ['execute_tool weather', 0, 100],
    ]);
  });

  it('POST /api/whatif projects a window per task class', async () => {
    const response = await fetch(`${collector.url}/api/whatif`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ruleIds: ['prewarm'] }),
    });
    const whatIf = (await response.json()) as WhatIfWindowResponse;
    expect(whatIf.classes.reduce((sum, projection) => sum + projection.count, 0)).toEqual(history.length + Object.keys(targets).length);
    // Only the cold sandbox trace changes (2,900 ms → 700 ms): frustrating → noticeable.
    const simple = whatIf.classes.find((projection) => projection.taskClass === 'simple')!;
    expect([simple.after.bands.frustrating, simple.after.bands.noticeable]).toEqual([
      simple.before.bands.frustrating - 1,
      simple.before.bands.noticeable + 1,
    ]);
  });

  it('POST /api/whatif answers 400 for a bad body and 404 for an unknown trace', async () => {
    const post = (body: string) =>
      fetch(`${collector.url}/api/whatif`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('{"ruleIds":["faster"]}')).status).toEqual(400);
    expect((await post('{not json')).status).toEqual(400);
    expect((await post(JSON.stringify({ traceId: 'f'.repeat(32) }))).status).toEqual(404);
  });
});
