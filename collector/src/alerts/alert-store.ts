import type { AlertDelivery, AlertEvent, AlertRule, AlertTaskSample, AlertTtftSample } from '@threshold/core';

/**
 * What alerting keeps and reads, as part of the collector's store (TraceStore extends it), so the
 * history survives restarts and another engine (ClickHouse) can hold it too.
 */
export interface AlertStore {
  /** Tasks that ended in [from, to): the samples threshold and burn-rate rules read. */
  alertTaskSamples(window: AlertSampleWindow): Promise<AlertTaskSample[]>;
  /** Llm calls with a known TTFT (aggregate wrapper spans excluded) whose task ended in [from, to). */
  alertTtftSamples(window: AlertSampleWindow): Promise<AlertTtftSample[]>;
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

export interface AlertSampleWindow {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface AlertEventsQuery {
  ruleId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  limit: number;
}
