import { BOOLEAN, DOUBLE, VARCHAR } from '@duckdb/node-api';
import type { Finding, TraceSummary } from '@threshold/core';
import type { AnalysedTrace } from '../analysis-store.js';
import type { ColumnSpec } from './append-columns.js';

/** A `findings` row: one finding of one analysed trace. */
export interface FindingRow {
  summary: TraceSummary;
  finding: Finding;
}

export function toFindingRows(trace: AnalysedTrace): FindingRow[] {
  return trace.findings.map((finding) => ({ summary: trace.analysis.summary, finding }));
}

export const FINDING_COLUMNS: readonly ColumnSpec<FindingRow>[] = [
  { name: 'trace_id', type: VARCHAR, value: (row) => row.summary.traceId },
  { name: 'start_ms', type: DOUBLE, value: (row) => row.summary.startTimeMs },
  { name: 'service', type: VARCHAR, value: (row) => row.summary.service },
  { name: 'task_class', type: VARCHAR, value: (row) => row.summary.taskClass },
  { name: 'duration_ms', type: DOUBLE, value: (row) => row.summary.durationMs },
  { name: 'perceived_ms', type: DOUBLE, value: (row) => row.summary.perceivedMs },
  { name: 'rule_id', type: VARCHAR, value: (row) => row.finding.ruleId },
  { name: 'saving_ms', type: DOUBLE, value: (row) => row.finding.savingMs },
  { name: 'perceived', type: BOOLEAN, value: (row) => row.finding.perceived === true },
  { name: 'finding', type: VARCHAR, value: (row) => JSON.stringify(row.finding) },
];
