import type { FindingRuleId, RecommendationsResponse } from '@threshold/core';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { WindowEmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { FilterBar } from '../../components/filter-bar';
import { PageHeader } from '../../components/page-header';
import { useQueryState } from '../../router/query-state';
import { useTimeWindow } from '../../time/use-time-window';
import { ProjectionCharts } from './projection-charts';
import { RecommendationCard } from './recommendation-card';
import { useWindowProjection } from './use-window-projection';

export default function RecommendationsView() {
  const window = useTimeWindow();
  const [query, setQuery] = useQueryState();
  const only = (query.get('only') || undefined) as FindingRuleId | undefined;
  const recommendations = useApi<RecommendationsResponse>(
    apiPath('/api/recommendations', { from: window.fromMs, to: window.toMs, taskClass: window.taskClass, service: window.service }),
    {
      refreshKey: window.refreshKey,
      keepPrevious: true,
    },
  );
  const list = recommendations.data?.recommendations ?? [];
  const projection = useWindowProjection(
    list.length > 0 ? { from: window.fromMs, to: window.toMs, taskClass: window.taskClass, ruleId: only } : null,
    window.refreshKey,
  );
  const onlyTitle = only ? list.find((r) => r.ruleId === only)?.title : undefined;

  return (
    <div className="view" data-view="recommendations">
      <PageHeader
        title="Recommendations"
        subtitle="What to change, computed from your own spans, ranked by the time it would save at P99."
      />
      <FilterBar />
      {recommendations.error ? (
        <ErrorMessage error={recommendations.error} onRetry={recommendations.reload} what="recommendations" />
      ) : null}
      {recommendations.data && recommendations.data.tracesAnalysed === 0 ? <WindowEmptyState /> : null}
      {recommendations.data && recommendations.data.tracesAnalysed > 0 && list.length === 0 ? (
        <div className="panel notice">
          <h2>Nothing to recommend</h2>
          <p className="muted">
            None of the {recommendations.data.tracesAnalysed.toLocaleString('en-US')} tasks in this window shows a pattern Threshold knows
            how to speed up.
          </p>
        </div>
      ) : null}
      {list.length > 0 ? (
        <>
          <section className="panel">
            <div className="panel-head">
              <h2>If you applied {only ? <>“{onlyTitle ?? only}” alone</> : 'every recommendation'}</h2>
              {only ? (
                <button type="button" className="button small" onClick={() => setQuery({ only: null })}>
                  Show all applied
                </button>
              ) : (
                <span className="muted">Projected with the same analysis that measured the tasks</span>
              )}
            </div>
            {projection.error ? <ErrorMessage error={projection.error} what="the projection" /> : null}
            {projection.data ? (
              <ProjectionCharts projection={projection.data} />
            ) : projection.loading ? (
              <div className="loading-page">Projecting…</div>
            ) : null}
          </section>
          <div className="rec-list">
            {list.map((r, index) => (
              <RecommendationCard
                key={r.ruleId}
                recommendation={r}
                rank={index + 1}
                tracesAnalysed={recommendations.data!.tracesAnalysed}
                projected={only === r.ruleId}
                onProject={() => setQuery({ only: only === r.ruleId ? null : r.ruleId })}
              />
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}
