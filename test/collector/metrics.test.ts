import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { UX_BAND_NAMES, type ModelsResponse, type StatsResponse, type TraceList } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedLabel, cutLabelValue } from '../../collector/src/metrics/bounded-label.js';
import { CollectorMetrics } from '../../collector/src/metrics/collector-metrics.js';
import { formatPrometheusText } from '../../collector/src/metrics/prometheus-text.js';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';
import { parsePrometheusText, sampleValue, type ParsedFamily } from '../support/prometheus-text-parser.js';
import { exportPlans, ExportResultCode, type SpanPlan } from './official-exporter.js';
import { otlpJsonBody } from './otlp-json-body.js';

/**
 * Sixty tasks, one a second, over every UX band (40 ms … 12.9 s), a third of them `complex`;
 * each but every fifth makes one streamed llm call with a known TTFT:
 *
 *   0                                   duration
 *   |invoke_agent task-i .......................|
 *        10 % |chat <model> .......| 60 %
 */
const TASKS = 60;
function taskPlan(i: number): SpanPlan {
  const durationMs = 40 + ((i * 7919) % 130) * 100;
  const startMs = i * 1_000;
  const model = i % 2 === 0 ? 'gpt-4o' : 'claude-sonnet-4';
  return {
    name: `invoke_agent task-${i % 4}`,
    startMs,
    endMs: startMs + durationMs,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'threshold.task.class': i % 3 === 0 ? 'complex' : 'simple' },
    children:
      i % 5 === 4
        ? []
        : [
            {
              name: `chat ${model}`,
              startMs: startMs + durationMs * 0.1,
              endMs: startMs + durationMs * 0.6,
              attributes: {
                'gen_ai.operation.name': 'chat',
                'gen_ai.request.model': model,
                'gen_ai.request.stream': true,
                'gen_ai.response.time_to_first_chunk': (50 + ((i * 37) % 900)) / 1_000,
              },
            },
          ],
  };
}

describe('GET /metrics', () => {
  let collector: TestCollector;
  let families: Map<string, ParsedFamily>;
  let contentType: string | null;
  let stats: StatsResponse;
  let models: ModelsResponse;
  let traces: TraceList;
  const baseMs = Math.floor(Date.now() / 1_000) * 1_000 - 600_000;

  beforeAll(async () => {
    collector = await startTestCollector();
    const exported = await exportPlans(
      new ProtoExporter({ url: `${collector.url}/v1/traces` }),
      'metrics-agent',
      baseMs,
      Array.from({ length: TASKS }, (_, i) => taskPlan(i)),
    );
    expect(exported.result.code).toBe(ExportResultCode.SUCCESS);
    // One more request with a valid root task and a span with a malformed id (rejected).
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: otlpJsonBody('metrics-agent', baseMs, [
        {
          traceId: 'a'.repeat(32),
          spanId: 'b'.repeat(16),
          name: 'invoke_agent extra',
          startMs: 70_000,
          endMs: 70_100,
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'threshold.task.class': 'simple' },
        },
        { traceId: 'a'.repeat(32), spanId: 'not-hex', name: 'broken', startMs: 70_010, endMs: 70_020 },
      ]),
    });
    expect(response.status).toBe(200);
    traces = await waitForTraces(collector.url, TASKS + 1);
    const [metricsResponse, statsResponse, modelsResponse] = await Promise.all([
      fetch(`${collector.url}/metrics`),
      fetch(`${collector.url}/api/stats?groupBy=taskClass`),
      fetch(`${collector.url}/api/models`),
    ]);
    contentType = metricsResponse.headers.get('content-type');
    families = parsePrometheusText(await metricsResponse.text());
    stats = (await statsResponse.json()) as StatsResponse;
    models = (await modelsResponse.json()) as ModelsResponse;
  });

  afterAll(async () => {
    await collector?.close();
  });

  it('answers in the Prometheus text format 0.0.4', () => {
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(families.get('threshold_task_duration_seconds')?.type).toBe('histogram');
    expect(families.get('threshold_llm_ttft_seconds')?.type).toBe('histogram');
    expect(families.get('threshold_ingest_queue_depth')?.type).toBe('gauge');
  });

  it('counts tasks per task class and band exactly as /api/stats does', () => {
    expect(stats.groups.map((group) => group.key).sort()).toEqual(['complex', 'simple']);
    for (const group of stats.groups) {
      for (const band of UX_BAND_NAMES) {
        const count = sampleValue(families, 'threshold_task_duration_seconds_count', { task_class: group.key, band }) ?? 0;
        expect({ taskClass: group.key, band, count }).toEqual({ taskClass: group.key, band, count: group.bands[band] });
      }
      // The duration sum is the mean breakdown (which sums to the mean duration) times the count.
      const sumSeconds = UX_BAND_NAMES.reduce(
        (sum, band) => sum + (sampleValue(families, 'threshold_task_duration_seconds_sum', { task_class: group.key, band }) ?? 0),
        0,
      );
      const meanMs = Object.values(group.breakdownMeanMs).reduce((a, b) => a + b, 0);
      expect(sumSeconds * 1_000).toBeCloseTo(meanMs * group.count, 6);
      expect(sampleValue(families, 'threshold_tasks_over_budget_total', { task_class: group.key }) ?? 0).toBeCloseTo(
        group.overBudgetRate * group.count,
        9,
      );
    }
  });

  it('puts each task in the buckets its duration falls in', () => {
    // Cumulative count at le=2 (seconds) over all bands = tasks of the class lasting ≤ 2 000 ms.
    for (const taskClass of ['simple', 'complex']) {
      const atMost2s = traces.traces.filter((trace) => trace.taskClass === taskClass && trace.durationMs <= 2_000).length;
      const bucket = UX_BAND_NAMES.reduce(
        (sum, band) =>
          sum + (sampleValue(families, 'threshold_task_duration_seconds_bucket', { task_class: taskClass, band, le: '2' }) ?? 0),
        0,
      );
      expect(bucket).toBe(atMost2s);
    }
  });

  it('counts TTFTs per model as /api/models counts calls', () => {
    expect(models.models.map((model) => model.model).sort()).toEqual(['claude-sonnet-4', 'gpt-4o']);
    for (const model of models.models) {
      expect(sampleValue(families, 'threshold_llm_ttft_seconds_count', { model: model.model })).toBe(model.calls);
    }
    // Fastest TTFT in the plan is 50 ms (i = 0, gpt-4o): the le=0.05 bucket holds exactly it.
    expect(sampleValue(families, 'threshold_llm_ttft_seconds_bucket', { model: 'gpt-4o', le: '0.05' })).toBe(1);
  });

  it('counts spans received and rejected, and shows an empty ingest queue once stored', () => {
    const llmCalls = Array.from({ length: TASKS }, (_, i) => i).filter((i) => i % 5 !== 4).length;
    expect(sampleValue(families, 'threshold_spans_received_total')).toBe(TASKS + llmCalls + 2);
    expect(sampleValue(families, 'threshold_spans_rejected_total')).toBe(1);
    expect(sampleValue(families, 'threshold_ingest_queue_depth')).toBe(0);
  });

  it('reports the process memory and the spans assembly holds: none pending once every trace is analysed, the analysed ones kept for late spans', () => {
    const llmCalls = Array.from({ length: TASKS }, (_, i) => i).filter((i) => i % 5 !== 4).length;
    expect(sampleValue(families, 'threshold_assembly_spans', { state: 'pending' })).toBe(0);
    expect(sampleValue(families, 'threshold_assembly_spans', { state: 'recent' })).toBe(TASKS + llmCalls + 1);
    const rss = sampleValue(families, 'process_resident_memory_bytes')!;
    const heapUsed = sampleValue(families, 'nodejs_heap_size_used_bytes')!;
    expect(heapUsed).toBeGreaterThan(0);
    expect(heapUsed).toBeLessThanOrEqual(sampleValue(families, 'nodejs_heap_size_total_bytes')!);
    expect(rss).toBeGreaterThan(heapUsed);
  });

  it('shows each default alert rule in exactly one state', () => {
    const states = families.get('threshold_alert_state')!.samples;
    const rules = [...new Set(states.map((sample) => sample.labels.rule_id))].sort();
    expect(rules).toEqual(['complex-p99-budget', 'simple-p99-budget', 'slo-fast-burn', 'slo-slow-burn']);
    for (const rule of rules) {
      expect(states.filter((sample) => sample.labels.rule_id === rule && sample.value === 1).map((sample) => sample.labels.state)).toEqual([
        'ok',
      ]);
    }
  });
});

describe('Prometheus text format', () => {
  it('escapes label values so a strict parser reads back the same text', () => {
    const nasty = 'model "x"\\beta\nline two';
    const text = formatPrometheusText([
      {
        name: 'm_total',
        help: 'a help\\with\nnewline',
        type: 'counter',
        samples: [{ name: 'm_total', labels: { model: nasty }, value: 3 }],
      },
      { name: 'g', help: 'gauge', type: 'gauge', samples: [{ name: 'g', labels: {}, value: Infinity }] },
    ]);
    expect(text).toBe(
      '# HELP m_total a help\\\\with\\nnewline\n# TYPE m_total counter\nm_total{model="model \\"x\\"\\\\beta\\nline two"} 3\n# HELP g gauge\n# TYPE g gauge\ng +Inf\n',
    );
    const parsed = parsePrometheusText(text);
    expect(parsed.get('m_total')).toEqual({
      name: 'm_total',
      type: 'counter',
      help: 'a help\\with\nnewline',
      samples: [{ name: 'm_total', labels: { model: nasty }, value: 3 }],
    });
    expect(sampleValue(parsed, 'g')).toBe(Infinity);
  });

  it('counts a re-analysed trace once', () => {
    const metrics = new CollectorMetrics();
    const analysis = {
      summary: { traceId: 'abc', taskClass: 'simple', band: 'frustrating', durationMs: 2_500, overBudget: true },
      traceSpans: [],
    } as unknown as Parameters<CollectorMetrics['observeAnalysis']>[0];
    metrics.observeAnalysis(analysis);
    metrics.observeAnalysis(analysis);
    const parsed = parsePrometheusText(metrics.render());
    expect(sampleValue(parsed, 'threshold_task_duration_seconds_count', { task_class: 'simple', band: 'frustrating' })).toBe(1);
    expect(sampleValue(parsed, 'threshold_task_duration_seconds_bucket', { task_class: 'simple', band: 'frustrating', le: '2' })).toBe(0);
    expect(sampleValue(parsed, 'threshold_task_duration_seconds_bucket', { task_class: 'simple', band: 'frustrating', le: '3' })).toBe(1);
    expect(sampleValue(parsed, 'threshold_tasks_over_budget_total', { task_class: 'simple' })).toBe(1);
  });
});

describe('bounded label values', () => {
  it('cuts a long value to its limit in characters, ending in …, never halving a surrogate pair', () => {
    expect(cutLabelValue('abcdef', 6)).toBe('abcdef');
    expect(cutLabelValue('abcdefg', 6)).toBe('abcde…');
    expect(cutLabelValue('😀😀😀', 3)).toBe('😀😀😀');
    expect(cutLabelValue('😀😀😀😀', 3)).toBe('😀😀…');
    expect(cutLabelValue('x'.repeat(16_384), 128)).toBe(`${'x'.repeat(127)}…`);
  });

  it('shows the top values by count (ties by name) and counts the rest, later values and the literal "other" in other', () => {
    const label = new BoundedLabel({ top: 2, maxTracked: 3, maxLength: 8 });
    const filed = ['b', 'a', 'c', 'c', 'd', 'other', 'a', 'a-very-long-value'].map((value) => label.admit(value));
    // "d" and the long value arrive after three values are tracked: counted in other from the start.
    expect(filed).toEqual(['b', 'a', 'c', 'c', 'other', 'other', 'a', 'other']);
    expect([...label.shown()]).toEqual(['a', 'c']);
    expect(['a', 'b', 'c', 'other'].map((value) => BoundedLabel.fold(value, label.shown()))).toEqual(['a', 'other', 'c', 'other']);
  });

  it('folds task classes outside the top into other in the histogram and the over-budget counter alike', () => {
    const metrics = new CollectorMetrics();
    const observe = (traceId: string, taskClass: string, overBudget: boolean) =>
      metrics.observeAnalysis({
        summary: { traceId, taskClass, band: 'instant', durationMs: 50, overBudget },
        traceSpans: [],
      } as unknown as Parameters<CollectorMetrics['observeAnalysis']>[0]);
    for (let i = 0; i < 25; i++) observe(`t${i}`, `class-${String(i).padStart(2, '0')}`, true);
    observe('t-extra', 'class-24', false);
    const parsed = parsePrometheusText(metrics.render());
    const classes = new Set(parsed.get('threshold_task_duration_seconds')!.samples.map((sample) => sample.labels.task_class));
    // class-24 has two tasks, so it leads; then 19 of the one-task classes by name; 5 in other.
    expect([...classes].sort()).toEqual(
      ['class-24', ...Array.from({ length: 19 }, (_, i) => `class-${String(i).padStart(2, '0')}`), 'other'].sort(),
    );
    expect(sampleValue(parsed, 'threshold_task_duration_seconds_count', { task_class: 'other', band: 'instant' })).toBe(5);
    expect(sampleValue(parsed, 'threshold_task_duration_seconds_count', { task_class: 'class-24', band: 'instant' })).toBe(2);
    expect(sampleValue(parsed, 'threshold_tasks_over_budget_total', { task_class: 'other' })).toBe(5);
    expect(sampleValue(parsed, 'threshold_tasks_over_budget_total', { task_class: 'class-24' })).toBe(1);
  });
});
