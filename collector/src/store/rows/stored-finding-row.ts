import type { Finding } from '@threshold/core';
import type { StoredFinding } from '../trace-queries.js';

/** The columns both stores select for a stored finding, in the order `storedFindingFromRow` reads. */
export const FINDING_SELECT = 'trace_id, task_class, start_ms, duration_ms, perceived_ms, finding';

/** A row selected as FINDING_SELECT (DuckDB's `findings` table, ClickHouse's finding array) back into a StoredFinding. */
export function storedFindingFromRow(row: readonly unknown[]): StoredFinding {
  return {
    ...(JSON.parse(row[5] as string) as Finding),
    traceId: row[0] as string,
    taskClass: row[1] as string,
    startTimeMs: row[2] as number,
    durationMs: row[3] as number,
    perceivedMs: row[4] as number,
  };
}
