import { DEFAULT_TASK_CLASS_CONFIG, type FiltersResponse, type TraceList } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SPAN_LABEL_LIMITS } from '../../collector/src/metrics/collector-metrics.js';
import { cutLabelValue } from '../../collector/src/metrics/bounded-label.js';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { parsePrometheusText, type ParsedFamily } from '../support/prometheus-text-parser.js';
import { STORE_ENGINES } from '../store/store-engines.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf, type JsonSpanPlan } from './otlp-json-body.js';

/**
 * A sender inventing task classes, models and services must not break `/metrics` or
 * `/api/filters` (12 requests of 16 KB values once made `/metrics` a 500 and `/api/filters` 38 MB).
 *
 * Through real OTLP ingest: 55 ordinary traces (30 `simple`, 25 `complex`, all on `gpt-4o`, service
 * `agent`) and 300 invented ones, each in its own service `svc-NNNN`, with its own 16 KB model;
 * the first 150 have short task classes `class-NNNN`, the other 150 16 KB ones (`NNNN-xxx…`).
 * On each store engine, since `/api/filters` is a query of the store.
 */
const ORDINARY = { simple: 30, complex: 25 };
const INVENTED = 300;
const SHORT_CLASSES = 150;
const VALUE_CHARS = 16_384;
const pad = (i: number) => String(i).padStart(4, '0');
const inventedClass = (i: number) => (i < SHORT_CLASSES ? `class-${pad(i)}` : `${pad(i)}-`.padEnd(VALUE_CHARS, 'x'));
const inventedModel = (i: number) => `${pad(i)}-`.padEnd(VALUE_CHARS, 'm');

interface PlannedTrace {
  service: string;
  taskClass: string;
  model: string;
}

const ordinary: PlannedTrace[] = Object.entries(ORDINARY).flatMap(([taskClass, count]) =>
  Array.from({ length: count }, () => ({ service: 'agent', taskClass, model: 'gpt-4o' })),
);
const invented: PlannedTrace[] = Array.from({ length: INVENTED }, (_, i) => ({
  service: `svc-${pad(i)}`,
  taskClass: inventedClass(i),
  model: inventedModel(i),
}));

/** One resource per trace: a 300 ms task with one streamed llm call (TTFT 80 ms). */
function exportBody(baseMs: number, traces: PlannedTrace[], firstIndex: number): string {
  const resourceSpans = traces.flatMap((trace, offset) => {
    const traceId = traceIdOf(0x10_000 + firstIndex + offset);
    const spans: JsonSpanPlan[] = [
      {
        traceId,
        spanId: spanIdOf(1),
        name: 'invoke_agent task',
        startMs: 0,
        endMs: 300,
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'threshold.task.class': trace.taskClass },
      },
      {
        traceId,
        spanId: spanIdOf(2),
        parentSpanId: spanIdOf(1),
        name: 'chat',
        startMs: 10,
        endMs: 200,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': trace.model,
          'gen_ai.request.stream': true,
          'gen_ai.response.time_to_first_chunk': 0.08,
        },
      },
    ];
    return (JSON.parse(otlpJsonBody(trace.service, baseMs, spans)) as { resourceSpans: unknown[] }).resourceSpans;
  });
  return JSON.stringify({ resourceSpans });
}

/** Sum of a histogram's `_count` samples whose label `name` is `value`. */
function countWhere(families: Map<string, ParsedFamily>, family: string, name: string, value: string): number {
  return families
    .get(family)!
    .samples.filter((sample) => sample.name === `${family}_count` && sample.labels[name] === value)
    .reduce((sum, sample) => sum + sample.value, 0);
}

function labelValues(families: Map<string, ParsedFamily>, family: string, name: string): string[] {
  return [...new Set(families.get(family)!.samples.map((sample) => sample.labels[name]))].sort();
}

describe.each(STORE_ENGINES)('a flood of invented label values on $engine.name', ({ engine }) => {
  let collector: TestCollector;
  beforeAll(async () => {
    await engine.setUp();
    collector = await startTestCollector(engine.collectorOptions());
    const baseMs = Date.now() - 120_000;
    const all = [...ordinary, ...invented];
    // Twelve requests, as in the report that broke /metrics.
    const perRequest = Math.ceil(all.length / 12);
    for (let first = 0; first < all.length; first += perRequest) {
      expect((await postJson(collector.url, exportBody(baseMs, all.slice(first, first + perRequest), first))).status).toBe(200);
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      const list = (await (await fetch(`${collector.url}/api/traces?limit=1`)).json()) as TraceList;
      if (list.total === all.length) break;
      if (Date.now() > deadline) throw new Error(`${list.total} of ${all.length} traces analysed`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 120_000);
  afterAll(async () => {
    await collector?.close();
    await engine.tearDown();
  });

  test('/metrics shows the 20 most frequent task classes and models, cut to 128 characters, and counts the rest in "other" exactly', async () => {
    const response = await fetch(`${collector.url}/metrics`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text.length).toBeLessThan(256 * 1024);
    const families = parsePrometheusText(text);

    // Ties (one trace each) go by name: the 16 KB classes ("0150-…") sort before "class-…".
    const shownInventedClasses = Array.from({ length: SPAN_LABEL_LIMITS.top - 2 }, (_, i) =>
      cutLabelValue(inventedClass(SHORT_CLASSES + i), 128),
    );
    expect(labelValues(families, 'threshold_task_duration_seconds', 'task_class')).toEqual(
      ['complex', 'other', 'simple', ...shownInventedClasses].sort(),
    );
    expect(shownInventedClasses[0]).toBe(`0150-${'x'.repeat(122)}…`);
    expect(countWhere(families, 'threshold_task_duration_seconds', 'task_class', 'simple')).toBe(ORDINARY.simple);
    expect(countWhere(families, 'threshold_task_duration_seconds', 'task_class', 'complex')).toBe(ORDINARY.complex);
    for (const label of shownInventedClasses) expect(countWhere(families, 'threshold_task_duration_seconds', 'task_class', label)).toBe(1);
    expect(countWhere(families, 'threshold_task_duration_seconds', 'task_class', 'other')).toBe(INVENTED - shownInventedClasses.length);

    const shownInventedModels = Array.from({ length: SPAN_LABEL_LIMITS.top - 1 }, (_, i) => cutLabelValue(inventedModel(i), 128));
    expect(labelValues(families, 'threshold_llm_ttft_seconds', 'model')).toEqual(['gpt-4o', 'other', ...shownInventedModels].sort());
    expect(countWhere(families, 'threshold_llm_ttft_seconds', 'model', 'gpt-4o')).toBe(ORDINARY.simple + ORDINARY.complex);
    expect(countWhere(families, 'threshold_llm_ttft_seconds', 'model', 'other')).toBe(INVENTED - shownInventedModels.length);
    for (const family of ['threshold_task_duration_seconds', 'threshold_llm_ttft_seconds']) {
      for (const sample of families.get(family)!.samples) {
        for (const value of Object.values(sample.labels)) expect([...value].length).toBeLessThanOrEqual(128);
      }
    }
  });

  test('/api/filters lists the 100 most frequent services and task classes no longer than 256 characters, and says more exist', async () => {
    const response = await fetch(`${collector.url}/api/filters`);
    const text = await response.text();
    expect(text.length).toBeLessThan(16 * 1024);
    const filters = JSON.parse(text) as FiltersResponse;
    const listedClasses = Array.from({ length: 98 }, (_, i) => inventedClass(i));
    expect(filters).toEqual({
      services: ['agent', ...Array.from({ length: 99 }, (_, i) => `svc-${pad(i)}`)],
      taskClasses: ['complex', 'simple', ...listedClasses].sort(),
      budgetsMs: {
        simple: 2_000,
        complex: 5_000,
        ...Object.fromEntries(listedClasses.map((taskClass) => [taskClass, DEFAULT_TASK_CLASS_CONFIG.defaultBudgetMs])),
      },
      moreServices: true,
      moreTaskClasses: true,
    });
  });
});
