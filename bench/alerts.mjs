#!/usr/bin/env node
/**
 * Cost of alerting on the built collector and core:
 *   - tick     one evaluation of the shipped rules (simple/complex P99 over 5 min, SLO burn rate
 *              over 1 h + 5 min and 6 h + 30 min) plus a model-TTFT rule, against a DuckDB store
 *              holding 6 hours of traffic: each rule's window stats computed in SQL (counts,
 *              quantile_cont, slowest three), then the verdicts. Runs every 15 s in the collector.
 *   - series   a 1-hour chart of the slow-burn rule (60 points, each a 6 h + 30 min evaluation):
 *              from one grouped count per minute (what the API does), and point by point
 *   - samples  for comparison, what shipping the 6 h of task samples to the evaluator would cost
 *              (the design this replaced): read them as rows, then evaluate in memory
 *   - metrics  rendering GET /metrics with 10 task classes × 6 bands and 20 models
 * Traffic: TASKS_PER_SECOND tasks a second for 6 h, each with one streamed llm call.
 * Figures: median of 7 runs.
 *
 *   node bench/alerts.mjs   (after `npx tsc -b`; `npm run bench -- alerts` builds first)
 */
import {
  DEFAULT_ALERT_RULES,
  alertSeriesTimes,
  burnRateBucketMs,
  burnRateSeriesFromBuckets,
  observeAlertRule,
  uxBand,
} from '../packages/core/dist/index.js';
import { AlertEvaluator } from '../collector/dist/alerts/alert-evaluator.js';
import { AlertRuleSet } from '../collector/dist/alerts/alert-rule-set.js';
import { CollectorMetrics } from '../collector/dist/metrics/collector-metrics.js';
import { DuckDbStore } from '../collector/dist/store/duckdb/duckdb-store.js';
import { DEFAULT_TASK_CLASS_CONFIG } from '../packages/core/dist/index.js';

const RUNS = 7;
const HOURS = 6;
const TASKS_PER_SECOND = Number(process.env.TASKS_PER_SECOND ?? 10);
const NOW_MS = 1_800_000_000_000;
const MODELS = Array.from({ length: 20 }, (_, i) => `model-${i}`);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A deterministic spread of durations: mostly fast, a tail past the budgets. */
function durationOf(i) {
  const u = ((i * 2654435761) % 4294967296) / 4294967296;
  return 150 + 1_800 * u * u * u + (u > 0.995 ? 4_000 : 0);
}

function analysed(i, endMs) {
  const durationMs = durationOf(i);
  const startTimeMs = endMs - durationMs;
  const taskClass = i % 4 === 0 ? 'complex' : 'simple';
  const budgetMs = DEFAULT_TASK_CLASS_CONFIG.budgetsMs[taskClass];
  const breakdown = { llm: durationMs * 0.7, tool: durationMs * 0.2, state: 0, orchestration: 0, other: durationMs * 0.1 };
  const traceId = i.toString(16).padStart(32, '0');
  const startNs = 0;
  return {
    analysis: {
      traceId,
      traceStartUnixNano: BigInt(Math.round(startTimeMs)) * 1_000_000n,
      summary: {
        traceId,
        service: 'bench-agent',
        name: `task-${i % 8}`,
        taskClass,
        startTimeMs,
        durationMs,
        perceivedMs: durationMs * 0.4,
        band: uxBand(durationMs),
        perceivedBand: uxBand(durationMs * 0.4),
        budgetMs,
        overBudget: durationMs > budgetMs,
        spanCount: 2,
        llmCalls: 1,
        toolCalls: 0,
        error: false,
        breakdown,
      },
      spans: [],
      traceSpans: [
        {
          spanId: '1'.padStart(16, '0'),
          name: 'chat',
          category: 'llm',
          service: 'bench-agent',
          status: 'ok',
          startNs,
          endNs: startNs + durationMs * 0.7 * 1e6,
          llm: { model: MODELS[i % MODELS.length], streaming: true, ttftMs: 100 + (i % 500) },
        },
      ],
      criticalPath: [],
      warnings: [],
    },
    findings: [],
    analysedSpanCount: 2,
    replacesStored: false,
  };
}

const store = await DuckDbStore.open(':memory:', { taskClasses: DEFAULT_TASK_CLASS_CONFIG });
const total = HOURS * 3_600 * TASKS_PER_SECOND;
const loadStart = performance.now();
for (let from = 0; from < total; from += 5_000) {
  const batch = [];
  for (let i = from; i < Math.min(total, from + 5_000); i++)
    batch.push(analysed(i, NOW_MS - HOURS * 3_600_000 + (i * 1_000) / TASKS_PER_SECOND));
  await store.saveAnalyses(batch);
}
console.log(
  `stored ${total.toLocaleString('en-US')} traces (${TASKS_PER_SECOND}/s over ${HOURS} h) in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
);

const rules = new AlertRuleSet(store, [
  ...DEFAULT_ALERT_RULES,
  {
    id: 'ttft',
    name: 'TTFT',
    kind: 'threshold',
    target: { kind: 'model', value: 'model-3' },
    statistic: 'p95',
    threshold: 500,
    windowMs: 300_000,
    minSamples: 20,
    holdMs: 60_000,
    severity: 'ticket',
    enabled: true,
  },
]);
await rules.load();
const clock = { nowMs: () => NOW_MS, setInterval: () => undefined, clearInterval: () => {} };
const evaluator = new AlertEvaluator({ store, rules, clock, evaluationDelayMs: 0 });

const tickMs = [];
for (let run = 0; run < RUNS; run++) {
  const t = performance.now();
  await evaluator.evaluate();
  tickMs.push(performance.now() - t);
}
console.log(
  `tick (${rules.list().length} rules over ${total.toLocaleString('en-US')} stored traces): median ${median(tickMs).toFixed(1)} ms, ${((median(tickMs) / 15_000) * 100).toFixed(2)} % of a 15 s interval`,
);

const slowBurn = rules.get('slo-slow-burn');
const seriesFrom = NOW_MS - 3_600_000;
const times = alertSeriesTimes(seriesFrom, NOW_MS, 60_000);
const bucketSeriesMs = [];
for (let run = 0; run < RUNS; run++) {
  const t = performance.now();
  const bucketMs = burnRateBucketMs(slowBurn, seriesFrom, NOW_MS, 60_000);
  const origin = seriesFrom - slowBurn.windowMs;
  const buckets = await store.alertCountBuckets({ from: origin, to: NOW_MS, bucketMs, target: slowBurn.target });
  burnRateSeriesFromBuckets(slowBurn, buckets, origin, bucketMs, times);
  bucketSeriesMs.push(performance.now() - t);
}
const pointSeriesMs = [];
for (let run = 0; run < 3; run++) {
  const t = performance.now();
  for (const at of times) await evaluator.observe(slowBurn, at);
  pointSeriesMs.push(performance.now() - t);
}
console.log(
  `series (slow burn, 60 points over 1 h): grouped counts median ${median(bucketSeriesMs).toFixed(0)} ms; point by point ${median(pointSeriesMs).toFixed(0)} ms`,
);

// The replaced design, for comparison: every task sample of the 6-hour window as a JS row.
const samplesStart = performance.now();
const rows = await store['read'](
  `SELECT trace_id, start_ms + duration_ms, duration_ms, perceived_ms, budget_ms, over_budget, task_class, service, name
   FROM traces WHERE start_ms < ? AND start_ms + duration_ms >= ?`,
  [NOW_MS, NOW_MS - HOURS * 3_600_000],
);
const tasks = rows.map((row) => ({
  traceId: row[0],
  endTimeMs: row[1],
  durationMs: row[2],
  perceivedMs: row[3],
  budgetMs: row[4],
  overBudget: row[5],
  taskClass: row[6],
  service: row[7],
  name: row[8],
}));
const readMs = performance.now() - samplesStart;
const coreStart = performance.now();
for (const rule of rules.list()) observeAlertRule(rule, { tasks, ttfts: [] }, NOW_MS);
console.log(
  `samples (replaced design): reading ${tasks.length.toLocaleString('en-US')} rows ${readMs.toFixed(0)} ms + in-memory evaluation ${(performance.now() - coreStart).toFixed(0)} ms`,
);

const metrics = new CollectorMetrics();
for (let i = 0; i < 50_000; i++) {
  const trace = analysed(i, NOW_MS).analysis;
  trace.summary.taskClass = `class-${i % 10}`;
  trace.summary.band = uxBand(durationOf(i) * (1 + (i % 6) * 2));
  metrics.observeAnalysis(trace);
}
const renderMs = [];
let bytes = 0;
for (let run = 0; run < RUNS; run++) {
  const t = performance.now();
  bytes = metrics.render().length;
  renderMs.push(performance.now() - t);
}
console.log(`GET /metrics render (${bytes.toLocaleString('en-US')} bytes): median ${median(renderMs).toFixed(2)} ms`);
await store.close();
