import type { AlertRule, AlertSeriesResponse } from '@threshold/core';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_STROKE, AXIS_TICK, timeAxisProps } from '../../components/chart-axes';
import { formatTimestamp } from '../../format/format-time';
import { formatAlertValue, statisticLabel } from './alert-labels';
import { isolatedPoints } from './isolated-points';
import { niceCeiling } from './nice-ceiling';

/**
 * The watched statistic over time against the rule's threshold (dashed red), with the periods the
 * rule was firing shaded. Each point is what the rule saw over the window ending there.
 */
export function AlertChart({ rule, series, fromMs, toMs }: { rule: AlertRule; series: AlertSeriesResponse; fromMs: number; toMs: number }) {
  const top = niceCeiling(Math.max(rule.threshold, ...series.points.map((point) => point.value ?? 0)) * 1.1);
  const isolated = isolatedPoints(series.points.map((point) => point.value));
  const few = series.points.length <= 3;
  return (
    <figure className="chart-card alert-chart" data-rule={rule.id}>
      <figcaption>
        <strong>{statisticLabel(rule)}</strong>
        <span className="muted"> · threshold {formatAlertValue(rule, rule.threshold)} · shaded: firing</span>
      </figcaption>
      <div className="chart-box">
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={series.points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis {...timeAxisProps(fromMs, toMs)} />
            <YAxis
              domain={[0, top]}
              ticks={[0, top / 4, top / 2, (3 * top) / 4, top]}
              tickFormatter={(value: number) => formatAlertValue(rule, value)}
              tick={AXIS_TICK}
              stroke={AXIS_STROKE}
              width={72}
            />
            <Tooltip
              labelFormatter={(t) => formatTimestamp(Number(t))}
              formatter={(value) => [
                formatAlertValue(rule, value === null || value === undefined ? null : Number(value)),
                statisticLabel(rule),
              ]}
              contentStyle={{ fontSize: 12, borderRadius: 6 }}
            />
            {series.firingPeriods.map((period) => (
              <ReferenceArea
                key={period.startMs}
                x1={Math.max(period.startMs, fromMs)}
                x2={Math.min(period.endMs ?? toMs, toMs)}
                fill="#dc2626"
                fillOpacity={0.12}
                stroke="none"
                ifOverflow="hidden"
                className="firing-period"
              />
            ))}
            <ReferenceLine
              y={rule.threshold}
              stroke="#dc2626"
              strokeDasharray="5 4"
              label={{ value: 'threshold', position: 'insideTopRight', fill: '#dc2626', fontSize: 11 }}
            />
            <Line
              dataKey="value"
              name={statisticLabel(rule)}
              stroke="#0f172a"
              strokeWidth={2}
              isAnimationActive={false}
              dot={<SeriesDot few={few} isolated={isolated} />}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/**
 * A dot on each point a line cannot show (isolatedPoints), or on every point when there are so
 * few that a line would hide where they are; no dot elsewhere.
 */
function SeriesDot(props: { cx?: number | null; cy?: number | null; index?: number; few: boolean; isolated: readonly boolean[] }) {
  if (props.cx == null || props.cy == null || props.index === undefined) return <g />;
  if (!props.few && !props.isolated[props.index]) return <g />;
  return <circle cx={props.cx} cy={props.cy} r={3.5} fill="#0f172a" className="series-dot" />;
}
