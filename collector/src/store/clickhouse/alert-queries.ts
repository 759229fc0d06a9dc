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
import type { ClickHouseHttp } from './clickhouse-http.js';
import { ClickHouseWhere } from './clickhouse-where.js';
import { r7PercentileSql } from './r7-percentile-sql.js';
import { sqlList, sqlLiteral } from './sql-literal.js';
import type { ReadRows } from './trace-queries.js';

const TASK_MEASURE = { duration: 'duration_ms', perceived: 'perceived_ms' } as const;
const TARGET_COLUMN = { taskClass: 'task_class', service: 'service', taskName: 'name' } as const;

/** Llm calls of current trace versions, with their trace's window columns. */
const LLM_CALLS = `(SELECT trace_id, start_ms, duration_ms, over_budget, ttft_ms, llm_call, model
  FROM traces FINAL ARRAY JOIN fact_ttft_ms AS ttft_ms, fact_llm_call AS llm_call, fact_model AS model)`;

/** Tasks that ended in [from, to), started at most a day before `from` (as the DuckDB store). */
function endedIn(query: { from: number; to: number }): ClickHouseWhere {
  return new ClickHouseWhere()
    .add('start_ms < ?', query.to)
    .add('start_ms >= ?', query.from - ALERT_MAX_TASK_MS)
    .add('start_ms + duration_ms >= ?', query.from)
    .add('start_ms + duration_ms < ?', query.to);
}

/** One window's counts, R-7 percentile and slowest traces; samples belong to the time their task ended. */
export async function alertWindowStats(read: ReadRows, query: AlertStatsQuery): Promise<AlertWindowStats> {
  const ttft = query.measure === 'ttft';
  const where = endedIn(query);
  const target = query.target;
  if (ttft) {
    if (target.kind !== 'model') return emptyAlertWindow();
    where.add('llm_call = 1').add('isNotNull(ttft_ms)').add("ifNull(model, 'unknown') = ?", target.value);
  } else if (target.kind === 'model') {
    return emptyAlertWindow();
  } else if (target.kind !== 'all') {
    where.add(`${TARGET_COLUMN[target.kind]} = ?`, target.value);
  }
  const from = ttft ? LLM_CALLS : 'traces FINAL';
  const measure = ttft ? 'assumeNotNull(ttft_ms)' : TASK_MEASURE[query.measure as 'duration' | 'perceived'];
  const percentile = query.fraction === null ? 'NULL' : r7PercentileSql('measured', Number(query.fraction));
  const [[count, overBudgetCount, value]] = await read(
    `WITH arraySort(groupArray(${measure})) AS measured
     SELECT toFloat64(count()), toFloat64(${ttft ? '0' : 'countIf(over_budget = 1)'}), ${percentile}
     FROM ${from} ${where}`,
  );
  let examples: AlertWindowStats['examples'] = [];
  if (query.examples !== 'none' && (count as number) > 0) {
    if (query.examples === 'slowest-over-budget' && !ttft) where.add('over_budget = 1');
    const rows = await read(
      `SELECT trace_id, max(${measure}) AS value FROM ${from} ${where}
       GROUP BY trace_id ORDER BY value DESC, trace_id LIMIT ${sqlLiteral(ALERT_EXAMPLE_COUNT)}`,
    );
    examples = rows.map(alertExampleFromRow);
  }
  return { count: count as number, overBudgetCount: overBudgetCount as number, percentile: (value as number | null) ?? null, examples };
}

export async function alertCountBuckets(read: ReadRows, query: AlertCountBucketsQuery): Promise<AlertCountBucket[]> {
  if (query.target.kind === 'model') return [];
  const where = endedIn(query);
  if (query.target.kind !== 'all') where.add(`${TARGET_COLUMN[query.target.kind]} = ?`, query.target.value);
  const bucketMs = sqlLiteral(Math.max(1, Math.round(query.bucketMs)));
  const rows = await read(
    `SELECT floor((start_ms + duration_ms - ${sqlLiteral(Number(query.from))}) / ${bucketMs}) AS k,
       toFloat64(count()), toFloat64(countIf(over_budget = 1))
     FROM traces FINAL ${where} GROUP BY k ORDER BY k`,
  );
  const step = Math.max(1, Math.round(query.bucketMs));
  return rows.map((row) => alertCountBucketFromRow(row, query.from, step));
}

/** Versions of rule and delivery rows: later writes win, also within one millisecond. */
export class VersionClock {
  private last = 0;
  next(nowMs: number): number {
    this.last = Math.max(this.last + 1, Math.floor(nowMs) * 1_000);
    return this.last;
  }
}

export async function listAlertRules(read: ReadRows): Promise<AlertRule[]> {
  const rows = await read('SELECT rule FROM alert_rules FINAL WHERE deleted = 0 ORDER BY id');
  return rows.map((row) => JSON.parse(row[0] as string) as AlertRule);
}

export async function saveAlertRule(http: ClickHouseHttp, versions: VersionClock, rule: AlertRule): Promise<void> {
  await http.insert('alert_rules', [{ id: rule.id, version: versions.next(Date.now()), deleted: 0, rule: JSON.stringify(rule) }]);
}

export async function deleteAlertRule(read: ReadRows, http: ClickHouseHttp, versions: VersionClock, ruleId: string): Promise<boolean> {
  const existing = await read(`SELECT toFloat64(count()) FROM alert_rules FINAL WHERE id = ${sqlLiteral(ruleId)} AND deleted = 0`);
  await http.insert('alert_rules', [{ id: ruleId, version: versions.next(Date.now()), deleted: 1, rule: '' }]);
  return (existing[0][0] as number) > 0;
}

export async function seedAlertRules(
  read: ReadRows,
  http: ClickHouseHttp,
  versions: VersionClock,
  rules: readonly AlertRule[],
): Promise<AlertRule[]> {
  if (rules.length === 0) return [];
  const known = new Set(
    (await read(`SELECT id FROM alert_rules FINAL WHERE id IN ${sqlList(rules.map((rule) => rule.id))}`)).map((row) => row[0] as string),
  );
  const seeded = rules.filter((rule) => !known.has(rule.id));
  for (const rule of seeded) await saveAlertRule(http, versions, rule);
  return seeded;
}

export async function appendAlertEvent(http: ClickHouseHttp, event: AlertEvent): Promise<void> {
  await http.insert('alert_events', [{ id: event.id, rule_id: event.ruleId, at_ms: event.atMs, event: JSON.stringify(event) }]);
}

export async function listAlertEvents(read: ReadRows, query: AlertEventsQuery): Promise<AlertEvent[]> {
  const where = new ClickHouseWhere().add('rule_id = ?', query.ruleId).add('at_ms >= ?', query.from).add('at_ms < ?', query.to);
  const rows = await read(
    `SELECT event FROM alert_events ${where} ORDER BY at_ms DESC, id DESC LIMIT ${sqlLiteral(Math.max(0, Math.floor(query.limit)))}`,
  );
  return rows.map((row) => JSON.parse(row[0] as string) as AlertEvent);
}

export async function latestAlertEvents(read: ReadRows): Promise<AlertEvent[]> {
  const rows = await read('SELECT argMax(event, at_ms) FROM alert_events GROUP BY rule_id ORDER BY rule_id');
  return rows.map((row) => JSON.parse(row[0] as string) as AlertEvent);
}

export async function saveAlertDelivery(http: ClickHouseHttp, versions: VersionClock, delivery: AlertDelivery): Promise<void> {
  await http.insert('alert_deliveries', [
    { id: delivery.id, version: versions.next(Date.now()), event_id: delivery.eventId, delivery: JSON.stringify(delivery) },
  ]);
}

export async function alertDeliveries(read: ReadRows, eventIds: readonly string[]): Promise<AlertDelivery[]> {
  if (eventIds.length === 0) return [];
  const rows = await read(`SELECT delivery FROM alert_deliveries FINAL WHERE event_id IN ${sqlList(eventIds)} ORDER BY id`);
  return rows.map((row) => JSON.parse(row[0] as string) as AlertDelivery);
}
