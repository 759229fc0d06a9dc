import type { TraceSummary } from '@threshold/core';

/** The traces table's sortable columns and how each compares; ties keep the API's order (newest first). */
export type TraceSortKey = 'startTimeMs' | 'name' | 'service' | 'taskClass' | 'durationMs' | 'perceivedMs' | 'band' | 'overBudget' | 'llmCalls' | 'toolCalls' | 'sessionId';
export type SortDirection = 'asc' | 'desc';

export const TRACE_SORT_KEYS: readonly TraceSortKey[] = ['startTimeMs', 'name', 'service', 'taskClass', 'durationMs', 'perceivedMs', 'band', 'overBudget', 'llmCalls', 'toolCalls', 'sessionId'];

const BAND_ORDER = { instant: 0, responsive: 1, noticeable: 2, frustrating: 3, uncomfortable: 4, broken: 5 } as const;

function value(trace: TraceSummary, key: TraceSortKey): number | string {
  switch (key) {
    case 'band':
      return BAND_ORDER[trace.band];
    case 'overBudget':
      return trace.overBudget ? 1 : 0;
    case 'sessionId':
      return trace.sessionId ?? '';
    default:
      return trace[key];
  }
}

export function sortTraces(traces: readonly TraceSummary[], key: TraceSortKey, direction: SortDirection): TraceSummary[] {
  const sign = direction === 'asc' ? 1 : -1;
  return traces
    .map((trace, index) => ({ trace, index }))
    .sort((a, b) => {
      const x = value(a.trace, key);
      const y = value(b.trace, key);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return order !== 0 ? sign * order : a.index - b.index;
    })
    .map(({ trace }) => trace);
}

/** Clicking a column: a new column sorts descending for numbers and times, ascending for text; the same column flips. */
export function nextSort(current: { key: TraceSortKey; direction: SortDirection }, clicked: TraceSortKey): { key: TraceSortKey; direction: SortDirection } {
  if (current.key === clicked) return { key: clicked, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  const textual = clicked === 'name' || clicked === 'service' || clicked === 'taskClass' || clicked === 'sessionId';
  return { key: clicked, direction: textual ? 'asc' : 'desc' };
}

/** Keyboard movement through the table's rows: arrows and j/k by one, Home/End to the ends. */
export function nextRowIndex(current: number, key: string, rowCount: number): number | null {
  if (rowCount === 0) return null;
  const last = rowCount - 1;
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return current < 0 ? 0 : Math.min(last, current + 1);
    case 'ArrowUp':
    case 'k':
      return current < 0 ? 0 : Math.max(0, current - 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}
