import type { SessionDetail } from '@threshold/core';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api/use-api';
import type { ViewProps } from '../../app/views';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { formatCount, formatDurationMs } from '../../format/format-duration';
import { formatTimestamp } from '../../format/format-time';
import { Link } from '../../router/link';
import { sessionTurnRows } from './session-turns';

export default function SessionView({ params }: ViewProps) {
  const sessionId = params.sessionId ?? '';
  const session = useApi<SessionDetail>(`/api/sessions/${encodeURIComponent(sessionId)}`);
  const rows = sessionTurnRows(session.data?.turns ?? []);

  if (session.error?.notFound) {
    return (
      <div className="view" data-view="session">
        <div className="panel notice" data-not-found="session">
          <h1>Session not found</h1>
          <p>
            No session <code>{sessionId}</code> is known to this collector. <Link href="/sessions">Back to sessions</Link>
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="view" data-view="session">
      <PageHeader
        title="Session"
        subtitle={
          <>
            <Link href="/sessions">Sessions</Link> / <span className="mono">{sessionId}</span>
          </>
        }
      >
        <Link className="button" href={`/traces?sessionId=${encodeURIComponent(sessionId)}&range=7d`}>
          Traces of this session
        </Link>
      </PageHeader>
      {session.error ? <ErrorMessage error={session.error} onRetry={session.reload} what="this session" /> : null}
      {rows.length > 0 ? (
        <>
          <section className="panel">
            <div className="panel-head">
              <h2>Latency and context per turn</h2>
              <span className="muted">Bars: input tokens sent to models in the turn. Lines: turn duration and perceived latency.</span>
            </div>
            <ResponsiveContainer width="100%" height={300}>
              <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid stroke="#e2e8f0" vertical={false} />
                <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#64748b' }} stroke="#cbd5e1" />
                <YAxis
                  yAxisId="ms"
                  tickFormatter={(v: number) => formatDurationMs(v)}
                  tick={{ fontSize: 11, fill: '#64748b' }}
                  stroke="#cbd5e1"
                  width={64}
                />
                <YAxis
                  yAxisId="tokens"
                  orientation="right"
                  tickFormatter={(v: number) => formatCount(v)}
                  tick={{ fontSize: 11, fill: '#64748b' }}
                  stroke="#cbd5e1"
                  width={56}
                />
                <Tooltip
                  formatter={(value, name) => [
                    name === 'Input tokens' ? formatCount(Number(value)) : formatDurationMs(Number(value)),
                    String(name),
                  ]}
                  contentStyle={{ fontSize: 12, borderRadius: 6 }}
                />
                <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
                <Bar yAxisId="tokens" dataKey="inputTokens" name="Input tokens" fill="#ddd6fe" isAnimationActive={false} />
                <Line yAxisId="ms" dataKey="durationMs" name="Duration" stroke="#0f172a" strokeWidth={2} isAnimationActive={false} />
                <Line
                  yAxisId="ms"
                  dataKey="perceivedMs"
                  name="Perceived"
                  stroke="#7c3aed"
                  strokeDasharray="4 3"
                  isAnimationActive={false}
                />
              </ComposedChart>
            </ResponsiveContainer>
          </section>
          <section className="panel flush">
            <table className="table" data-table="turns">
              <thead>
                <tr>
                  <th>Turn</th>
                  <th>Started</th>
                  <th className="num">Duration</th>
                  <th className="num">Perceived</th>
                  <th className="num">Input tokens</th>
                  <th className="num">LLM calls</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((turn) => (
                  <tr key={turn.traceId}>
                    <td>
                      <Link href={`/traces/${turn.traceId}`}>{turn.label}</Link>
                    </td>
                    <td className="muted">{formatTimestamp(turn.startTimeMs)}</td>
                    <td className="num">{formatDurationMs(turn.durationMs)}</td>
                    <td className="num">{formatDurationMs(turn.perceivedMs)}</td>
                    <td className="num">{formatCount(turn.inputTokens)}</td>
                    <td className="num">{turn.llmCalls}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
      {session.loading && !session.data ? <div className="loading-page">Loading…</div> : null}
    </div>
  );
}
