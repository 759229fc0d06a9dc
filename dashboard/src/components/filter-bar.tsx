import type { FiltersResponse } from '@threshold/core';
import { useState } from 'react';
import { useApi } from '../api/use-api';
import { useLiveRefresh } from '../live/live-context';
import { fromDateTimeLocal, toDateTimeLocal } from '../format/format-time';
import { useQueryState } from '../router/query-state';
import { RANGE_PRESETS, resolveTimeRange } from '../time/time-range';

/**
 * Time range (presets or a custom window) and the service / task-class filters, all kept in the
 * URL so a view can be shared and survives reload. `showClass` hides the class filter on views
 * where it does not apply.
 */
export function FilterBar({ showClass = true, showService = true }: { showClass?: boolean; showService?: boolean }) {
  const [query, setQuery] = useQueryState();
  // New services and task classes appear as their first traces arrive.
  const filters = useApi<FiltersResponse>('/api/filters', { refreshKey: useLiveRefresh(10_000) });
  const range = resolveTimeRange(query, Date.now());
  const [customOpen, setCustomOpen] = useState(false);
  const [customFrom, setCustomFrom] = useState(() => toDateTimeLocal(range.fromMs));
  const [customTo, setCustomTo] = useState(() => toDateTimeLocal(range.toMs));
  const service = query.get('service') ?? '';
  const taskClass = query.get('taskClass') ?? '';

  const applyCustom = () => {
    const fromMs = fromDateTimeLocal(customFrom);
    const toMs = fromDateTimeLocal(customTo);
    if (fromMs === null || toMs === null || fromMs >= toMs) return;
    setQuery({ range: 'custom', from: fromMs, to: toMs, page: null });
    setCustomOpen(false);
  };

  return (
    <div className="filter-bar">
      <div className="segmented" role="group" aria-label="Time range">
        {RANGE_PRESETS.map((preset) => (
          <button
            key={preset.key}
            type="button"
            className={range.key === preset.key ? 'segment active' : 'segment'}
            aria-pressed={range.key === preset.key}
            onClick={() => setQuery({ range: preset.key, from: null, to: null, page: null })}
          >
            {preset.label.replace('Last ', '')}
          </button>
        ))}
        <button
          type="button"
          className={range.key === 'custom' ? 'segment active' : 'segment'}
          aria-pressed={range.key === 'custom'}
          aria-expanded={customOpen}
          onClick={() => {
            setCustomFrom(toDateTimeLocal(range.fromMs));
            setCustomTo(toDateTimeLocal(range.toMs));
            setCustomOpen((open) => !open);
          }}
        >
          Custom
        </button>
      </div>
      {customOpen ? (
        <form
          className="custom-range"
          onSubmit={(event) => {
            event.preventDefault();
            applyCustom();
          }}
        >
          <label>
            From <input type="datetime-local" value={customFrom} onChange={(e) => setCustomFrom(e.target.value)} />
          </label>
          <label>
            To <input type="datetime-local" value={customTo} onChange={(e) => setCustomTo(e.target.value)} />
          </label>
          <button type="submit" className="button primary">
            Apply
          </button>
        </form>
      ) : null}
      {showService ? (
        <label className="select-label">
          Service
          <select value={service} onChange={(e) => setQuery({ service: e.target.value, page: null })}>
            <option value="">All services</option>
            {withCurrent(filters.data?.services, service).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {showClass ? (
        <label className="select-label">
          Task class
          <select value={taskClass} onChange={(e) => setQuery({ taskClass: e.target.value, page: null })}>
            <option value="">All classes</option>
            {withCurrent(filters.data?.taskClasses, taskClass).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {filters.error ? (
        <span className="inline-error" role="alert">
          Filters unavailable: {filters.error.message}
        </span>
      ) : null}
    </div>
  );
}

/** The offered values plus the one in the URL, so a shared link's filter is shown even before data loads. */
function withCurrent(values: string[] | undefined, current: string): string[] {
  const list = [...(values ?? [])];
  if (current && !list.includes(current)) list.unshift(current);
  return list;
}
