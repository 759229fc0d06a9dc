import type { StatsGroup } from '@threshold/core';
import { BandBadge } from '../../components/band-badge';
import { formatDurationMs, formatPercent } from '../../format/format-duration';
import { uxBand } from '@threshold/core';

/** One card per task class: volume, percentiles, P99 against its budget, share over budget. */
export function ClassCards({ groups }: { groups: StatsGroup[] }) {
  return (
    <div className="cards">
      {groups.map((group) => {
        const breached = group.budgetMs !== null && group.p99Ms > group.budgetMs;
        return (
          <article key={group.key} className={breached ? 'card breached' : 'card'} data-task-class={group.key}>
            <header className="card-head">
              <h3>{group.key}</h3>
              <span className="muted">
                {group.count.toLocaleString('en-US')} {group.count === 1 ? 'task' : 'tasks'}
              </span>
            </header>
            <div className="card-main">
              <span className="card-figure">{formatDurationMs(group.p99Ms)}</span>
              <span className="card-caption">P99{group.budgetMs !== null ? ` · budget ${formatDurationMs(group.budgetMs)}` : ''}</span>
              {group.budgetMs !== null ? (
                <span className={breached ? 'status bad' : 'status good'}>{breached ? 'Over budget' : 'Within budget'}</span>
              ) : null}
            </div>
            <dl className="card-stats">
              <div>
                <dt>P50</dt>
                <dd>{formatDurationMs(group.p50Ms)}</dd>
              </div>
              <div>
                <dt>P95</dt>
                <dd>{formatDurationMs(group.p95Ms)}</dd>
              </div>
              <div>
                <dt>Perceived P99</dt>
                <dd>
                  {formatDurationMs(group.perceivedP99Ms)} <BandBadge band={uxBand(group.perceivedP99Ms)} />
                </dd>
              </div>
              <div>
                <dt>Over budget</dt>
                <dd>{formatPercent(group.overBudgetRate)}</dd>
              </div>
            </dl>
          </article>
        );
      })}
    </div>
  );
}
