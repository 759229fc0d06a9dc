import type { StatsGroup, TraceList } from '@threshold/core';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { BandBadge } from '../../components/band-badge';
import { ErrorMessage } from '../../components/error-message';
import { formatDurationMs } from '../../format/format-duration';
import { formatTimestamp } from '../../format/format-time';
import { Link } from '../../router/link';
import type { TimeWindow } from '../../time/use-time-window';
import { slowest, slowTaskThresholdMs } from './overview-data';

const CANDIDATES = 200;
const SHOWN = 8;

/** The slowest tasks of the window, each linking to its waterfall. */
export function SlowestTasks({ groups, window }: { groups: StatsGroup[]; window: TimeWindow }) {
  const minDurationMs = slowTaskThresholdMs(groups, CANDIDATES);
  const list = useApi<TraceList>(
    apiPath('/api/traces', {
      from: window.fromMs,
      to: window.toMs,
      service: window.service,
      taskClass: window.taskClass,
      minDurationMs: minDurationMs || undefined,
      limit: CANDIDATES,
    }),
    { refreshKey: window.refreshKey, keepPrevious: true },
  );
  if (list.error) return <ErrorMessage error={list.error} onRetry={list.reload} what="the slowest tasks" />;
  const rows = slowest(list.data?.traces ?? [], SHOWN);
  return (
    <table className="table compact" data-table="slowest">
      <thead>
        <tr>
          <th>Task</th>
          <th>Class</th>
          <th className="num">Duration</th>
          <th className="num">Perceived</th>
          <th>Band</th>
          <th>When</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((trace) => (
          <tr key={trace.traceId}>
            <td>
              <Link href={`/traces/${trace.traceId}`}>{trace.name}</Link>
              <div className="muted small">{trace.service}</div>
            </td>
            <td>{trace.taskClass}</td>
            <td className={trace.overBudget ? 'num over' : 'num'}>{formatDurationMs(trace.durationMs)}</td>
            <td className="num">{formatDurationMs(trace.perceivedMs)}</td>
            <td>
              <BandBadge band={trace.band} />
            </td>
            <td className="muted">{formatTimestamp(trace.startTimeMs)}</td>
          </tr>
        ))}
        {rows.length === 0 && !list.loading ? (
          <tr>
            <td colSpan={6} className="muted">
              No tasks in this window.
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
