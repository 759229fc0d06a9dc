import { BREAKDOWN_CATEGORIES, CATEGORY_STYLES, type Breakdown } from '@threshold/core';
import { formatDurationMs, formatPercent } from '../format/format-duration';

/** Where a task's wall time went, as one stacked bar with a legend; widths are shares of the total. */
export function BreakdownBar({ breakdown, showLegend = true }: { breakdown: Breakdown; showLegend?: boolean }) {
  const total = BREAKDOWN_CATEGORIES.reduce((sum, category) => sum + Math.max(0, breakdown[category]), 0);
  return (
    <div className="breakdown">
      <div
        className="breakdown-bar"
        role="img"
        aria-label={BREAKDOWN_CATEGORIES.map((c) => `${CATEGORY_STYLES[c].label} ${formatDurationMs(breakdown[c])}`).join(', ')}
      >
        {total > 0
          ? BREAKDOWN_CATEGORIES.filter((c) => breakdown[c] > 0).map((category) => (
              <span
                key={category}
                className="breakdown-segment"
                style={{ width: `${(breakdown[category] / total) * 100}%`, background: CATEGORY_STYLES[category].color }}
                title={`${CATEGORY_STYLES[category].label}: ${formatDurationMs(breakdown[category])} (${formatPercent(breakdown[category] / total)})`}
              />
            ))
          : null}
      </div>
      {showLegend ? (
        <ul className="legend">
          {BREAKDOWN_CATEGORIES.map((category) => (
            <li key={category}>
              <span className="legend-swatch" style={{ background: CATEGORY_STYLES[category].color }} aria-hidden="true" />
              {CATEGORY_STYLES[category].label}
              <span className="legend-value">{formatDurationMs(breakdown[category])}</span>
              <span className="legend-share">{total > 0 ? formatPercent(breakdown[category] / total) : ''}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
