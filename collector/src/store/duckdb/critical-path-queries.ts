import type { CriticalPathResponse } from '@threshold/core';
import { criticalPathAnswer, EXAMPLE_TRACES_PER_OPERATION, operationTotals, type CriticalPathQuery, type CriticalPathTotals } from '../critical-path-answer.js';
import { SqlWhere, type ReadRows } from './sql-where.js';

function filters(query: CriticalPathQuery): SqlWhere {
  return new SqlWhere().window(query).add('task_class = ?', query.taskClass).add('name = ?', query.name);
}

/**
 * Where the slow tail's time goes, in three reads of one snapshot: the window's P{tail} and P50
 * (`quantile_cont`, R-7) with the size of each group, then per operation its critical-path sums
 * in each group, then each operation's tail traces that waited on it longest. The operations
 * table repeats each trace's duration, so the sums need no join.
 */
export async function criticalPath(read: ReadRows, query: CriticalPathQuery): Promise<CriticalPathResponse> {
  const window = filters(query);
  const [[tailMs, p50Ms, tailTraces, typicalTraces]] = await read(
    `WITH w AS (SELECT duration_ms FROM critical_path_traces ${window}),
       t AS (SELECT quantile_cont(duration_ms, ?) AS tail_ms, quantile_cont(duration_ms, 0.5) AS p50_ms FROM w)
     SELECT tail_ms, p50_ms,
       (SELECT count(*) FROM w WHERE duration_ms >= t.tail_ms)::DOUBLE,
       (SELECT count(*) FROM w WHERE duration_ms <= t.p50_ms)::DOUBLE
     FROM t`,
    [...window.params, query.tail / 100],
  );
  const totals: CriticalPathTotals = {
    tailThresholdMs: tailMs as number | null,
    tailTraces: tailTraces as number,
    typicalTraces: typicalTraces as number,
    operations: [],
  };
  if (tailMs === null) return criticalPathAnswer(query, totals);
  const groups = filters(query).add('(duration_ms >= ? OR duration_ms <= ?)', tailMs as number, p50Ms as number);
  const rows = await read(
    `SELECT category, operation,
       coalesce(sum(critical_ms) FILTER (WHERE duration_ms >= ?), 0)::DOUBLE,
       count(*) FILTER (WHERE duration_ms >= ?)::DOUBLE,
       coalesce(sum(critical_ms) FILTER (WHERE duration_ms <= ?), 0)::DOUBLE
     FROM critical_path_operations ${groups} GROUP BY category, operation`,
    [tailMs as number, tailMs as number, p50Ms as number, ...groups.params],
  );
  const tail = filters(query).add('duration_ms >= ?', tailMs as number);
  const examples = await read(
    `SELECT category, operation, trace_id FROM (
       SELECT category, operation, trace_id,
         row_number() OVER (PARTITION BY category, operation ORDER BY critical_ms DESC, trace_id) AS rank
       FROM critical_path_operations ${tail})
     WHERE rank <= ${EXAMPLE_TRACES_PER_OPERATION} ORDER BY category, operation, rank`,
    tail.params,
  );
  totals.operations = operationTotals(rows, examples);
  return criticalPathAnswer(query, totals);
}
