import type { TimeSeriesResponse } from '@threshold/core';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDurationMs } from '../../format/format-duration';
import { AXIS_STROKE, AXIS_TICK, timeAxisProps } from '../../components/chart-axes';
import { formatTimestamp } from '../../format/format-time';

type Series = TimeSeriesResponse['series'][number];

const LINES = [
  { key: 'p50Ms', name: 'P50', color: '#94a3b8' },
  { key: 'p95Ms', name: 'P95', color: '#6366f1' },
  { key: 'p99Ms', name: 'P99', color: '#0f172a' },
] as const;

/** P50/P95/P99 per bucket for one task class, its budget as a dashed line, breaching P99s in red. */
export function LatencyChart({ series, fromMs, toMs }: { series: Series; fromMs: number; toMs: number }) {
  const breaches = series.points.filter((p) => p.overBudget).length;
  // With few buckets a line is barely visible: draw each point.
  const few = series.points.length <= 3;
  return (
    <figure className="chart-card" data-series={series.key}>
      <figcaption>
        <strong>{series.key}</strong>
        {series.budgetMs !== null ? <span className="muted"> · budget {formatDurationMs(series.budgetMs)}</span> : null}
        {breaches > 0 ? (
          <span className="status bad">
            {breaches} bucket{breaches === 1 ? '' : 's'} over budget
          </span>
        ) : null}
      </figcaption>
      <div className="chart-box">
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={series.points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis {...timeAxisProps(fromMs, toMs)} />
            <YAxis tickFormatter={(v: number) => formatDurationMs(v)} tick={AXIS_TICK} stroke={AXIS_STROKE} width={64} />
            <Tooltip
              labelFormatter={(t) => formatTimestamp(Number(t))}
              formatter={(value, name) => [formatDurationMs(Number(value)), String(name)]}
              contentStyle={{ fontSize: 12, borderRadius: 6 }}
            />
            <Legend iconType="plainline" itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
            {series.budgetMs !== null ? (
              <ReferenceLine
                y={series.budgetMs}
                stroke="#dc2626"
                strokeDasharray="5 4"
                label={{ value: 'budget', position: 'insideTopRight', fill: '#dc2626', fontSize: 11 }}
              />
            ) : null}
            {LINES.map((line) => (
              <Line
                key={line.key}
                dataKey={line.key}
                name={line.name}
                stroke={line.color}
                strokeWidth={line.key === 'p99Ms' ? 2 : 1.5}
                isAnimationActive={false}
                connectNulls
                dot={line.key === 'p99Ms' ? <BreachDot few={few} color={line.color} /> : few ? { r: 3, fill: line.color } : false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Marks a P99 point above budget with a red dot; other points get none (a plain one when there are few). */
function BreachDot(props: { cx?: number; cy?: number; payload?: { overBudget?: boolean }; few?: boolean; color?: string }) {
  if (props.cx === undefined || props.cy === undefined) return <g />;
  if (!props.payload?.overBudget) return props.few ? <circle cx={props.cx} cy={props.cy} r={3} fill={props.color} /> : <g />;
  return <circle cx={props.cx} cy={props.cy} r={4} fill="#dc2626" stroke="#fff" strokeWidth={1.5} className="breach-dot" />;
}
