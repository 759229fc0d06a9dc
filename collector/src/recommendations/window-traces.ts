import type { TraceSummary } from '@threshold/core';
import type { TraceQueries } from '../store/trace-queries.js';

/** Most traces a window view reads (newest first); beyond it the view covers the newest ones. */
export const MAX_WINDOW_TRACES = 50_000;

/** Every trace summary of a window, paging through the store's list (newest first). */
export async function windowTraces(
  store: Pick<TraceQueries, 'listTraces'>,
  window: { from?: number; to?: number; taskClass?: string; service?: string },
): Promise<TraceSummary[]> {
  const traces: TraceSummary[] = [];
  while (traces.length < MAX_WINDOW_TRACES) {
    const page = await store.listTraces({ ...window, limit: 1_000, offset: traces.length });
    traces.push(...page.traces);
    if (page.traces.length < 1_000) break;
  }
  return traces;
}
