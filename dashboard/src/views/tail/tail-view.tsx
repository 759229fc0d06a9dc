import type { CriticalPathResponse } from '@threshold/core';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { WindowEmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { FilterBar } from '../../components/filter-bar';
import { PageHeader } from '../../components/page-header';
import { formatDurationMs, formatPercent } from '../../format/format-duration';
import { Link } from '../../router/link';
import { useQueryState } from '../../router/query-state';
import { useTimeWindow } from '../../time/use-time-window';
import { TailChart } from './tail-chart';
import { addedMs, chartRows, DEFAULT_TAIL_PERCENTILE, TAIL_PERCENTILES, tableRows, tailPercentileOf, tailRows } from './tail-rows';

/**
 * "Where the tail goes": which operations hold the critical path of the window's slowest tasks,
 * and how much longer than in its typical ones, with the tail tasks that show it best.
 */
export default function TailView() {
  const window = useTimeWindow();
  const [query, setQuery] = useQueryState();
  const percentile = tailPercentileOf(query.get('tail'));
  const answer = useApi<CriticalPathResponse>(
    apiPath('/api/critical-path', {
      from: window.fromMs,
      to: window.toMs,
      service: window.service,
      taskClass: window.taskClass,
      tail: percentile,
    }),
    { refreshKey: window.refreshKey, keepPrevious: true },
  );
  const data = answer.data;
  const rows = data ? tailRows(data) : [];
  const ranked = chartRows(rows);
  const table = tableRows(rows);
  const added = data ? addedMs(data) : null;

  return (
    <div className="view" data-view="tail">
      <PageHeader
        title="Where the tail goes"
        subtitle={`What the slowest tasks (at or above P${percentile}) waited on, operation by operation, against typical tasks (at or below P50).`}
      >
        <div className="segmented" role="group" aria-label="Tail percentile">
          {TAIL_PERCENTILES.map((p) => (
            <button
              key={p}
              type="button"
              className={p === percentile ? 'segment active' : 'segment'}
              aria-pressed={p === percentile}
              onClick={() => setQuery({ tail: p === DEFAULT_TAIL_PERCENTILE ? null : p })}
            >
              P{p}
            </button>
          ))}
        </div>
      </PageHeader>
      <FilterBar />
      {answer.error ? <ErrorMessage error={answer.error} onRetry={answer.reload} what="the slow tail" /> : null}
      {data && data.tail.traces === 0 ? <WindowEmptyState /> : null}
      {data && data.tail.traces > 0 ? (
        <>
          <section className="panel" data-panel="tail-summary">
            <p className="tail-summary">
              <strong>{data.tail.traces.toLocaleString('en-US')}</strong> task{data.tail.traces === 1 ? '' : 's'} took{' '}
              {formatDurationMs(data.tail.thresholdMs)} (P{percentile}) or longer;{' '}
              <strong>{data.typical.traces.toLocaleString('en-US')}</strong> typical task{data.typical.traces === 1 ? '' : 's'} took the P50
              or less.
              {added !== null ? (
                <>
                  {' '}
                  On average a tail task took <strong>{formatDurationMs(added)}</strong> longer
                  {ranked.length > 0 ? (
                    <>
                      , {formatPercent(ranked[0].shareOfAdded)} of it in <strong>{ranked[0].name}</strong>
                    </>
                  ) : null}
                  .
                </>
              ) : null}
            </p>
          </section>
          {ranked.length > 0 ? (
            <section className="panel">
              <div className="panel-head">
                <h2>Time added on the critical path</h2>
                <span className="muted">Mean critical-path time per task, ranked by how much more the tail spends</span>
              </div>
              <TailChart rows={ranked} percentile={percentile} />
            </section>
          ) : null}
          <section className="panel flush">
            <div className="table-scroll">
              <table className="table" data-table="tail">
                <thead>
                  <tr>
                    <th>Operation</th>
                    <th className="num">Tail mean</th>
                    <th className="num">Typical mean</th>
                    <th className="num">Added</th>
                    <th className="num">Share of added</th>
                    <th className="num">Critical in tail</th>
                    <th>Example tail tasks</th>
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((row) => (
                    <tr key={row.key} data-operation={row.key}>
                      <td>
                        <span className="legend-swatch" style={{ background: row.color }} aria-hidden="true" />
                        <strong>{row.name}</strong> <span className="muted small">{row.label.split(' · ')[0]}</span>
                      </td>
                      <td className="num">{formatDurationMs(row.tailMs)}</td>
                      <td className="num">{formatDurationMs(row.typicalMs)}</td>
                      <td className={row.excessMs > 0 ? 'num strong' : 'num'}>{formatDurationMs(row.excessMs)}</td>
                      <td className="num">{row.shareOfAdded > 0 ? formatPercent(row.shareOfAdded) : '—'}</td>
                      <td className="num">{formatPercent(row.tailCriticalRate)}</td>
                      <td>
                        <div className="example-links">
                          {row.exampleTraceIds.map((traceId) => (
                            <Link key={traceId} href={`/traces/${traceId}`} className="mono" title={traceId}>
                              {traceId.slice(0, 8)}
                            </Link>
                          ))}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {table.typicalOnly > 0 ? (
              <p className="muted small table-note">
                {table.typicalOnly} more operation{table.typicalOnly === 1 ? '' : 's'} held the critical path of typical tasks only.
              </p>
            ) : null}
          </section>
        </>
      ) : null}
      {answer.loading && !data ? <div className="loading-page">Loading…</div> : null}
    </div>
  );
}
