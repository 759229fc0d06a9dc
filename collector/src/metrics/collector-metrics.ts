import { spanFactsOf, type AlertRule, type AlertRuleState, type AlertStateName, type TraceAnalysis } from '@threshold/core';
import { BoundedLabel, type BoundedLabelLimits } from './bounded-label.js';
import { LabeledHistogram } from './labeled-histogram.js';
import type { StoreFaultCounts, StoreFaultKind } from '../store/store-fault.js';
import { formatPrometheusText, type MetricFamily } from './prometheus-text.js';

/**
 * What `GET /metrics` exposes, so teams can alert with Alertmanager and chart with Grafana:
 * task durations by task class and UX band, TTFT by model, spans received and rejected, the
 * ingest queue's depth and every alert rule's state.
 *
 * Bucket bounds include every UX band edge (0.1, 0.5, 2, 5, 10 s) and the default budgets (2 s,
 * 5 s), so band counts and over-budget counts read exactly off the buckets.
 *
 * A trace counts once, at its first analysis: a late span re-analyses it, but a histogram cannot
 * take an observation back. The ids of the last 100,000 counted traces are remembered for that.
 *
 * Task classes and models come from spans, so any sender can invent them: each label shows its 20
 * most frequent values on their own and the rest as `other`, values cut to 128 characters
 * (`BoundedLabel`), so a scrape stays small whatever arrives.
 */
export const TASK_DURATION_BOUNDS_S = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 30, 60, 120];
export const TTFT_BOUNDS_S = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];
const COUNTED_TRACE_MEMORY = 100_000;
const ALERT_STATES: readonly AlertStateName[] = ['ok', 'pending', 'firing', 'resolved'];
/** Task classes and models shown on their own at a scrape, counted one by one, and their longest value. */
export const SPAN_LABEL_LIMITS: BoundedLabelLimits = { top: 20, maxTracked: 1_000, maxLength: 128 };

export interface CollectorMetricsSources {
  /** Spans waiting in the ingest queue now. */
  ingestQueueDepth: () => number;
  /** Spans held in memory for trace assembly: awaiting analysis, and recently analysed (for late spans). */
  heldSpans?: () => { pending: number; recent: number };
  /** Every rule with its current state. */
  alertStates?: () => Array<{ rule: AlertRule; state: AlertRuleState }>;
  /** The store's faults in effect and counted since start. */
  storeFaults?: () => { active: StoreFaultKind[]; totals: StoreFaultCounts };
  /** How long the oldest acknowledged span waiting for analysis has waited, in ms. */
  analysisLagMs?: () => number;
}

/** Why an ingest request was refused with 503 (see ingest/store-refusal.ts). */
export type IngestRefusalReason = 'queue-full' | 'analysis-behind' | 'deadline' | 'store-unavailable' | 'store-error';
const INGEST_REFUSAL_REASONS: readonly IngestRefusalReason[] = [
  'queue-full',
  'analysis-behind',
  'deadline',
  'store-unavailable',
  'store-error',
];
const STORE_FAULT_KINDS: readonly StoreFaultKind[] = ['invalidated', 'disk-full', 'out-of-memory', 'recovering'];

export class CollectorMetrics {
  private readonly taskDuration = new LabeledHistogram(
    'threshold_task_duration_seconds',
    'Wall time of agent tasks, by task class and UX band.',
    TASK_DURATION_BOUNDS_S,
  );
  private readonly ttft = new LabeledHistogram('threshold_llm_ttft_seconds', 'Time to first token of llm calls, by model.', TTFT_BOUNDS_S);
  private readonly taskClasses = new BoundedLabel(SPAN_LABEL_LIMITS);
  private readonly models = new BoundedLabel(SPAN_LABEL_LIMITS);
  private readonly overBudget = new Map<string, number>();
  private spansReceived = 0;
  private spansRejected = 0;
  private spansOverTraceCapCount = 0;
  private readonly deliveries = new Map<string, number>();
  private readonly ingestRefusals = new Map<IngestRefusalReason, number>();
  private readonly counted = new Set<string>();
  private sources: CollectorMetricsSources = { ingestQueueDepth: () => 0 };

  /** The process's memory (standard Prometheus names) and the spans assembly holds in memory. */
  private memoryFamilies(): MetricFamily[] {
    const memory = process.memoryUsage();
    const held = this.sources.heldSpans?.();
    const families = [
      gauge('process_resident_memory_bytes', 'Resident set size of the collector process.', memory.rss),
      gauge('nodejs_heap_size_used_bytes', 'JavaScript heap in use.', memory.heapUsed),
      gauge('nodejs_heap_size_total_bytes', 'JavaScript heap reserved.', memory.heapTotal),
      gauge('nodejs_external_memory_bytes', 'Memory of native objects bound to JavaScript ones (buffers included).', memory.external),
    ];
    if (held) {
      families.push({
        name: 'threshold_assembly_spans',
        help: 'Spans held in memory by trace assembly: awaiting analysis (beyond the cap they wait in the store), and recently analysed.',
        type: 'gauge',
        samples: [
          { name: 'threshold_assembly_spans', labels: { state: 'pending' }, value: held.pending },
          { name: 'threshold_assembly_spans', labels: { state: 'recent' }, value: held.recent },
        ],
      });
    }
    return families;
  }

  /** Connects the gauges read at scrape time. */
  setSources(sources: CollectorMetricsSources): void {
    this.sources = sources;
  }

  /** Counts spans of an export request: accepted ones and those rejected as invalid. */
  recordExport(acceptedSpans: number, rejectedSpans: number): void {
    this.spansReceived += acceptedSpans + rejectedSpans;
    this.spansRejected += rejectedSpans;
  }

  /** Counts spans left out of a trace's analysis by the spans-per-trace cap (again at each re-analysis). */
  recordSpansOverTraceCap(spans: number): void {
    this.spansOverTraceCapCount += spans;
  }

  /** Spans left out of analyses by the spans-per-trace cap since start. */
  get spansOverTraceCap(): number {
    return this.spansOverTraceCapCount;
  }

  /** Counts an ingest request answered 503 because its spans could not be stored (in time). */
  recordIngestRefusal(reason: IngestRefusalReason): void {
    this.ingestRefusals.set(reason, (this.ingestRefusals.get(reason) ?? 0) + 1);
  }

  /** The store's faults, its recoveries, ingest refusals and the analysis lag. */
  private faultFamilies(): MetricFamily[] {
    const store = this.sources.storeFaults?.();
    const families: MetricFamily[] = [
      {
        name: 'threshold_ingest_refusals_total',
        help: 'Ingest requests answered 503 because their spans could not be stored, or not within the acknowledgement deadline, by reason.',
        type: 'counter',
        samples: INGEST_REFUSAL_REASONS.map((reason) => ({
          name: 'threshold_ingest_refusals_total',
          labels: { reason },
          value: this.ingestRefusals.get(reason) ?? 0,
        })),
      },
    ];
    if (store) {
      families.push(
        {
          name: 'threshold_store_faults_total',
          help: 'Store operations that failed with a fault (fatal error, full disk, out of memory), by kind.',
          type: 'counter',
          samples: STORE_FAULT_KINDS.map((kind) => ({
            name: 'threshold_store_faults_total',
            labels: { kind },
            value: store.totals.faults[kind],
          })),
        },
        counter(
          'threshold_store_recoveries_total',
          'Times the store recovered from a fault by itself (a reopened database, room on the disk again).',
          store.totals.recoveries,
        ),
        {
          name: 'threshold_store_fault',
          help: 'Store faults in effect now: 1 for each kind that is, 0 for the others.',
          type: 'gauge',
          samples: STORE_FAULT_KINDS.map((kind) => ({
            name: 'threshold_store_fault',
            labels: { kind },
            value: store.active.includes(kind) ? 1 : 0,
          })),
        },
      );
    }
    const lagMs = this.sources.analysisLagMs?.();
    if (lagMs !== undefined)
      families.push(
        gauge('threshold_analysis_lag_seconds', 'How long the oldest acknowledged span waiting for analysis has waited.', lagMs / 1_000),
      );
    return families;
  }

  recordDelivery(status: 'delivered' | 'failed'): void {
    this.deliveries.set(status, (this.deliveries.get(status) ?? 0) + 1);
  }

  /** Counts a trace's task and llm calls, once per trace. */
  observeAnalysis(analysis: TraceAnalysis): void {
    const { summary } = analysis;
    if (this.counted.has(summary.traceId)) return;
    this.counted.add(summary.traceId);
    if (this.counted.size > COUNTED_TRACE_MEMORY) this.counted.delete(this.counted.values().next().value as string);

    const taskClass = this.taskClasses.admit(summary.taskClass);
    this.taskDuration.observe({ task_class: taskClass, band: summary.band }, summary.durationMs / 1_000);
    if (summary.overBudget) this.overBudget.set(taskClass, (this.overBudget.get(taskClass) ?? 0) + 1);
    // Core's llm calls, as /api/models and TTFT alerts count them: no wrapper, no chunk of a stream.
    for (const span of spanFactsOf(analysis.traceSpans)) {
      if (!span.llmCall || span.ttftMs === null) continue;
      this.ttft.observe({ model: this.models.admit(span.model ?? 'unknown') }, span.ttftMs / 1_000);
    }
  }

  /** The Prometheus text of every family, then of `extra` (families other parts of the collector keep). */
  render(extra: readonly MetricFamily[] = []): string {
    return formatPrometheusText([...this.families(), ...extra]);
  }

  families(): MetricFamily[] {
    const shownClasses = this.taskClasses.shown();
    const shownModels = this.models.shown();
    const overBudget = new Map<string, number>();
    for (const [taskClass, value] of this.overBudget) {
      const shown = BoundedLabel.fold(taskClass, shownClasses);
      overBudget.set(shown, (overBudget.get(shown) ?? 0) + value);
    }
    const families: MetricFamily[] = [
      this.taskDuration.family((labels) => ({ ...labels, task_class: BoundedLabel.fold(labels.task_class, shownClasses) })),
      {
        name: 'threshold_tasks_over_budget_total',
        help: 'Tasks whose duration exceeded their P99 budget, by task class.',
        type: 'counter',
        samples: [...overBudget.entries()].sort().map(([taskClass, value]) => ({
          name: 'threshold_tasks_over_budget_total',
          labels: { task_class: taskClass },
          value,
        })),
      },
      this.ttft.family((labels) => ({ model: BoundedLabel.fold(labels.model, shownModels) })),
      counter('threshold_spans_received_total', 'Spans received over OTLP/HTTP, valid or not.', this.spansReceived),
      counter('threshold_spans_rejected_total', 'Spans rejected as invalid (reported as partial success).', this.spansRejected),
      counter(
        'threshold_trace_spans_over_cap_total',
        'Spans left out of trace analyses by the spans-per-trace cap (stored all the same; a re-analysed trace counts again).',
        this.spansOverTraceCapCount,
      ),
      {
        name: 'threshold_ingest_queue_depth',
        help: 'Spans accepted and waiting to be stored.',
        type: 'gauge',
        samples: [{ name: 'threshold_ingest_queue_depth', labels: {}, value: this.sources.ingestQueueDepth() }],
      },
      ...this.memoryFamilies(),
      ...this.faultFamilies(),
    ];
    const alerts = this.sources.alertStates?.() ?? [];
    families.push(
      {
        name: 'threshold_alert_state',
        help: 'Alert rule state: 1 for the state the rule is in, 0 for the others.',
        type: 'gauge',
        samples: alerts.flatMap(({ rule, state }) =>
          ALERT_STATES.map((name) => ({
            name: 'threshold_alert_state',
            labels: { rule_id: rule.id, severity: rule.severity, state: name },
            value: state.state === name ? 1 : 0,
          })),
        ),
      },
      {
        name: 'threshold_alert_value',
        help: 'Last evaluated value of each alert rule (ms, fraction or burn rate, as the rule states its threshold).',
        type: 'gauge',
        samples: alerts
          .filter(({ state }) => state.value !== null)
          .map(({ rule, state }) => ({ name: 'threshold_alert_value', labels: { rule_id: rule.id }, value: state.value! })),
      },
      {
        name: 'threshold_alert_threshold',
        help: 'Threshold of each alert rule, in the unit of threshold_alert_value.',
        type: 'gauge',
        samples: alerts.map(({ rule }) => ({ name: 'threshold_alert_threshold', labels: { rule_id: rule.id }, value: rule.threshold })),
      },
      {
        name: 'threshold_alert_notifications_total',
        help: 'Alert webhook deliveries finished, by outcome.',
        type: 'counter',
        samples: (['delivered', 'failed'] as const).map((status) => ({
          name: 'threshold_alert_notifications_total',
          labels: { status },
          value: this.deliveries.get(status) ?? 0,
        })),
      },
    );
    return families;
  }
}

function gauge(name: string, help: string, value: number, labels: Record<string, string> = {}): MetricFamily {
  return { name, help, type: 'gauge', samples: [{ name, labels, value }] };
}

function counter(name: string, help: string, value: number): MetricFamily {
  return { name, help, type: 'counter', samples: [{ name, labels: {}, value }] };
}
