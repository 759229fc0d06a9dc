import type { SessionsResponse } from '@threshold/core';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { WindowEmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { FilterBar } from '../../components/filter-bar';
import { PageHeader } from '../../components/page-header';
import { formatCount, formatDurationMs } from '../../format/format-duration';
import { formatTimestamp } from '../../format/format-time';
import { Link } from '../../router/link';
import { useQueryState } from '../../router/query-state';
import { useTimeWindow } from '../../time/use-time-window';

const PAGE_SIZE = 50;

export default function SessionsView() {
  const window = useTimeWindow();
  const [query, setQuery] = useQueryState();
  const page = Math.max(0, Number(query.get('page')) || 0);
  const sessions = useApi<SessionsResponse>(
    apiPath('/api/sessions', { from: window.fromMs, to: window.toMs, service: window.service, limit: PAGE_SIZE, offset: page * PAGE_SIZE }),
    {
      refreshKey: window.refreshKey,
      keepPrevious: true,
    },
  );
  const rows = sessions.data?.sessions ?? [];
  const total = sessions.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div className="view" data-view="sessions">
      <PageHeader title="Sessions" subtitle="Conversations over several turns: does latency climb as the context window fills?" />
      <FilterBar showClass={false} />
      {sessions.error ? <ErrorMessage error={sessions.error} onRetry={sessions.reload} what="sessions" /> : null}
      {sessions.data && total === 0 ? <WindowEmptyState title="No sessions in this window" /> : null}
      {rows.length > 0 ? (
        <section className="panel flush">
          <div className="table-scroll">
            <table className="table" data-table="sessions">
              <thead>
                <tr>
                  <th>Session</th>
                  <th>Service</th>
                  <th className="num">Turns</th>
                  <th>First turn</th>
                  <th>Last turn</th>
                  <th className="num">P50 turn</th>
                  <th className="num">Slowest turn</th>
                  <th className="num">Last input tokens</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.sessionId}>
                    <td className="mono">
                      <Link href={`/sessions/${encodeURIComponent(s.sessionId)}`}>{s.sessionId}</Link>
                    </td>
                    <td>{s.service}</td>
                    <td className="num">{s.turns}</td>
                    <td className="muted">{formatTimestamp(s.firstStartTimeMs)}</td>
                    <td className="muted">{formatTimestamp(s.lastStartTimeMs)}</td>
                    <td className="num">{formatDurationMs(s.p50Ms)}</td>
                    <td className="num">{formatDurationMs(s.maxMs)}</td>
                    <td className="num">{formatCount(s.lastInputTokens)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="pagination">
            <span className="muted">{total.toLocaleString('en-US')} sessions</span>
            <button
              type="button"
              className="button"
              disabled={page === 0}
              onClick={() => setQuery({ page: page - 1 || null }, { push: true })}
            >
              ← Newer
            </button>
            <span className="muted">
              Page {page + 1} of {pages}
            </span>
            <button
              type="button"
              className="button"
              disabled={page + 1 >= pages}
              onClick={() => setQuery({ page: page + 1 }, { push: true })}
            >
              Older →
            </button>
          </div>
        </section>
      ) : null}
    </div>
  );
}
