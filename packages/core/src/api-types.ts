import type { Breakdown, BreakdownCategory } from './category.js';
import type { OperationCategory, SpanCategory } from './category.js';
import type { BandCounts, UxBand } from './ux-band.js';
import type { Attributes, SpanStatus } from './span-record.js';
import type { TraceEdit } from './what-if/trace-edit.js';

/**
 * The shapes the collector's HTTP API answers with (docs/DESIGN.md's contract). Field names are the
 * contract; all durations are milliseconds as floats at full precision, ids lower-case hex.
 */
export interface TraceSummary {
  traceId: string;
  service: string;
  name: string;
  taskClass: string;
  sessionId?: string;
  /** Epoch ms of the task's start. */
  startTimeMs: number;
  durationMs: number;
  /** Time to the first output the user sees. */
  perceivedMs: number;
  band: UxBand;
  perceivedBand: UxBand;
  budgetMs: number;
  overBudget: boolean;
  spanCount: number;
  llmCalls: number;
  toolCalls: number;
  /** TTFT of the first llm call that has one. */
  firstTtftMs?: number;
  error: boolean;
  /** Sums to durationMs. */
  breakdown: Breakdown;
}

export interface SpanView {
  spanId: string;
  parentSpanId?: string;
  name: string;
  category: SpanCategory;
  /**
   * Which classifier decided the category: a convention (`genai`, `openinference`, `langfuse`,
   * `mastra`, …), `mapping:<rule>` for a rule of the mapping file, `threshold` for the SDK's own
   * attributes, `none` when nothing recognised the span. Absent on traces analysed before it existed.
   */
  classifiedBy?: string;
  /** Ms from the task's start (`TraceSummary.startTimeMs`); slightly negative for a span recorded before its task (skew). */
  startOffsetMs: number;
  durationMs: number;
  /** Time not covered by any child. */
  selfMs: number;
  critical: boolean;
  status: SpanStatus;
  llm?: {
    model?: string;
    provider?: string;
    streaming?: boolean;
    ttftMs?: number;
    tpotMs?: number;
    inputTokens?: number;
    outputTokens?: number;
    /** Input tokens served from the provider's prompt cache (part of inputTokens). */
    cacheReadInputTokens?: number;
    /** Input tokens written to the provider's prompt cache (part of inputTokens). */
    cacheWriteInputTokens?: number;
    /** Total cost as the instrumentation stated it (Langfuse: USD). */
    cost?: number;
    /** Streamed calls: content chunks received, when the recorder counted them. */
    chunks?: number;
    /** Streamed calls: longest pause between two consecutive content chunks after the first. */
    maxChunkGapMs?: number;
    /** When that pause began, ms after the span's start. */
    maxChunkGapStartMs?: number;
  };
  tool?: { name: string; callId?: string; cacheHit?: boolean; coldStart?: boolean };
  /** What an orchestration span waited on: `approval` (a human approving a tool call), `plan`, `step`, `queue`, … */
  orchestration?: { kind: string };
  attributes: Attributes;
}

export type FindingRuleId =
  | 'stream-answer'
  | 'route-model'
  | 'compress-context'
  | 'parallelize-tools'
  | 'cache-tool-results'
  | 'prewarm'
  | 'speculate'
  | 'state-overhead'
  | 'orchestration-overhead'
  | 'stream-stall';

export interface Finding {
  ruleId: FindingRuleId;
  title: string;
  detail: string;
  /** Estimated wall-time saving for this trace (perceived-latency saving when `perceived`). */
  savingMs: number;
  evidenceSpanIds: string[];
  perceived?: boolean;
  /** The timing changes the saving was projected from (what-if applies them). */
  edits?: TraceEdit[];
}

export interface TraceDetail {
  summary: TraceSummary;
  spans: SpanView[];
  findings: Finding[];
}

/**
 * Orders `GET /api/traces?sort=&order=` accepts: TraceSummary fields. `band` orders by duration,
 * which orders the bands too; ties fall back to newest first.
 */
export const TRACE_SORT_KEYS = [
  'startTimeMs',
  'name',
  'service',
  'taskClass',
  'durationMs',
  'perceivedMs',
  'band',
  'overBudget',
  'llmCalls',
  'toolCalls',
  'sessionId',
] as const;

export type TraceSortKey = (typeof TRACE_SORT_KEYS)[number];

export type SortDirection = 'asc' | 'desc';

export interface TraceList {
  traces: TraceSummary[];
  total: number;
}

export interface StatsGroup {
  key: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  perceivedP99Ms: number;
  bands: BandCounts;
  /** Tasks per band of their perceived latency (time to first output). */
  perceivedBands: BandCounts;
  breakdownMeanMs: Breakdown;
  /** Budget of the group when it is a task class (null otherwise). */
  budgetMs: number | null;
  /** Fraction (0–1) of the group's tasks over their own budget. */
  overBudgetRate: number;
}

export interface StatsResponse {
  groups: StatsGroup[];
}

/**
 * `GET /api/filters`: the values the dashboard's filters offer, bounded: the 100 services and 100
 * task classes with most traces (configured classes always), none over 256 characters.
 */
export interface FiltersResponse {
  services: string[];
  taskClasses: string[];
  /** Budget per listed task class, ms. */
  budgetsMs: Record<string, number>;
  /** More services are stored than listed (beyond the 100 most frequent, or too long to list). */
  moreServices: boolean;
  /** More task classes are stored than listed. */
  moreTaskClasses: boolean;
}

/** `GET /api/timeseries?from=&to=&groupBy=taskClass|service&bucketMs=`. */
export interface TimeSeriesResponse {
  bucketMs: number;
  series: Array<{
    key: string;
    budgetMs: number | null;
    points: Array<{
      /** Bucket start, epoch ms. */
      t: number;
      count: number;
      p50Ms: number;
      p95Ms: number;
      p99Ms: number;
      perceivedP99Ms: number;
      /** P99 of the bucket above the budget. */
      overBudget: boolean;
    }>;
  }>;
}

/** `GET /api/models?from=&to=&service=`: llm calls per model. */
export interface ModelStats {
  model: string;
  provider?: string;
  calls: number;
  streamingRate: number;
  ttft: LatencyTriple | null;
  tpot: LatencyTriple | null;
  duration: LatencyTriple;
  /** Longest pause between chunks per streamed call, over the calls that recorded one. */
  maxChunkGap: LatencyTriple | null;
  inputTokens: number;
  outputTokens: number;
}

export interface LatencyTriple {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface ModelsResponse {
  models: ModelStats[];
}

/**
 * `GET /api/critical-path?from=&to=&service=&taskClass=&name=&tail=95`: which operations hold the
 * critical path of the slow tail, against typical tasks of the same window.
 */
export interface CriticalPathResponse {
  tail: {
    /** The `tail` percentile asked for (0–100). */
    percentile: number;
    /** P{percentile} of the window's task durations; null when the window holds no task. */
    thresholdMs: number | null;
    /** Tasks with duration ≥ thresholdMs. */
    traces: number;
  };
  /** Tasks with duration ≤ the window's P50. */
  typical: { traces: number };
  /** Largest excessMs first. */
  operations: CriticalPathOperation[];
}

/**
 * One operation (category, name): the model of llm calls (the span name when the model is
 * unknown), the tool's name, the span name of state, orchestration and the rest (`other`: the
 * task's own code and unclassified spans). Every ms of a task's critical path belongs to one, so
 * a task's operations sum to its duration.
 */
export interface CriticalPathOperation {
  category: BreakdownCategory;
  name: string;
  /** Mean over tail tasks of this operation's critical-path time in the task (0 where absent). */
  tailMeanCriticalMs: number;
  /** The same over typical tasks. */
  typicalMeanCriticalMs: number;
  /** tailMeanCriticalMs − typicalMeanCriticalMs. */
  excessMs: number;
  /** Share (0–1) of tail tasks in which it is on the critical path. */
  tailCriticalRate: number;
  /** Up to 3 tail tasks where it held the critical path longest, longest first (of equal times, the larger trace id first). */
  exampleTraceIds: string[];
}

/** `GET /api/operations?from=&to=&category=tool|state|orchestration&service=`. */
export interface OperationStats {
  category: OperationCategory;
  name: string;
  calls: number;
  errorRate: number;
  /** Tools only: share of calls flagged as cache hits. */
  cacheHitRate?: number;
  /** Tools only: share of calls flagged as cold starts. */
  coldStartRate?: number;
  duration: LatencyTriple;
}

export interface OperationsResponse {
  operations: OperationStats[];
}

/** `GET /api/sessions?from=&to=&limit=&offset=`. */
export interface SessionSummary {
  sessionId: string;
  service: string;
  turns: number;
  firstStartTimeMs: number;
  lastStartTimeMs: number;
  p50Ms: number;
  maxMs: number;
  /** Input tokens of the session's last turn (context window pressure). */
  lastInputTokens: number;
}

export interface SessionsResponse {
  sessions: SessionSummary[];
  total: number;
}

/** `GET /api/sessions/:sessionId`: the turns of one session, in order. */
export interface SessionDetail {
  sessionId: string;
  turns: Array<{
    traceId: string;
    turn: number | null;
    startTimeMs: number;
    durationMs: number;
    perceivedMs: number;
    /** Input tokens summed over the turn's llm calls (aggregate spans not double-counted). */
    inputTokens: number;
    llmCalls: number;
  }>;
}

/** `GET /api/recommendations?from=&to=&taskClass=`: findings ranked by time saved. */
export interface RecommendationSummary {
  ruleId: FindingRuleId;
  title: string;
  /** One explanatory sentence for the group (what, why). */
  detail: string;
  tracesAffected: number;
  /** Sum of savingMs over affected traces. */
  totalSavingMs: number;
  meanSavingMs: number;
  /** Estimated drop in the P99 of the affected task classes if applied everywhere. */
  p99SavingMs: number;
  perceived: boolean;
  taskClasses: string[];
  exampleTraceIds: string[];
}

export interface RecommendationsResponse {
  recommendations: RecommendationSummary[];
  tracesAnalysed: number;
}

/** `POST /api/whatif`: project one trace, or a window of traces, with findings applied. */
export interface WhatIfRequest {
  traceId?: string;
  from?: number;
  to?: number;
  taskClass?: string;
  service?: string;
  /** Rules to apply; all that fire when absent. */
  ruleIds?: FindingRuleId[];
  /** For compress-context: fraction of input tokens removed (0–1). */
  compressionRatio?: number;
}

export interface WhatIfTraceResponse {
  before: TraceDetail;
  after: { summary: TraceSummary; spans: SpanView[] };
  applied: Finding[];
}

export interface WhatIfClassProjection {
  taskClass: string;
  budgetMs: number;
  count: number;
  before: LatencyTriple & { bands: BandCounts };
  after: LatencyTriple & { bands: BandCounts };
  /** P99 of perceived latency (streaming moves this, not duration). */
  perceivedP99MsBefore: number;
  perceivedP99MsAfter: number;
  meetsBudgetBefore: boolean;
  meetsBudgetAfter: boolean;
}

export interface WhatIfWindowResponse {
  classes: WhatIfClassProjection[];
}

/** `GET /api/health`. */
export interface HealthResponse {
  /** `degraded` (answered with 503) while any reason holds. */
  status: 'ok' | 'degraded';
  /** Why the collector is degraded, one sentence each; empty when ok. */
  reasons: string[];
  version: string;
  store: string;
  uptimeMs: number;
  pendingTraces: number;
  ingestQueueDepth: number;
  /** How long the oldest acknowledged span still waiting for analysis has waited, in ms (0 when none waits). */
  analysisLagMs: number;
  /** Spans left out of trace analyses by the spans-per-trace cap since start (a re-analysed trace counts again). */
  spansOverTraceCap: number;
}
