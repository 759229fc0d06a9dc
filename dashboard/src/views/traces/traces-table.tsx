import type { SortDirection, TraceSortKey, TraceSummary } from '@threshold/core';
import { useRef, type KeyboardEvent } from 'react';
import { BandBadge } from '../../components/band-badge';
import { formatDurationMs } from '../../format/format-duration';
import { formatTimestamp } from '../../format/format-time';
import { Link } from '../../router/link';
import { navigate } from '../../router/navigation';
import { nextRowIndex } from './sort-traces';

const COLUMNS: Array<{ key: TraceSortKey; label: string; numeric?: boolean }> = [
  { key: 'startTimeMs', label: 'Time' },
  { key: 'name', label: 'Task' },
  { key: 'service', label: 'Service' },
  { key: 'taskClass', label: 'Class' },
  { key: 'durationMs', label: 'Duration', numeric: true },
  { key: 'perceivedMs', label: 'Perceived', numeric: true },
  { key: 'band', label: 'Band' },
  { key: 'overBudget', label: 'Budget' },
  { key: 'llmCalls', label: 'LLM', numeric: true },
  { key: 'toolCalls', label: 'Tools', numeric: true },
  { key: 'sessionId', label: 'Session' },
];

interface Props {
  traces: TraceSummary[];
  sort: { key: TraceSortKey; direction: SortDirection };
  onSort: (key: TraceSortKey) => void;
  fresh: ReadonlySet<string>;
  /** Page up/down from the keyboard. */
  onPage: (delta: number) => void;
}

/**
 * The traces table. Rows are focusable: ↑/↓ (or j/k) move, Enter opens the waterfall, PageUp/PageDown
 * change page. Clicking a header sorts by it.
 */
export function TracesTable({ traces, sort, onSort, fresh, onPage }: Props) {
  const body = useRef<HTMLTableSectionElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const rows = body.current ? [...body.current.querySelectorAll<HTMLTableRowElement>('tr[data-trace-id]')] : [];
    const current = rows.indexOf(document.activeElement as HTMLTableRowElement);
    if (event.key === 'Enter' && current >= 0) {
      event.preventDefault();
      navigate(`/traces/${rows[current].dataset.traceId}`);
      return;
    }
    if (event.key === 'PageDown' || event.key === 'PageUp') {
      event.preventDefault();
      onPage(event.key === 'PageDown' ? 1 : -1);
      return;
    }
    const next = nextRowIndex(current, event.key, rows.length);
    if (next !== null) {
      event.preventDefault();
      rows[next].focus();
    }
  };

  return (
    <div className="table-scroll">
      <table className="table" data-table="traces">
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              const active = sort.key === column.key;
              return (
                <th
                  key={column.key}
                  className={column.numeric ? 'num' : undefined}
                  aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
                    {column.label}
                    <span className="sort-mark" aria-hidden="true">
                      {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody ref={body} onKeyDown={onKeyDown}>
          {traces.map((trace) => (
            <tr
              key={trace.traceId}
              data-trace-id={trace.traceId}
              tabIndex={0}
              className={fresh.has(trace.traceId) ? 'row-link fresh' : 'row-link'}
              onClick={(event) => {
                if ((event.target as HTMLElement).closest('a')) return;
                navigate(`/traces/${trace.traceId}`);
              }}
            >
              <td className="nowrap muted">{formatTimestamp(trace.startTimeMs)}</td>
              <td>
                <Link href={`/traces/${trace.traceId}`} tabIndex={-1}>
                  {trace.name}
                </Link>
                {trace.error ? <span className="status bad small-pill">error</span> : null}
              </td>
              <td>{trace.service}</td>
              <td>{trace.taskClass}</td>
              <td className={trace.overBudget ? 'num over' : 'num'}>{formatDurationMs(trace.durationMs)}</td>
              <td className="num">{formatDurationMs(trace.perceivedMs)}</td>
              <td>
                <BandBadge band={trace.band} />
              </td>
              <td>
                <span className={trace.overBudget ? 'status bad' : 'status good'} title={`Budget ${formatDurationMs(trace.budgetMs)}`}>
                  {trace.overBudget ? 'over' : 'within'}
                </span>
              </td>
              <td className="num">{trace.llmCalls}</td>
              <td className="num">{trace.toolCalls}</td>
              <td className="mono truncate" title={trace.sessionId ?? ''}>
                {trace.sessionId ? (
                  <Link href={`/sessions/${encodeURIComponent(trace.sessionId)}`} tabIndex={-1}>
                    {trace.sessionId}
                  </Link>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
