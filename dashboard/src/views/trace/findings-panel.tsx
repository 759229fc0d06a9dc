import type { Finding } from '@threshold/core';
import { formatDurationMs } from '../../format/format-duration';

/**
 * What would make this trace faster: one card per finding with its estimated saving. Selecting a
 * finding highlights its evidence spans in the waterfall.
 */
export function FindingsPanel({
  findings,
  selected,
  onSelect,
}: {
  findings: Finding[];
  selected: number | null;
  onSelect: (index: number | null) => void;
}) {
  if (findings.length === 0) {
    return (
      <section className="panel findings" data-findings="0">
        <div className="panel-head">
          <h2>Findings</h2>
          <span className="muted">No recommendation applies to this trace.</span>
        </div>
      </section>
    );
  }
  const ranked = findings.map((finding, index) => ({ finding, index })).sort((a, b) => b.finding.savingMs - a.finding.savingMs);
  return (
    <section className="panel findings" data-findings={findings.length}>
      <div className="panel-head">
        <h2>Findings</h2>
        <span className="muted">Select one to highlight its evidence in the waterfall</span>
      </div>
      <ul className="finding-list">
        {ranked.map(({ finding, index }) => (
          <li key={index}>
            <button
              type="button"
              className={selected === index ? 'finding active' : 'finding'}
              aria-pressed={selected === index}
              data-rule-id={finding.ruleId}
              onClick={() => onSelect(selected === index ? null : index)}
            >
              <span className="finding-saving">
                {finding.savingMs > 0 ? `−${formatDurationMs(finding.savingMs)}` : formatDurationMs(0)}
                <span className="finding-saving-kind">{finding.perceived ? 'perceived' : 'wall time'}</span>
              </span>
              <span className="finding-text">
                <strong>{finding.title}</strong>
                <span>{finding.detail}</span>
                <span className="muted small">
                  {finding.evidenceSpanIds.length} evidence span{finding.evidenceSpanIds.length === 1 ? '' : 's'} · {finding.ruleId}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
