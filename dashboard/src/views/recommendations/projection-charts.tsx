import { UX_BANDS, type WhatIfWindowResponse } from '@threshold/core';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDurationMs } from '../../format/format-duration';
import { bandShareRows, p99Rows } from './projection-rows';

/** Before/after band distribution and P99 against budget, per task class. */
export function ProjectionCharts({ projection }: { projection: WhatIfWindowResponse }) {
  const shares = bandShareRows(projection.classes);
  const p99 = p99Rows(projection.classes);
  return (
    <div className="two-columns">
      <div>
        <h3 className="chart-title">UX bands before → after</h3>
        <ResponsiveContainer width="100%" height={Math.max(140, shares.length * 34 + 60)}>
          <BarChart data={shares} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }} barCategoryGap={6}>
            <XAxis
              type="number"
              domain={[0, 100]}
              ticks={[0, 25, 50, 75, 100]}
              allowDataOverflow
              tickFormatter={(v: number) => `${v}%`}
              tick={{ fontSize: 11, fill: '#64748b' }}
              stroke="#cbd5e1"
            />
            <YAxis type="category" dataKey="label" width={130} tick={{ fontSize: 12, fill: '#0f172a' }} stroke="#cbd5e1" />
            <Tooltip
              formatter={(value, name) => [`${Number(value).toFixed(1)}%`, String(name)]}
              contentStyle={{ fontSize: 12, borderRadius: 6 }}
              cursor={{ fill: '#f1f5f9' }}
            />
            {UX_BANDS.map((b) => (
              <Bar key={b.band} dataKey={b.band} name={b.band} stackId="bands" fill={b.color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
        <ul className="legend">
          {UX_BANDS.map((b) => (
            <li key={b.band}>
              <span className="legend-swatch" style={{ background: b.color }} aria-hidden="true" />
              {b.label}
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="chart-title">P99 before → after, against budget</h3>
        <ResponsiveContainer width="100%" height={Math.max(140, p99.length * 60 + 60)}>
          <BarChart data={p99} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid stroke="#e2e8f0" horizontal={false} />
            <XAxis
              type="number"
              tickFormatter={(v: number) => formatDurationMs(v)}
              tick={{ fontSize: 11, fill: '#64748b' }}
              stroke="#cbd5e1"
            />
            <YAxis type="category" dataKey="taskClass" width={90} tick={{ fontSize: 12, fill: '#0f172a' }} stroke="#cbd5e1" />
            <Tooltip
              formatter={(value, name) => [formatDurationMs(Number(value)), String(name)]}
              contentStyle={{ fontSize: 12, borderRadius: 6 }}
              cursor={{ fill: '#f1f5f9' }}
            />
            <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="before" name="P99 now" fill="#94a3b8" isAnimationActive={false} />
            <Bar dataKey="after" name="P99 projected" fill="#7c3aed" isAnimationActive={false} />
            <Bar dataKey="budgetMs" name="Budget" fill="#fecaca" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="table compact span-all" data-table="projection">
        <thead>
          <tr>
            <th>Class</th>
            <th className="num">Tasks</th>
            <th className="num">P99 now</th>
            <th className="num">P99 projected</th>
            <th className="num">Budget</th>
            <th>Meets budget</th>
          </tr>
        </thead>
        <tbody>
          {projection.classes.map((c) => (
            <tr key={c.taskClass}>
              <td>{c.taskClass}</td>
              <td className="num">{c.count.toLocaleString('en-US')}</td>
              <td className="num">{formatDurationMs(c.before.p99Ms)}</td>
              <td className="num strong">{formatDurationMs(c.after.p99Ms)}</td>
              <td className="num">{formatDurationMs(c.budgetMs)}</td>
              <td>
                <span className={c.meetsBudgetBefore ? 'status good' : 'status bad'}>{c.meetsBudgetBefore ? 'yes' : 'no'}</span> →{' '}
                <span className={c.meetsBudgetAfter ? 'status good' : 'status bad'}>{c.meetsBudgetAfter ? 'yes' : 'no'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
