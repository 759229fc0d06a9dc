import { TRACE_SORT_KEYS, UX_BANDS, type SortDirection, type TraceList, type TraceSortKey } from '@threshold/core';
import { useEffect, useRef, useState } from 'react';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { WindowEmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { FilterBar } from '../../components/filter-bar';
import { PageHeader } from '../../components/page-header';
import { useQueryState } from '../../router/query-state';
import { useTimeWindow } from '../../time/use-time-window';
import { nextSort } from './sort-traces';
import { TracesTable } from './traces-table';

const PAGE_SIZE = 50;

export default function TracesView() {
  const window = useTimeWindow();
  const [query, setQuery] = useQueryState();
  const page = Math.max(0, Number(query.get('page')) || 0);
  const band = query.get('band') ?? '';
  const sessionId = query.get('sessionId') ?? '';
  const minDurationMs = query.get('minDurationMs') ?? '';
  const sortKey = (TRACE_SORT_KEYS as readonly string[]).includes(query.get('sort') ?? '')
    ? (query.get('sort') as TraceSortKey)
    : 'startTimeMs';
  const sortDirection: SortDirection = query.get('order') === 'asc' ? 'asc' : 'desc';

  const list = useApi<TraceList>(
    apiPath('/api/traces', {
      from: window.fromMs,
      to: window.toMs,
      service: window.service,
      taskClass: window.taskClass,
      band,
      sessionId,
      minDurationMs,
      sort: sortKey === 'startTimeMs' ? undefined : sortKey,
      order: sortDirection === 'desc' ? undefined : sortDirection,
      limit: PAGE_SIZE,
      offset: page * PAGE_SIZE,
    }),
    { refreshKey: window.refreshKey, keepPrevious: true },
  );

  // Rows that arrived on a live refresh are highlighted briefly (not when the filters or page change).
  const listKey = JSON.stringify([
    window.key,
    window.service,
    window.taskClass,
    band,
    sessionId,
    minDurationMs,
    page,
    sortKey,
    sortDirection,
  ]);
  const seen = useRef<{ key: string; ids: Set<string> } | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!list.data) return;
    const ids = list.data.traces.map((t) => t.traceId);
    const previous = seen.current;
    setFresh(previous && previous.key === listKey ? new Set(ids.filter((id) => !previous.ids.has(id))) : new Set());
    seen.current = { key: listKey, ids: new Set(ids) };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.data]);

  const rows = list.data?.traces ?? [];
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const goToPage = (next: number) => setQuery({ page: Math.min(pages - 1, Math.max(0, next)) || null }, { push: true });

  return (
    <div className="view" data-view="traces">
      <PageHeader
        title="Traces"
        subtitle="Every task the collector has analysed, newest first; click a column to sort them all. Select one to see its waterfall."
      />
      <FilterBar />
      <div className="filter-bar secondary">
        <label className="select-label">
          Band
          <select value={band} onChange={(e) => setQuery({ band: e.target.value, page: null })}>
            <option value="">All bands</option>
            {UX_BANDS.map((b) => (
              <option key={b.band} value={b.band}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
        <label className="select-label">
          Slower than
          <input
            type="number"
            min={0}
            step={100}
            placeholder="ms"
            className="narrow"
            defaultValue={minDurationMs}
            onChange={(e) => setQuery({ minDurationMs: e.target.value, page: null })}
          />
          <span className="muted">ms</span>
        </label>
        {sessionId ? (
          <span className="chip">
            session <span className="mono">{sessionId}</span>
            <button type="button" aria-label="Clear session filter" onClick={() => setQuery({ sessionId: null, page: null })}>
              ×
            </button>
          </span>
        ) : null}
      </div>
      {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} what="traces" /> : null}
      {list.data && list.data.total === 0 ? <WindowEmptyState /> : null}
      {rows.length > 0 ? (
        <section className="panel flush">
          <TracesTable
            traces={rows}
            sort={{ key: sortKey, direction: sortDirection }}
            onSort={(key) => {
              const next = nextSort({ key: sortKey, direction: sortDirection }, key);
              setQuery({ sort: next.key === 'startTimeMs' ? null : next.key, order: next.direction === 'desc' ? null : 'asc' });
            }}
            fresh={fresh}
            onPage={(delta) => goToPage(page + delta)}
          />
          <div className="pagination">
            <span className="muted">
              {(page * PAGE_SIZE + 1).toLocaleString('en-US')}–{Math.min(total, (page + 1) * PAGE_SIZE).toLocaleString('en-US')} of{' '}
              {total.toLocaleString('en-US')}
            </span>
            <button type="button" className="button" disabled={page === 0} onClick={() => goToPage(page - 1)}>
              ← Previous
            </button>
            <span className="muted">
              Page {page + 1} of {pages}
            </span>
            <button type="button" className="button" disabled={page + 1 >= pages} onClick={() => goToPage(page + 1)}>
              Next →
            </button>
          </div>
        </section>
      ) : null}
      {list.loading && !list.data ? <div className="loading-page">Loading…</div> : null}
    </div>
  );
}
