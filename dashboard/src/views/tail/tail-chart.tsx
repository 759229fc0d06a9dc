import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDurationMs } from '../../format/format-duration';
import { chartHeightPx, shortLabel, type TailRow } from './tail-rows';

/**
 * The ranked chart: per operation (most added time first) its mean critical-path time in tail
 * tasks, in its category's colour, beside the same in typical tasks, in grey. The category is the
 * bar's colour and the tooltip's label; the axis names the operation.
 */
export function TailChart({ rows, percentile }: { rows: TailRow[]; percentile: number }) {
  return (
    <ResponsiveContainer width="100%" height={chartHeightPx(rows.length)}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }} barGap={2}>
        <CartesianGrid stroke="#e2e8f0" horizontal={false} />
        <XAxis type="number" tickFormatter={(v: number) => formatDurationMs(v)} tick={{ fontSize: 11, fill: '#64748b' }} stroke="#cbd5e1" />
        <YAxis
          type="category"
          dataKey="name"
          width={200}
          tickFormatter={(name: string) => shortLabel(name)}
          tick={{ fontSize: 12, fill: '#0f172a' }}
          stroke="#cbd5e1"
        />
        <Tooltip
          formatter={(value, name) => [formatDurationMs(Number(value)), String(name)]}
          labelFormatter={(_label, payload) => String((payload?.[0]?.payload as TailRow | undefined)?.label ?? _label)}
          contentStyle={{ fontSize: 12, borderRadius: 6 }}
          cursor={{ fill: '#f1f5f9' }}
        />
        <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} formatter={(value) => <span className="legend-text">{value}</span>} />
        <Bar dataKey="tailMs" name={`Tasks ≥ P${percentile}`} fill="#475569" isAnimationActive={false} barSize={16}>
          {rows.map((row) => (
            <Cell key={row.key} fill={row.color} />
          ))}
        </Bar>
        <Bar dataKey="typicalMs" name="Tasks ≤ P50" fill="#cbd5e1" stroke="#94a3b8" isAnimationActive={false} barSize={16} />
      </BarChart>
    </ResponsiveContainer>
  );
}
