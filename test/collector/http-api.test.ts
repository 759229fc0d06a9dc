import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceDetail, TraceSummary } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf, type JsonSpanPlan } from './otlp-json-body.js';

const dashboardDir = mkdtempSync(join(tmpdir(), 'threshold-dashboard-'));
mkdirSync(join(dashboardDir, 'assets'));
writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Threshold</title><div id="root"></div>');
writeFileSync(join(dashboardDir, 'assets', 'app.js'), 'console.log("app");');

describe('findings', () => {
  test('the findings provider sees each analysed trace; its findings are stored and shown in the detail', async () => {
    const seen: string[] = [];
    const collector = await startTestCollector({
      findingsProvider: (analysis) => {
        seen.push(analysis.traceId);
        return [
          {
            ruleId: 'parallelize-tools',
            title: 'Run the tools in parallel',
            detail: `${analysis.spans.length} spans`,
            savingMs: 12.5,
            evidenceSpanIds: [analysis.spans[0].spanId],
          },
        ];
      },
    });
    try {
      const traceId = traceIdOf(0xf1);
      const body = otlpJsonBody('findings', Date.now() - 3_000, [{ traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 90 }]);
      expect((await postJson(collector.url, body)).status).toBe(200);
      await waitForTraces(collector.url, 1);
      const detail = (await (await fetch(`${collector.url}/api/traces/${traceId}`)).json()) as TraceDetail;
      expect(seen).toEqual([traceId]);
      expect(detail.findings).toEqual([
        {
          ruleId: 'parallelize-tools',
          title: 'Run the tools in parallel',
          detail: '1 spans',
          savingMs: 12.5,
          evidenceSpanIds: [spanIdOf(1)],
        },
      ]);
      const stored = await collector.collector.store.findings({});
      expect(stored.map((finding) => [finding.traceId, finding.ruleId, finding.savingMs, finding.durationMs])).toEqual([
        [traceId, 'parallelize-tools', 12.5, 90],
      ]);
    } finally {
      await collector.close();
    }
  });
});

describe('the HTTP API', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ dashboardDir });
  });
  afterAll(async () => {
    await collector.close();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  test.each([
    ['/api/traces?limit=abc', 'limit must be a whole number, got "abc"'],
    ['/api/traces?limit=1001', 'limit must be between 1 and 1000, got 1001'],
    ['/api/traces?limit=0', 'limit must be between 1 and 1000, got 0'],
    ['/api/traces?offset=-1', 'offset must be a whole number, got "-1"'],
    ['/api/traces?band=slow', 'band must be one of instant, responsive, noticeable, frustrating, uncomfortable, broken, got "slow"'],
    ['/api/traces?from=yesterday', 'from must be a number, got "yesterday"'],
    ['/api/traces?from=2000&to=1000', 'to must not be before from'],
    ['/api/traces?minDurationMs=-5', 'minDurationMs must be at least 0, got -5'],
    ['/api/traces?limit=1&limit=2', 'limit must be given once'],
    ['/api/stats?groupBy=model', 'groupBy must be one of taskClass, service, name, got "model"'],
    ['/api/timeseries?bucketMs=0', 'bucketMs must be at least 1, got 0'],
    ['/api/timeseries?groupBy=name', 'groupBy must be one of taskClass, service, got "name"'],
    ['/api/operations?category=llm', 'category must be one of tool, state, orchestration, got "llm"'],
    ['/api/sessions?limit=5000', 'limit must be between 1 and 1000, got 5000'],
  ])('%s is a 400 saying why', async (path, message) => {
    const response = await fetch(`${collector.url}${path}`);
    expect([response.status, await response.json()]).toEqual([400, { error: message }]);
  });

  test('an unknown trace id is a 404; a malformed one a 400 naming the parameter', async () => {
    const unknown = await fetch(`${collector.url}/api/traces/${traceIdOf(0xdead)}`);
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: `trace ${traceIdOf(0xdead)} not found` }]);
    const malformed = await fetch(`${collector.url}/api/traces/not-a-trace-id`);
    expect([malformed.status, await malformed.json()]).toEqual([400, { error: 'traceId must be 32 hex characters, got "not-a-trace-id"' }]);
  });

  test('health reports the store and the queues', async () => {
    // A collector of its own: the other tests' traces would be waiting for analysis here, whatever ran first.
    const idle = await startTestCollector();
    let health: Record<string, unknown>;
    try {
      // Until its first look into the store, a collector counts what an earlier run may have left as waiting.
      await idle.collector.analysis.sweep();
      health = (await (await fetch(`${idle.url}/api/health`)).json()) as Record<string, unknown>;
    } finally {
      await idle.close();
    }
    expect({ ...health, uptimeMs: typeof health.uptimeMs }).toEqual({
      status: 'ok',
      reasons: [],
      version: '0.1.0',
      store: 'duckdb',
      uptimeMs: 'number',
      pendingTraces: 0,
      ingestQueueDepth: 0,
      analysisLagMs: 0,
      spansOverTraceCap: 0,
    });
  });

  test('the dashboard is served at / with index.html for client-side routes, not for API paths', async () => {
    const root = await fetch(`${collector.url}/`);
    expect([root.status, await root.text()]).toEqual([200, '<!doctype html><title>Threshold</title><div id="root"></div>']);
    const deepLink = await fetch(`${collector.url}/traces/${traceIdOf(1)}`);
    expect([deepLink.status, (await deepLink.text()).includes('id="root"')]).toEqual([200, true]);
    const asset = await fetch(`${collector.url}/assets/app.js`);
    expect([asset.status, asset.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    const unknownApi = await fetch(`${collector.url}/api/no-such-view`);
    expect([unknownApi.status, unknownApi.headers.get('content-type'), await unknownApi.json()]).toEqual([
      404,
      'application/json; charset=utf-8',
      { error: 'no API route at GET "/api/no-such-view"' },
    ]);
  });

  test('/api/live streams each analysed trace as an SSE trace event', async () => {
    const controller = new AbortController();
    const response = await fetch(`${collector.url}/api/live`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const traceId = traceIdOf(0x5e);
    const body = otlpJsonBody('live', Date.now() - 2_000, [{ traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 120 }]);
    expect((await postJson(collector.url, body)).status).toBe(200);
    let text = '';
    while (!text.includes('event: trace\n')) text += (await reader.read()).value ?? '';
    while (!text.endsWith('\n\n')) text += (await reader.read()).value ?? '';
    controller.abort();
    const event = text.slice(text.indexOf('event: trace\n'));
    const summary = JSON.parse(event.split('\n')[1].slice('data: '.length)) as TraceSummary;
    expect([summary.traceId, summary.service, summary.durationMs]).toEqual([traceId, 'live', 120]);
  });

  test('a trace of 10,000 spans is stored and analysed whole', { timeout: 120_000 }, async () => {
    // A task 0–10,000 ms running 9,999 one-millisecond tools back to back, then 1 ms of its own.
    const traceId = traceIdOf(0x10_000);
    const spans: JsonSpanPlan[] = [
      {
        traceId,
        spanId: spanIdOf(1),
        name: 'big task',
        startMs: 0,
        endMs: 10_000,
        attributes: { 'gen_ai.operation.name': 'invoke_agent' },
      },
    ];
    for (let i = 0; i < 9_999; i++) {
      spans.push({
        traceId,
        spanId: spanIdOf(i + 2),
        parentSpanId: spanIdOf(1),
        name: 'execute_tool step',
        startMs: i,
        endMs: i + 1,
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'step' },
      });
    }
    expect((await postJson(collector.url, otlpJsonBody('big', Date.now() - 60_000, spans))).status).toBe(200);
    await waitForTraces(collector.url, 1, { query: 'service=big', timeoutMs: 90_000 });
    const detail = (await (await fetch(`${collector.url}/api/traces/${traceId}`)).json()) as TraceDetail;
    expect([
      detail.summary.spanCount,
      detail.summary.toolCalls,
      detail.summary.taskClass,
      detail.summary.band,
      detail.spans.length,
    ]).toEqual([10_000, 9_999, 'complex', 'broken', 10_000]);
    expect(detail.summary.breakdown).toEqual({ llm: 0, tool: 9_999, state: 0, orchestration: 0, other: 1 });
  });
});
