import { BREAKDOWN_CATEGORIES, CATEGORY_STYLES, type StatsGroup } from '@threshold/core';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDurationMs } from '../../format/format-duration';
import { breakdownRows } from './overview-data';

/** Mean task time per class split into llm / tool / state / orchestration / other. */
export function BreakdownChart({ groups }: { groups: StatsGroup[] }) {
  const rows = breakdownRows(groups);
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, 56 * rows.length + 60)}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#e2e8f0" horizontal={false} />
        <XAxis type="number" tickFormatter={(v: number) => formatDurationMs(v)} tick={{ fontSize: 11, fill: '#64748b' }} stroke="#cbd5e1" />
        <YAxis type="category" dataKey="key" width={90} tick={{ fontSize: 12, fill: '#0f172a' }} stroke="#cbd5e1" />
        <Tooltip
          formatter={(value, name) => [formatDurationMs(Number(value)), String(name)]}
          contentStyle={{ fontSize: 12, borderRadius: 6 }}
          cursor={{ fill: '#f1f5f9' }}
        />
        <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
        {BREAKDOWN_CATEGORIES.map((category) => (
          <Bar
            key={category}
            dataKey={category}
            name={CATEGORY_STYLES[category].label}
            stackId="time"
            fill={CATEGORY_STYLES[category].color}
            isAnimationActive={false}
            barSize={24}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
