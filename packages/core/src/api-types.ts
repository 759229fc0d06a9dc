import type { Breakdown } from './category.js';
import type { SpanCategory } from './category.js';
import type { BandCounts, UxBand } from './ux-band.js';
import type { Attributes, SpanStatus } from './span-record.js';

/**
 * The shapes the collector's HTTP API answers with (DESIGN.md's contract). Field names are the
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
  };
  tool?: { name: string; callId?: string; cacheHit?: boolean; coldStart?: boolean };
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
  | 'orchestration-overhead';

export interface Finding {
  ruleId: FindingRuleId;
  title: string;
  detail: string;
  /** Estimated wall-time saving for this trace (perceived-latency saving when `perceived`). */
  savingMs: number;
  evidenceSpanIds: string[];
  perceived?: boolean;
}

export interface TraceDetail {
  summary: TraceSummary;
  spans: SpanView[];
  findings: Finding[];
}

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
  breakdownMeanMs: Breakdown;
  /** Budget of the group when it is a task class (null otherwise). */
  budgetMs: number | null;
  /** Fraction (0–1) of the group's tasks over their own budget. */
  overBudgetRate: number;
}

export interface StatsResponse {
  groups: StatsGroup[];
}
