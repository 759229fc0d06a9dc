import type {
  AlertCountBucket,
  AlertDelivery,
  AlertEvent,
  AlertRule,
  AlertStatsQuery,
  AlertTarget,
  AlertWindowStats,
} from '@threshold/core';

/**
 * What alerting keeps and reads, as part of the collector's store (TraceStore extends it), so the
 * history survives restarts and another engine (ClickHouse) can hold it too.
 */
export interface AlertStore {
  /**
   * Counts, percentile and slowest traces of one window, computed where the data lives. Must
   * answer exactly as core's `windowStatsFromSamples` would over the same tasks (R-7 percentile;
   * a task belongs to the time it ended; TTFT of non-aggregate llm calls, model `unknown` when
   * unnamed). A 6-hour burn-rate window is two counts, not 200,000 rows sent to the evaluator.
   */
  alertWindowStats(query: AlertStatsQuery): Promise<AlertWindowStats>;
  /**
   * Tasks (and over-budget tasks) of a target per bucket of end time, buckets starting at `from`
   * (empty buckets left out): a burn-rate chart from one grouped count.
   */
  alertCountBuckets(query: AlertCountBucketsQuery): Promise<AlertCountBucket[]>;
  /** Rules created or changed through the API (deleted ones excluded), by id. */
  listAlertRules(): Promise<AlertRule[]>;
  /** Creates or replaces a rule. */
  saveAlertRule(rule: AlertRule): Promise<void>;
  /** Deletes a rule, remembering the deletion so a default rule is not seeded again. */
  deleteAlertRule(ruleId: string): Promise<boolean>;
  /** Saves each rule whose id was never stored (nor deleted); returns those saved. */
  seedAlertRules(rules: readonly AlertRule[]): Promise<AlertRule[]>;
  appendAlertEvent(event: AlertEvent): Promise<void>;
  /** Newest first. */
  listAlertEvents(query: AlertEventsQuery): Promise<AlertEvent[]>;
  /** The newest event of each rule: where each rule's state stood before a restart. */
  latestAlertEvents(): Promise<AlertEvent[]>;
  /** Creates or replaces a delivery (by id). */
  saveAlertDelivery(delivery: AlertDelivery): Promise<void>;
  alertDeliveries(eventIds: readonly string[]): Promise<AlertDelivery[]>;
}

export interface AlertEventsQuery {
  ruleId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  limit: number;
}

export interface AlertCountBucketsQuery {
  /** Epoch ms, inclusive; the first bucket starts here. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  bucketMs: number;
  target: AlertTarget;
}
