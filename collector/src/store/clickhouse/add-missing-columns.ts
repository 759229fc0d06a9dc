import type { ClickHouseHttp } from './clickhouse-http.js';
import { CLICKHOUSE_ADDED_TRACE_COLUMNS } from './schema.js';
import { sqlIdentifier } from './sql-literal.js';

/**
 * Brings a `traces` table created by an earlier version up to this one: adds each column of
 * `CLICKHOUSE_ADDED_TRACE_COLUMNS` it lacks. Replicas starting together may race to add the same
 * column; a failed ALTER is forgiven when the column is there afterwards.
 */
export async function addMissingTraceColumns(http: ClickHouseHttp): Promise<void> {
  const present = async () =>
    new Set(
      (await http.rows(`SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'traces'`)).map(
        (row) => row[0] as string,
      ),
    );
  const existing = await present();
  for (const column of CLICKHOUSE_ADDED_TRACE_COLUMNS) {
    if (existing.has(column.name)) continue;
    try {
      await http.command(`ALTER TABLE traces ADD COLUMN ${sqlIdentifier(column.name)} ${column.definition}`);
    } catch (error) {
      if (!(await present()).has(column.name)) throw error;
    }
  }
}
