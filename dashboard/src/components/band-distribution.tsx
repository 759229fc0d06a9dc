import { UX_BANDS, type BandCounts } from '@threshold/core';
import { formatPercent } from '../format/format-duration';

/**
 * How many tasks fell in each UX band: a stacked share bar and the exact count per band. `testId`
 * names the distribution for tests ("actual", "perceived").
 */
export function BandDistribution({ counts, label, testId }: { counts: BandCounts; label: string; testId: string }) {
  const total = UX_BANDS.reduce((sum, b) => sum + (counts[b.band] ?? 0), 0);
  return (
    <div className="band-distribution" data-distribution={testId}>
      <div className="band-distribution-head">
        <span className="band-distribution-label">{label}</span>
        <span className="muted">
          {total.toLocaleString('en-US')} {total === 1 ? 'task' : 'tasks'}
        </span>
      </div>
      <div className="band-bar" role="img" aria-label={`${label}: ${UX_BANDS.map((b) => `${b.band} ${counts[b.band] ?? 0}`).join(', ')}`}>
        {total > 0
          ? UX_BANDS.filter((b) => (counts[b.band] ?? 0) > 0).map((b) => (
              <span
                key={b.band}
                style={{ width: `${((counts[b.band] ?? 0) / total) * 100}%`, background: b.color }}
                title={`${b.label}: ${counts[b.band]}`}
              />
            ))
          : null}
      </div>
      <ul className="band-counts">
        {UX_BANDS.map((b) => (
          <li key={b.band} data-band={b.band}>
            <span className="band-swatch" style={{ background: b.color }} aria-hidden="true" />
            <span className="band-name" title={b.label}>
              {b.band}
            </span>
            <span className="band-count" data-band-count={b.band}>
              {(counts[b.band] ?? 0).toLocaleString('en-US')}
            </span>
            <span className="band-share">{total > 0 ? formatPercent((counts[b.band] ?? 0) / total) : '—'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
