import { CATEGORY_STYLES, OPERATION_CATEGORIES, type OperationCategory, type OperationsResponse } from '@threshold/core';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { WindowEmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { FilterBar } from '../../components/filter-bar';
import { LatencyCells, LatencyHeads } from '../../components/latency-cells';
import { PageHeader } from '../../components/page-header';
import { formatPercent } from '../../format/format-duration';
import { useQueryState } from '../../router/query-state';
import { useTimeWindow } from '../../time/use-time-window';

const SUBTITLES: Record<OperationCategory, string> = {
  tool: 'Tool calls: 100 ms – 2 s each is typical; repeated or cold calls are what recommendations look for.',
  state: 'Session and memory loads and saves, retrieval, checkpoints: healthy systems spend 10–100 ms per llm call.',
  orchestration: 'Routing, queue and rate-limit waits, dispatch: typically 5–20 ms, spiking under load.',
};

export default function OperationsView() {
  const window = useTimeWindow();
  const [query, setQuery] = useQueryState();
  const category: OperationCategory = (OPERATION_CATEGORIES as readonly string[]).includes(query.get('category') ?? '')
    ? (query.get('category') as OperationCategory)
    : 'tool';
  const operations = useApi<OperationsResponse>(
    apiPath('/api/operations', { from: window.fromMs, to: window.toMs, category, service: window.service }),
    {
      refreshKey: window.refreshKey,
      keepPrevious: false,
    },
  );
  const rows = operations.data?.operations ?? [];

  return (
    <div className="view" data-view="operations">
      <PageHeader title="Tools & operations" subtitle={SUBTITLES[category]} />
      <div className="tabs" role="tablist">
        {OPERATION_CATEGORIES.map((c) => (
          <button
            key={c}
            type="button"
            role="tab"
            aria-selected={c === category}
            className={c === category ? 'tab active' : 'tab'}
            onClick={() => setQuery({ category: c === 'tool' ? null : c })}
          >
            <span className="legend-swatch" style={{ background: CATEGORY_STYLES[c].color }} aria-hidden="true" />
            {c === 'tool' ? 'Tools' : CATEGORY_STYLES[c].label}
          </button>
        ))}
      </div>
      <FilterBar showClass={false} />
      {operations.error ? <ErrorMessage error={operations.error} onRetry={operations.reload} what="operation statistics" /> : null}
      {operations.data && rows.length === 0 ? <WindowEmptyState title={`No ${category} operations in this window`} /> : null}
      {rows.length > 0 ? (
        <section className="panel flush">
          <div className="table-scroll">
            <table className="table" data-table="operations">
              <thead>
                <tr>
                  <th rowSpan={2}>{category === 'tool' ? 'Tool' : 'Operation'}</th>
                  <th rowSpan={2} className="num">
                    Calls
                  </th>
                  <th rowSpan={2} className="num">
                    Errors
                  </th>
                  {category === 'tool' ? (
                    <>
                      <th rowSpan={2} className="num">
                        Cache hits
                      </th>
                      <th rowSpan={2} className="num">
                        Cold starts
                      </th>
                    </>
                  ) : null}
                  <th colSpan={3} className="group">
                    Duration
                  </th>
                </tr>
                <tr>
                  <LatencyHeads />
                </tr>
              </thead>
              <tbody>
                {rows.map((op) => (
                  <tr key={op.name}>
                    <td>
                      <strong>{op.name}</strong>
                    </td>
                    <td className="num">{op.calls.toLocaleString('en-US')}</td>
                    <td className={op.errorRate > 0 ? 'num over' : 'num'}>{formatPercent(op.errorRate)}</td>
                    {category === 'tool' ? (
                      <>
                        <td className="num">{formatPercent(op.cacheHitRate)}</td>
                        <td className="num">{formatPercent(op.coldStartRate)}</td>
                      </>
                    ) : null}
                    <LatencyCells triple={op.duration} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
