import { DOUBLE, VARCHAR } from '@duckdb/node-api';
import { criticalOperations, type CriticalOperation, type TraceSummary } from '@threshold/core';
import type { AnalysedTrace } from '../analysis-store.js';
import type { ColumnSpec } from './append-columns.js';

/**
 * The trace's columns every critical-path read filters on. Both tables repeat them so that the
 * tail query reads one table at a time, without a join against `traces`.
 */
const TRACE_FILTER_COLUMNS: readonly ColumnSpec<{ summary: TraceSummary }>[] = [
  { name: 'trace_id', type: VARCHAR, value: (row) => row.summary.traceId },
  { name: 'start_ms', type: DOUBLE, value: (row) => row.summary.startTimeMs },
  { name: 'service', type: VARCHAR, value: (row) => row.summary.service },
  { name: 'task_class', type: VARCHAR, value: (row) => row.summary.taskClass },
  { name: 'name', type: VARCHAR, value: (row) => row.summary.name },
  { name: 'duration_ms', type: DOUBLE, value: (row) => row.summary.durationMs },
];

/** The tables below, replaced and removed with their trace. */
export const CRITICAL_PATH_TABLES: readonly string[] = ['critical_path_traces', 'critical_path_operations'];

/** A `critical_path_traces` row: one per trace analysed with its critical-path operations stored. */
export const CRITICAL_PATH_TRACE_COLUMNS = TRACE_FILTER_COLUMNS;

export function toCriticalPathTraceRows(trace: AnalysedTrace): Array<{ summary: TraceSummary }> {
  return [{ summary: trace.analysis.summary }];
}

/** A `critical_path_operations` row: one operation's critical-path time in one trace. */
export interface CriticalPathOperationRow {
  summary: TraceSummary;
  operation: CriticalOperation;
}

/** The derivation is core's (`criticalOperations`); the row only carries it. */
export function toCriticalPathOperationRows(trace: AnalysedTrace): CriticalPathOperationRow[] {
  return criticalOperations(trace.analysis).map((operation) => ({ summary: trace.analysis.summary, operation }));
}

export const CRITICAL_PATH_OPERATION_COLUMNS: readonly ColumnSpec<CriticalPathOperationRow>[] = [
  ...(TRACE_FILTER_COLUMNS as readonly ColumnSpec<CriticalPathOperationRow>[]),
  { name: 'category', type: VARCHAR, value: (row) => row.operation.category },
  { name: 'operation', type: VARCHAR, value: (row) => row.operation.name },
  { name: 'critical_ms', type: DOUBLE, value: (row) => row.operation.criticalMs },
];
