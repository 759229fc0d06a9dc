import type { StatsGroup, TraceList } from '@threshold/core';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { BandDistribution } from '../../components/band-distribution';
import type { TimeWindow } from '../../time/use-time-window';
import { countPerceivedBands, sumBands, sumPerceivedBands } from './overview-data';

/** The largest window for which perceived bands are counted from the trace list when the API has none. */
const PERCEIVED_FALLBACK_LIMIT = 1_000;

/** Tasks per UX band by wall time (actual) and by time to first output (perceived). */
export function BandPanel({ groups, window }: { groups: StatsGroup[]; window: TimeWindow }) {
  const actual = sumBands(groups);
  const fromApi = sumPerceivedBands(groups);
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  const needFallback = fromApi === null && total > 0 && total <= PERCEIVED_FALLBACK_LIMIT;
  const list = useApi<TraceList>(
    needFallback
      ? apiPath('/api/traces', { from: window.fromMs, to: window.toMs, service: window.service, taskClass: window.taskClass, limit: PERCEIVED_FALLBACK_LIMIT })
      : null,
    { refreshKey: window.refreshKey, keepPrevious: true },
  );
  const perceived = fromApi ?? (list.data && list.data.total === list.data.traces.length ? countPerceivedBands(list.data.traces) : null);

  return (
    <section className="panel">
      <div className="panel-head">
        <h2>How tasks felt</h2>
        <span className="muted">UX bands: actual duration vs. time to first output</span>
      </div>
      <div className="band-panels">
        <BandDistribution counts={actual} label="Actual (task duration)" testId="actual" />
        {perceived ? (
          <BandDistribution counts={perceived} label="Perceived (time to first output)" testId="perceived" />
        ) : (
          <div className="band-distribution muted">Perceived band counts are not available for this window.</div>
        )}
      </div>
    </section>
  );
}
