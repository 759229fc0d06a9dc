import type { CriticalPathResponse } from '@threshold/core';
import {
  criticalPathAnswer,
  EXAMPLE_TRACES_PER_OPERATION,
  operationTotals,
  type CriticalPathTotals,
} from '../rows/critical-path-answer.js';
import type { CriticalPathQuery } from '../trace-queries.js';
import { SqlWhere, type ReadRows } from './sql-where.js';

function filters(query: CriticalPathQuery): SqlWhere {
  return new SqlWhere().window(query).add('task_class = ?', query.taskClass).add('name = ?', query.name);
}

/**
 * Where the slow tail's time goes, in four reads of one snapshot: the window's P{tail} and P50
 * (`quantile_cont`, R-7), the size of each group, then per operation its critical-path sum in
 * the tail with the tail tasks that waited on it longest, and its sum in the typical tasks. The
 * operations table repeats each trace's duration, so no read joins. Two grouped reads, each over
 * its group's rows only, measured faster than one read filtering both groups (and much faster
 * than ranking the examples with a window function): 1M traces, bench/query.mjs.
 */
export async function criticalPath(read: ReadRows, query: CriticalPathQuery): Promise<CriticalPathResponse> {
  const window = filters(query);
  const [[thresholds]] = await read(`SELECT quantile_cont(duration_ms, [?, 0.5]) FROM critical_path_traces ${window}`, [
    query.tail / 100,
    ...window.params,
  ]);
  const totals: CriticalPathTotals = { tailThresholdMs: null, tailTraces: 0, typicalTraces: 0, operations: [] };
  if (thresholds === null) return criticalPathAnswer(query, totals);
  const [tailMs, p50Ms] = thresholds as [number, number];
  totals.tailThresholdMs = tailMs;
  const [[tailTraces, typicalTraces]] = await read(
    `SELECT count(*) FILTER (WHERE duration_ms >= ?)::DOUBLE, count(*) FILTER (WHERE duration_ms <= ?)::DOUBLE FROM critical_path_traces ${window}`,
    [tailMs, p50Ms, ...window.params],
  );
  totals.tailTraces = tailTraces as number;
  totals.typicalTraces = typicalTraces as number;
  const tail = filters(query).add('duration_ms >= ?', tailMs);
  const tailRows = await read(
    `SELECT category, operation, sum(critical_ms), count(*)::DOUBLE, arg_max(trace_id, (critical_ms, trace_id), ${EXAMPLE_TRACES_PER_OPERATION})
     FROM critical_path_operations ${tail} GROUP BY category, operation`,
    tail.params,
  );
  const typical = filters(query).add('duration_ms <= ?', p50Ms);
  const typicalRows = await read(
    `SELECT category, operation, sum(critical_ms) FROM critical_path_operations ${typical} GROUP BY category, operation`,
    typical.params,
  );
  totals.operations = operationTotals(tailRows, typicalRows);
  return criticalPathAnswer(query, totals);
}
