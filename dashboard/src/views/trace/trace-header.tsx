import type { TraceSummary } from '@threshold/core';
import { BandBadge } from '../../components/band-badge';
import { BreakdownBar } from '../../components/breakdown-bar';
import { formatDurationMs } from '../../format/format-duration';
import { formatTimestamp } from '../../format/format-time';
import { Link } from '../../router/link';

/** The trace at a glance: how long it took, how long it felt, its band and its budget. */
export function TraceHeader({ summary }: { summary: TraceSummary }) {
  return (
    <section className="panel trace-summary" data-trace-summary={summary.traceId}>
      <div className="trace-figures">
        <Figure label="Duration" value={formatDurationMs(summary.durationMs)} testId="duration">
          <BandBadge band={summary.band} />
        </Figure>
        <Figure label="Perceived" value={formatDurationMs(summary.perceivedMs)} testId="perceived">
          <BandBadge band={summary.perceivedBand} />
        </Figure>
        <Figure label={`Budget (${summary.taskClass})`} value={formatDurationMs(summary.budgetMs)} testId="budget">
          <span className={summary.overBudget ? 'status bad' : 'status good'}>
            {summary.overBudget ? `over by ${formatDurationMs(summary.durationMs - summary.budgetMs)}` : 'within budget'}
          </span>
        </Figure>
        <Figure
          label="First token"
          value={summary.firstTtftMs === undefined ? 'unknown' : formatDurationMs(summary.firstTtftMs)}
          testId="ttft"
        />
        <Figure label="Calls" value={`${summary.llmCalls} llm · ${summary.toolCalls} tool`} testId="calls">
          <span className="muted">{summary.spanCount.toLocaleString('en-US')} spans</span>
        </Figure>
      </div>
      <BreakdownBar breakdown={summary.breakdown} />
      <div className="trace-meta muted">
        <span>{summary.service}</span>
        <span>started {formatTimestamp(summary.startTimeMs)}</span>
        {summary.sessionId ? (
          <span>
            session <Link href={`/sessions/${encodeURIComponent(summary.sessionId)}`}>{summary.sessionId}</Link>
          </span>
        ) : null}
        <span className="mono">{summary.traceId}</span>
        {summary.error ? <span className="status bad">error</span> : null}
      </div>
    </section>
  );
}

function Figure({ label, value, children, testId }: { label: string; value: string; children?: React.ReactNode; testId: string }) {
  return (
    <div className="figure" data-figure={testId}>
      <span className="figure-label">{label}</span>
      <span className="figure-value">{value}</span>
      {children ? <span className="figure-extra">{children}</span> : null}
    </div>
  );
}
