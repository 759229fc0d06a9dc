import { useMemo } from 'react';
import { useLiveRefresh } from '../live/live-context';
import { useQueryState } from '../router/query-state';
import { resolveTimeRange, type TimeRange } from './time-range';

/**
 * The time window and filters of the current URL, resolved against "now". New traces arriving on
 * the live stream bump `refreshKey` (throttled), which also slides a relative window to the new
 * "now", so every query of a view refreshes together.
 */
export interface TimeWindow extends TimeRange {
  service: string | undefined;
  taskClass: string | undefined;
  refreshKey: number;
}

export function useTimeWindow(): TimeWindow {
  const [query] = useQueryState();
  const refreshKey = useLiveRefresh();
  const search = query.toString();
  return useMemo(() => {
    const range = resolveTimeRange(query, Date.now());
    return { ...range, service: query.get('service') || undefined, taskClass: query.get('taskClass') || undefined, refreshKey };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search, refreshKey]);
}
