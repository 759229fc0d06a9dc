import type { WhatIfTraceResponse } from '@threshold/core';
import { BandBadge } from '../../components/band-badge';
import { formatDurationMs } from '../../format/format-duration';

/** Before → after for a projected trace: duration, perceived latency, band, budget. */
export function ProjectionSummary({ projection }: { projection: WhatIfTraceResponse }) {
  const before = projection.before.summary;
  const after = projection.after.summary;
  return (
    <div className="projection" data-projection="after">
      <div className="projection-row">
        <span className="projection-label">Duration</span>
        <span>{formatDurationMs(before.durationMs)}</span>
        <span className="arrow">→</span>
        <strong data-projected-duration={after.durationMs}>{formatDurationMs(after.durationMs)}</strong>
        <BandBadge band={after.band} />
      </div>
      <div className="projection-row">
        <span className="projection-label">Perceived</span>
        <span>{formatDurationMs(before.perceivedMs)}</span>
        <span className="arrow">→</span>
        <strong>{formatDurationMs(after.perceivedMs)}</strong>
        <BandBadge band={after.perceivedBand} />
      </div>
      <div className="projection-row">
        <span className="projection-label">Budget</span>
        <span className={after.overBudget ? 'status bad' : 'status good'}>{after.overBudget ? 'still over budget' : 'within budget'}</span>
        <span className="muted">
          applying {projection.applied.length} finding{projection.applied.length === 1 ? '' : 's'}:{' '}
          {projection.applied.map((f) => f.title).join(' · ') || 'none'}
        </span>
      </div>
    </div>
  );
}
