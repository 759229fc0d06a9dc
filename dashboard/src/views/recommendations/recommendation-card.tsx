import type { RecommendationSummary } from '@threshold/core';
import { formatDurationMs } from '../../format/format-duration';
import { Link } from '../../router/link';

const EXAMPLES_SHOWN = 5;

/** One ranked recommendation: what to change, why, how much it saves, and traces that show it. */
export function RecommendationCard({
  recommendation,
  rank,
  tracesAnalysed,
  projected,
  onProject,
}: {
  recommendation: RecommendationSummary;
  rank: number;
  tracesAnalysed: number;
  projected: boolean;
  onProject: () => void;
}) {
  const r = recommendation;
  return (
    <article className={projected ? 'rec-card projected' : 'rec-card'} data-rule-id={r.ruleId}>
      <div className="rec-rank">{rank}</div>
      <div className="rec-body">
        <header className="rec-head">
          <h3>{r.title}</h3>
          {r.perceived ? <span className="status info">perceived latency</span> : null}
          <span className="muted small">{r.ruleId}</span>
        </header>
        <p className="rec-detail">{r.detail}</p>
        <dl className="rec-figures">
          <div>
            <dt>P99 saving</dt>
            <dd className={r.p99SavingMs > 0 ? 'rec-saving' : 'rec-saving none'}>{saving(r.p99SavingMs)}</dd>
          </div>
          <div>
            <dt>Mean per affected task</dt>
            <dd>{saving(r.meanSavingMs)}</dd>
          </div>
          <div>
            <dt>Total time saved</dt>
            <dd>{formatDurationMs(r.totalSavingMs)}</dd>
          </div>
          <div>
            <dt>Affected tasks</dt>
            <dd>
              {r.tracesAffected.toLocaleString('en-US')} <span className="muted">of {tracesAnalysed.toLocaleString('en-US')}</span>
            </dd>
          </div>
          <div>
            <dt>Task classes</dt>
            <dd>{r.taskClasses.join(', ') || '—'}</dd>
          </div>
        </dl>
        <div className="rec-foot">
          <span className="muted">Evidence:</span>
          {r.exampleTraceIds.slice(0, EXAMPLES_SHOWN).map((traceId) => (
            <Link key={traceId} className="chip mono" href={`/traces/${traceId}?finding=${r.ruleId}`}>
              {traceId.slice(0, 12)}
            </Link>
          ))}
          <button
            type="button"
            className={projected ? 'button small primary' : 'button small'}
            aria-pressed={projected}
            onClick={onProject}
          >
            {projected ? 'Projecting this alone' : 'Project this alone'}
          </button>
        </div>
      </div>
    </article>
  );
}

/** A saving as a reduction ("−1.26 s"); nothing saved reads "0 ms", not "−0 ms". */
function saving(ms: number): string {
  return ms > 0 ? `−${formatDurationMs(ms)}` : formatDurationMs(0);
}
