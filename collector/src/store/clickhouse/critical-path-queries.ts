import type { CriticalPathResponse } from '@threshold/core';
import {
  criticalPathAnswer,
  EXAMPLE_TRACES_PER_OPERATION,
  operationTotals,
  type CriticalPathTotals,
} from '../rows/critical-path-answer.js';
import type { CriticalPathQuery } from '../trace-queries.js';
import { ClickHouseWhere } from './clickhouse-where.js';
import { r7PercentileSql } from './r7-percentile-sql.js';
import { sqlLiteral } from './sql-literal.js';
import type { ReadRows } from './trace-queries.js';

/** The window's traces whose row carries critical-path operations (see schema.ts). */
function filters(query: CriticalPathQuery): ClickHouseWhere {
  return new ClickHouseWhere()
    .window(query)
    .add('task_class = ?', query.taskClass)
    .add('name = ?', query.name)
    .add('critical_path_stored = 1');
}

/**
 * DuckDB's reads (critical-path-queries.ts there) on the current trace versions: the thresholds
 * are R-7 in SQL with core's arithmetic, so the same traces fall in each group; then per operation
 * over the `critical_*` arrays its tail sum with the tail traces that waited on it longest (by
 * (ms, trace id) descending, as DuckDB's `arg_max` picks), and its typical sum.
 */
export async function criticalPath(read: ReadRows, query: CriticalPathQuery): Promise<CriticalPathResponse> {
  const window = filters(query);
  const [[tailMs, p50Ms]] = await read(
    `WITH arraySort(groupArray(duration_ms)) AS durations
     SELECT ${r7PercentileSql('durations', query.tail / 100)}, ${r7PercentileSql('durations', 0.5)}
     FROM traces FINAL ${window}`,
  );
  const totals: CriticalPathTotals = { tailThresholdMs: tailMs as number | null, tailTraces: 0, typicalTraces: 0, operations: [] };
  if (tailMs === null) return criticalPathAnswer(query, totals);
  const tail = `duration_ms >= ${sqlLiteral(tailMs as number)}`;
  const typical = `duration_ms <= ${sqlLiteral(p50Ms as number)}`;
  const [[tailTraces, typicalTraces]] = await read(
    `SELECT toFloat64(countIf(${tail})), toFloat64(countIf(${typical})) FROM traces FINAL ${window}`,
  );
  totals.tailTraces = tailTraces as number;
  totals.typicalTraces = typicalTraces as number;
  const operations = `traces FINAL ARRAY JOIN critical_category AS category, critical_name AS operation, critical_ms AS ms`;
  const tailRows = await read(
    `SELECT category, operation, sum(ms), toFloat64(count()),
       arraySlice(arrayMap(x -> x.2, arrayReverseSort(groupArray((ms, trace_id)))), 1, ${EXAMPLE_TRACES_PER_OPERATION})
     FROM ${operations} ${filters(query).add(tail)} GROUP BY category, operation`,
  );
  const typicalRows = await read(
    `SELECT category, operation, sum(ms) FROM ${operations} ${filters(query).add(typical)} GROUP BY category, operation`,
  );
  totals.operations = operationTotals(tailRows, typicalRows);
  return criticalPathAnswer(query, totals);
}
