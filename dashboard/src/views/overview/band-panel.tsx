import type { StatsGroup } from '@threshold/core';
import { BandDistribution } from '../../components/band-distribution';
import { sumBands, sumPerceivedBands } from './overview-data';

/** Tasks per UX band by wall time (actual) and by time to first output (perceived). */
export function BandPanel({ groups }: { groups: StatsGroup[] }) {
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>How tasks felt</h2>
        <span className="muted">UX bands: actual duration vs. time to first output</span>
      </div>
      <div className="band-panels">
        <BandDistribution counts={sumBands(groups)} label="Actual (task duration)" testId="actual" />
        <BandDistribution counts={sumPerceivedBands(groups)} label="Perceived (time to first output)" testId="perceived" />
      </div>
    </section>
  );
}
