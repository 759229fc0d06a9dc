import type { ModelsResponse } from '@threshold/core';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { WindowEmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { FilterBar } from '../../components/filter-bar';
import { LatencyCells, LatencyHeads } from '../../components/latency-cells';
import { PageHeader } from '../../components/page-header';
import { formatCount, formatDurationMs, formatPercent } from '../../format/format-duration';
import { useTimeWindow } from '../../time/use-time-window';

export default function ModelsView() {
  const window = useTimeWindow();
  const models = useApi<ModelsResponse>(apiPath('/api/models', { from: window.fromMs, to: window.toMs, service: window.service }), {
    refreshKey: window.refreshKey,
    keepPrevious: true,
  });
  const rows = models.data?.models ?? [];
  const chart = rows.filter((m) => m.ttft).map((m) => ({ model: m.model, p50: m.ttft!.p50Ms, p95: m.ttft!.p95Ms, p99: m.ttft!.p99Ms }));

  return (
    <div className="view" data-view="models">
      <PageHeader
        title="Models"
        subtitle="Time to first token, time per output token, the longest pause inside a stream and call duration, per model."
      />
      <FilterBar showClass={false} />
      {models.error ? <ErrorMessage error={models.error} onRetry={models.reload} what="model statistics" /> : null}
      {models.data && rows.length === 0 ? <WindowEmptyState title="No llm calls in this window" /> : null}
      {chart.length > 0 ? (
        <section className="panel">
          <div className="panel-head">
            <h2>Time to first token</h2>
            <span className="muted">What a streaming user waits before anything appears</span>
          </div>
          <ResponsiveContainer width="100%" height={Math.max(140, chart.length * 52 + 60)}>
            <BarChart data={chart} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid stroke="#e2e8f0" horizontal={false} />
              <XAxis
                type="number"
                tickFormatter={(v: number) => formatDurationMs(v)}
                tick={{ fontSize: 11, fill: '#64748b' }}
                stroke="#cbd5e1"
              />
              <YAxis type="category" dataKey="model" width={170} tick={{ fontSize: 12, fill: '#0f172a' }} stroke="#cbd5e1" />
              <Tooltip
                formatter={(value, name) => [formatDurationMs(Number(value)), String(name)]}
                contentStyle={{ fontSize: 12, borderRadius: 6 }}
                cursor={{ fill: '#f1f5f9' }}
              />
              <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
              <Bar dataKey="p50" name="P50" fill="#c4b5fd" isAnimationActive={false} />
              <Bar dataKey="p95" name="P95" fill="#8b5cf6" isAnimationActive={false} />
              <Bar dataKey="p99" name="P99" fill="#5b21b6" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </section>
      ) : null}
      {rows.length > 0 ? (
        <section className="panel flush">
          <div className="table-scroll">
            <table className="table" data-table="models">
              <thead>
                <tr>
                  <th rowSpan={2}>Model</th>
                  <th rowSpan={2} className="num">
                    Calls
                  </th>
                  <th rowSpan={2} className="num">
                    Streamed
                  </th>
                  <th colSpan={3} className="group">
                    TTFT
                  </th>
                  <th colSpan={3} className="group">
                    TPOT
                  </th>
                  <th colSpan={3} className="group" title="Per streamed call, the longest pause between two chunks after the first">
                    Longest pause
                  </th>
                  <th colSpan={3} className="group">
                    Duration
                  </th>
                  <th rowSpan={2} className="num">
                    Input tokens
                  </th>
                  <th rowSpan={2} className="num">
                    Output tokens
                  </th>
                </tr>
                <tr>
                  <LatencyHeads />
                  <LatencyHeads />
                  <LatencyHeads />
                  <LatencyHeads />
                </tr>
              </thead>
              <tbody>
                {rows.map((model) => (
                  <tr key={`${model.provider ?? ''}/${model.model}`}>
                    <td>
                      <strong>{model.model}</strong>
                      {model.provider ? <div className="muted small">{model.provider}</div> : null}
                    </td>
                    <td className="num">{model.calls.toLocaleString('en-US')}</td>
                    <td className="num">{formatPercent(model.streamingRate)}</td>
                    <LatencyCells triple={model.ttft} />
                    <LatencyCells triple={model.tpot} />
                    <LatencyCells triple={model.maxChunkGap} />
                    <LatencyCells triple={model.duration} />
                    <td className="num">{formatCount(model.inputTokens)}</td>
                    <td className="num">{formatCount(model.outputTokens)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
