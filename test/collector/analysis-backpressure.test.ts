import { afterEach, describe, expect, test } from 'vitest';
import { AnalysisThroughput } from '../../collector/src/assembly/analysis-throughput.js';
import { analysisBehind, analysisShouldLead } from '../../collector/src/ingest/analysis-backpressure.js';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text-parser.js';
import { ManualClock } from './manual-clock.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf } from './otlp-json-body.js';

describe('backpressure tied to analysis lag', () => {
  test('lets ingest go on while the backlog is within the bound at half the measured rate (the margin)', () => {
    expect(analysisBehind({ lagMs: 29_000, spans: 145_000, spansPerSecond: 10_000 }, 30_000)).toBeUndefined();
    expect(analysisBehind({ lagMs: 0, spans: 150_001, spansPerSecond: 10_000 }, 30_000)?.retryAfterSeconds).toBe(1);
    expect(analysisBehind({ lagMs: 30_000, spans: 0, spansPerSecond: undefined }, 30_000)).toBeUndefined();
  });

  test('refuses once the oldest unanalysed span is older than the bound, asking to wait the excess', () => {
    const refusal = analysisBehind({ lagMs: 42_300, spans: 1_000, spansPerSecond: 50_000 }, 30_000);
    expect([refusal?.retryAfterSeconds, refusal?.message]).toEqual([
      13,
      'analysis is behind (the oldest unanalysed span was acknowledged 42 s ago; the bound is 30 s): retry later',
    ]);
  });

  test('refuses once the backlog would take longer than the bound to analyse, before the lag shows it', () => {
    const refusal = analysisBehind({ lagMs: 3_000, spans: 400_000, spansPerSecond: 20_000 }, 30_000);
    expect([refusal?.retryAfterSeconds, refusal?.message]).toEqual([
      10,
      'analysis is behind (400000 spans wait for analysis, about 40 s of work; the bound is 30 s): retry later',
    ]);
    // Before any rate is measured, 10,000 spans/s is assumed.
    expect(analysisBehind({ lagMs: 0, spans: 155_000, spansPerSecond: undefined }, 30_000)?.retryAfterSeconds).toBe(1);
    expect(analysisBehind({ lagMs: 0, spans: 150_000, spansPerSecond: undefined }, 30_000)).toBeUndefined();
    // Far behind, the wait asked is capped at 30 s, as for every refusal.
    expect(analysisBehind({ lagMs: 600_000, spans: 0, spansPerSecond: 1 }, 30_000)?.retryAfterSeconds).toBe(30);
  });
});

describe('backpressure before spilling', () => {
  test('refuses once the backlog fills what assembly holds in memory, though the estimate says it is within the bound', () => {
    const refusal = analysisBehind({ lagMs: 1_000, spans: 100_000, spansPerSecond: 1_000_000, maxHeldSpans: 100_000 }, 30_000);
    expect([refusal?.retryAfterSeconds, refusal?.message]).toEqual([
      1,
      'analysis is behind (100000 spans wait for analysis, as many as it holds in memory): retry later',
    ]);
    expect(analysisBehind({ lagMs: 1_000, spans: 99_999, spansPerSecond: 1_000_000, maxHeldSpans: 100_000 }, 30_000)).toBeUndefined();
  });
});

describe('analysis leads ingest', () => {
  test('once it is half-way to the bound, by lag or by estimated work', () => {
    expect(analysisShouldLead({ lagMs: 15_000, spans: 0, spansPerSecond: 10_000 }, 30_000)).toBe(false);
    expect(analysisShouldLead({ lagMs: 15_001, spans: 0, spansPerSecond: 10_000 }, 30_000)).toBe(true);
    expect(analysisShouldLead({ lagMs: 0, spans: 75_001, spansPerSecond: 10_000 }, 30_000)).toBe(true);
  });
});

describe('analysis throughput', () => {
  test('is the moving average of each batch over the time since the previous save', () => {
    const throughput = new AnalysisThroughput();
    expect(throughput.spansPerSecond()).toBeUndefined();
    throughput.begin(1_000);
    throughput.record(2_000, 1_100); // 20,000 spans/s
    expect(throughput.spansPerSecond()).toBe(20_000);
    throughput.record(1_000, 1_200); // 10,000 spans/s
    expect(throughput.spansPerSecond()).toBe(18_000);
    throughput.end();
    // The idle time between sweeps is not analysis time.
    throughput.begin(60_000);
    throughput.record(1_800, 60_100);
    expect(throughput.spansPerSecond()).toBe(18_000);
  });

  test('measures small batches of a sweep together, their round trips included, and forgets them between sweeps', () => {
    const throughput = new AnalysisThroughput();
    throughput.begin(1_000);
    throughput.record(21, 1_150); // 21 spans alone: a round trip, not a rate
    expect(throughput.spansPerSecond()).toBeUndefined();
    throughput.end();
    throughput.begin(5_000);
    for (let batch = 1; batch <= 5; batch++) throughput.record(200, 5_000 + 20 * batch); // 1,000 spans in 100 ms
    expect(throughput.spansPerSecond()).toBe(10_000);
    throughput.record(999, 5_200);
    expect(throughput.spansPerSecond()).toBe(10_000);
    throughput.record(1, 5_300); // 1,000 spans in 200 ms: 5,000 spans/s, weighted in
    expect(throughput.spansPerSecond()).toBe(9_000);
  });
});

describe('a collector whose analysis is behind the bound', () => {
  let collector: TestCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  test('answers ingest 503 + Retry-After instead of acknowledging more, and takes it again once analysis caught up', async () => {
    const clock = new ManualClock();
    collector = await startTestCollector({ quietPeriodMs: 100, maxAnalysisLagMs: 1_000, clock });
    const { url } = collector;
    const baseMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const body = (n: number) =>
      otlpJsonBody('lag', baseMs, [{ traceId: traceIdOf(n), spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 50 }]);
    expect((await postJson(url, body(1))).status).toBe(200);
    clock.advance(2_500); // the trace waits 2.5 s, analysis not having run
    const refused = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(2) });
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '2']);
    expect(await refused.json()).toEqual({
      code: 14,
      message: 'analysis is behind (the oldest unanalysed span was acknowledged 3 s ago; the bound is 1 s): retry later',
      details: [],
    });
    const metrics = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
    expect(sampleValue(metrics, 'threshold_ingest_refusals_total', { reason: 'analysis-behind' })).toBe(1);
    expect(sampleValue(metrics, 'threshold_analysis_lag_seconds')).toBe(2.5);
    const health = (await (await fetch(`${url}/api/health`)).json()) as { analysisLagMs: number; status: string };
    expect([health.status, health.analysisLagMs]).toEqual(['degraded', 2_500]);

    await collector.collector.analysis.sweep();
    expect((await postJson(url, body(2))).status).toBe(200);
  });
});
