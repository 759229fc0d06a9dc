import type { DuckDBValue } from '@duckdb/node-api';
import {
  ALERT_EXAMPLE_COUNT,
  type AlertCountBucket,
  type AlertDelivery,
  type AlertEvent,
  type AlertRule,
  type AlertStatsQuery,
  type AlertWindowStats,
} from '@threshold/core';
import type { AlertCountBucketsQuery, AlertEventsQuery } from '../alert-store.js';
import { ALERT_MAX_TASK_MS, alertCountBucketFromRow, alertExampleFromRow, emptyAlertWindow } from '../rows/alert-window.js';
import { SqlWhere, type ReadRows } from './sql-where.js';

/**
 * Alerting's tables. Rules, events and deliveries are small and read whole, so each is stored as
 * JSON next to the few columns queries filter on. A rule row with `rule` NULL records a deletion.
 */
export const ALERT_SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS alert_rules (
     id VARCHAR PRIMARY KEY,
     rule VARCHAR,
     updated_ms DOUBLE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_events (
     id VARCHAR PRIMARY KEY,
     rule_id VARCHAR NOT NULL,
     at_ms DOUBLE NOT NULL,
     event VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_deliveries (
     id VARCHAR PRIMARY KEY,
     event_id VARCHAR NOT NULL,
     delivery VARCHAR NOT NULL)`,
];

/** Runs one write statement on the writer connection (inside the store's transaction). */
export type RunSql = (sql: string, params?: DuckDBValue[]) => Promise<unknown>;

const TASK_MEASURE = { duration: 'duration_ms', perceived: 'perceived_ms' } as const;

/**
 * One window's stats in two statements: counts and the percentile (`quantile_cont`, R-7), then
 * the slowest few. Samples belong to the time their task ended, as in core.
 */
export async function alertWindowStats(read: ReadRows, query: AlertStatsQuery): Promise<AlertWindowStats> {
  const ttft = query.measure === 'ttft';
  const where = new SqlWhere()
    .add('t.start_ms < ?', query.to)
    .add('t.start_ms >= ?', query.from - ALERT_MAX_TASK_MS)
    .add('t.start_ms + t.duration_ms >= ?', query.from)
    .add('t.start_ms + t.duration_ms < ?', query.to);
  const target = query.target;
  if (ttft) {
    if (target.kind !== 'model') return emptyAlertWindow();
    where.add('f.llm_call').add('f.ttft_ms IS NOT NULL').add("coalesce(f.model, 'unknown') = ?", target.value);
  } else if (target.kind === 'model') {
    return emptyAlertWindow();
  } else if (target.kind !== 'all') {
    where.add(`t.${TARGET_COLUMN[target.kind]} = ?`, target.value);
  }
  const from = ttft ? 'span_facts f JOIN traces t ON t.trace_id = f.trace_id' : 'traces t';
  const measure = ttft ? 'f.ttft_ms' : `t.${TASK_MEASURE[query.measure as 'duration' | 'perceived']}`;
  const fraction = query.fraction === null ? null : Math.min(1, Math.max(0, Number(query.fraction)));
  const [[count, overBudgetCount, percentile]] = await read(
    `SELECT count(*)::DOUBLE, ${ttft ? '0' : 'count(*) FILTER (WHERE t.over_budget)'}::DOUBLE,
       ${fraction === null ? 'NULL' : `quantile_cont(${measure}, ${fraction})`}
     FROM ${from} ${where}`,
    where.params,
  );
  let examples: AlertWindowStats['examples'] = [];
  if (query.examples !== 'none' && (count as number) > 0) {
    if (query.examples === 'slowest-over-budget' && !ttft) where.add('t.over_budget');
    const rows = await read(
      `SELECT t.trace_id, max(${measure}) AS value FROM ${from} ${where}
       GROUP BY t.trace_id ORDER BY value DESC, t.trace_id LIMIT ${ALERT_EXAMPLE_COUNT}`,
      where.params,
    );
    examples = rows.map(alertExampleFromRow);
  }
  return {
    count: count as number,
    overBudgetCount: overBudgetCount as number,
    percentile: (percentile as number | null) ?? null,
    examples,
  };
}

const TARGET_COLUMN = { taskClass: 'task_class', service: 'service', taskName: 'name' } as const;

export async function alertCountBuckets(read: ReadRows, query: AlertCountBucketsQuery): Promise<AlertCountBucket[]> {
  if (query.target.kind === 'model') return [];
  const where = new SqlWhere()
    .add('start_ms < ?', query.to)
    .add('start_ms >= ?', query.from - ALERT_MAX_TASK_MS)
    .add('start_ms + duration_ms >= ?', query.from)
    .add('start_ms + duration_ms < ?', query.to);
  if (query.target.kind !== 'all') where.add(`${TARGET_COLUMN[query.target.kind]} = ?`, query.target.value);
  const bucketMs = Math.max(1, Math.round(query.bucketMs));
  const rows = await read(
    `SELECT floor((start_ms + duration_ms - ${Number(query.from)}) / ${bucketMs}) AS k, count(*)::DOUBLE, count(*) FILTER (WHERE over_budget)::DOUBLE
     FROM traces ${where} GROUP BY k ORDER BY k`,
    where.params,
  );
  return rows.map((row) => alertCountBucketFromRow(row, query.from, bucketMs));
}

export async function listAlertRules(read: ReadRows): Promise<AlertRule[]> {
  const rows = await read('SELECT rule FROM alert_rules WHERE rule IS NOT NULL ORDER BY id');
  return rows.map((row) => JSON.parse(row[0] as string) as AlertRule);
}

export async function saveAlertRule(run: RunSql, rule: AlertRule, nowMs: number): Promise<void> {
  await run('INSERT OR REPLACE INTO alert_rules VALUES (?, ?, ?)', [rule.id, JSON.stringify(rule), nowMs]);
}

export async function deleteAlertRule(read: ReadRows, run: RunSql, ruleId: string, nowMs: number): Promise<boolean> {
  const existing = await read('SELECT count(*) FROM alert_rules WHERE id = ? AND rule IS NOT NULL', [ruleId]);
  await run('INSERT OR REPLACE INTO alert_rules VALUES (?, NULL, ?)', [ruleId, nowMs]);
  return Number(existing[0][0]) > 0;
}

export async function seedAlertRules(read: ReadRows, run: RunSql, rules: readonly AlertRule[], nowMs: number): Promise<AlertRule[]> {
  const known = new Set((await read('SELECT id FROM alert_rules')).map((row) => row[0] as string));
  const seeded = rules.filter((rule) => !known.has(rule.id));
  for (const rule of seeded) await saveAlertRule(run, rule, nowMs);
  return seeded;
}

export async function appendAlertEvent(run: RunSql, event: AlertEvent): Promise<void> {
  await run('INSERT INTO alert_events VALUES (?, ?, ?, ?)', [event.id, event.ruleId, event.atMs, JSON.stringify(event)]);
}

export async function listAlertEvents(read: ReadRows, query: AlertEventsQuery): Promise<AlertEvent[]> {
  const where = new SqlWhere().add('rule_id = ?', query.ruleId).add('at_ms >= ?', query.from).add('at_ms < ?', query.to);
  const rows = await read(
    `SELECT event FROM alert_events ${where} ORDER BY at_ms DESC, id DESC LIMIT ${Math.floor(query.limit)}`,
    where.params,
  );
  return rows.map((row) => JSON.parse(row[0] as string) as AlertEvent);
}

export async function latestAlertEvents(read: ReadRows): Promise<AlertEvent[]> {
  const rows = await read('SELECT arg_max(event, at_ms) FROM alert_events GROUP BY rule_id ORDER BY rule_id');
  return rows.map((row) => JSON.parse(row[0] as string) as AlertEvent);
}

export async function saveAlertDelivery(run: RunSql, delivery: AlertDelivery): Promise<void> {
  await run('INSERT OR REPLACE INTO alert_deliveries VALUES (?, ?, ?)', [delivery.id, delivery.eventId, JSON.stringify(delivery)]);
}

export async function alertDeliveries(read: ReadRows, eventIds: readonly string[]): Promise<AlertDelivery[]> {
  if (eventIds.length === 0) return [];
  const rows = await read(`SELECT delivery FROM alert_deliveries WHERE event_id IN (${eventIds.map(() => '?').join(', ')}) ORDER BY id`, [
    ...eventIds,
  ]);
  return rows.map((row) => JSON.parse(row[0] as string) as AlertDelivery);
}
