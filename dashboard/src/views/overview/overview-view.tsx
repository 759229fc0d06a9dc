import type { StatsResponse, TimeSeriesResponse } from '@threshold/core';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { sharedQuery } from '../../app/resolve-view';
import { WindowEmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { FilterBar } from '../../components/filter-bar';
import { PageHeader } from '../../components/page-header';
import { Link } from '../../router/link';
import { useLocation } from '../../router/navigation';
import { bucketMsFor } from '../../time/time-range';
import { useTimeWindow } from '../../time/use-time-window';
import { FiringAlertsBanner } from '../alerts/firing-alerts-banner';
import { BandPanel } from './band-panel';
import { BreakdownChart } from './breakdown-chart';
import { ClassCards } from './class-cards';
import { LatencyChart } from './latency-chart';
import { SlowestTasks } from './slowest-tasks';

export default function OverviewView() {
  const window = useTimeWindow();
  const location = useLocation();
  const live = { refreshKey: window.refreshKey, keepPrevious: true };
  const stats = useApi<StatsResponse>(
    apiPath('/api/stats', {
      from: window.fromMs,
      to: window.toMs,
      groupBy: 'taskClass',
      service: window.service,
      taskClass: window.taskClass,
    }),
    live,
  );
  const series = useApi<TimeSeriesResponse>(
    apiPath('/api/timeseries', {
      from: window.fromMs,
      to: window.toMs,
      groupBy: 'taskClass',
      bucketMs: bucketMsFor(window),
      service: window.service,
      taskClass: window.taskClass,
    }),
    live,
  );
  const groups = (stats.data?.groups ?? []).filter((g) => !window.taskClass || g.key === window.taskClass);
  const empty = stats.data !== undefined && groups.length === 0;

  return (
    <div className="view" data-view="overview">
      <PageHeader title="Overview" subtitle="Task latency as users feel it, per task class, against its P99 budget." />
      <FiringAlertsBanner />
      <FilterBar />
      {stats.error ? <ErrorMessage error={stats.error} onRetry={stats.reload} what="task statistics" /> : null}
      {empty ? <WindowEmptyState /> : null}
      {groups.length > 0 ? (
        <>
          <ClassCards groups={groups} />
          <BandPanel groups={groups} />
          <section className="panel">
            <div className="panel-head">
              <h2>Latency over time</h2>
              <span className="muted">P50 / P95 / P99 per task class; red dots mark buckets whose P99 broke the budget</span>
            </div>
            {series.error ? <ErrorMessage error={series.error} onRetry={series.reload} what="the latency time series" /> : null}
            <div className="chart-grid">
              {(series.data?.series ?? [])
                .filter((s) => !window.taskClass || s.key === window.taskClass)
                .map((s) => (
                  <LatencyChart key={s.key} series={s} fromMs={window.fromMs} toMs={window.toMs} />
                ))}
            </div>
          </section>
          <div className="two-columns">
            <section className="panel">
              <div className="panel-head">
                <h2>Where the time goes</h2>
                <span className="muted">
                  Mean critical-path time per task ·{' '}
                  <Link href={`/tail${sharedQuery(location.search)}`} data-link="tail">
                    Where the tail goes →
                  </Link>
                </span>
              </div>
              <BreakdownChart groups={groups} />
            </section>
            <section className="panel">
              <div className="panel-head">
                <h2>Slowest tasks</h2>
              </div>
              <SlowestTasks groups={groups} window={window} />
            </section>
          </div>
        </>
      ) : null}
      {stats.loading && !stats.data ? <div className="loading-page">Loading…</div> : null}
    </div>
  );
}
