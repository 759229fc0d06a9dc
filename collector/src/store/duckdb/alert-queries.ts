import type { DuckDBValue } from '@duckdb/node-api';
import type { AlertDelivery, AlertEvent, AlertRule, AlertTaskSample, AlertTtftSample } from '@threshold/core';
import type { AlertEventsQuery, AlertSampleWindow } from '../../alerts/alert-store.js';
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

/** `start_ms < to` first: the zone maps on start_ms skip old row groups before the sum is computed. */
export async function alertTaskSamples(read: ReadRows, window: AlertSampleWindow): Promise<AlertTaskSample[]> {
  const rows = await read(
    `SELECT trace_id, start_ms + duration_ms AS end_ms, duration_ms, perceived_ms, budget_ms, over_budget, task_class, service, name
     FROM traces WHERE start_ms < ? AND start_ms + duration_ms >= ? AND start_ms + duration_ms < ?`,
    [window.to, window.from, window.to],
  );
  return rows.map((row) => ({
    traceId: row[0] as string,
    endTimeMs: row[1] as number,
    durationMs: row[2] as number,
    perceivedMs: row[3] as number,
    budgetMs: row[4] as number,
    overBudget: row[5] as boolean,
    taskClass: row[6] as string,
    service: row[7] as string,
    name: row[8] as string,
  }));
}

/** Model names as `/api/models` shows them (`unknown` when the span names none). */
export async function alertTtftSamples(read: ReadRows, window: AlertSampleWindow): Promise<AlertTtftSample[]> {
  const rows = await read(
    `SELECT f.trace_id, t.start_ms + t.duration_ms, coalesce(f.model, 'unknown'), f.ttft_ms
     FROM span_facts f JOIN traces t ON t.trace_id = f.trace_id
     WHERE f.category = 'llm' AND NOT f.aggregate AND f.ttft_ms IS NOT NULL
       AND f.start_ms < ? AND t.start_ms + t.duration_ms >= ? AND t.start_ms + t.duration_ms < ?`,
    [window.to, window.from, window.to],
  );
  return rows.map((row) => ({ traceId: row[0] as string, endTimeMs: row[1] as number, model: row[2] as string, ttftMs: row[3] as number }));
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
  const rows = await read(`SELECT event FROM alert_events ${where} ORDER BY at_ms DESC, id DESC LIMIT ${Math.floor(query.limit)}`, where.params);
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
  const rows = await read(
    `SELECT delivery FROM alert_deliveries WHERE event_id IN (${eventIds.map(() => '?').join(', ')}) ORDER BY id`,
    [...eventIds],
  );
  return rows.map((row) => JSON.parse(row[0] as string) as AlertDelivery);
}
