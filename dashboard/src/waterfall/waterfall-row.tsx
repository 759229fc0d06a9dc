import { CATEGORY_STYLES } from '@threshold/core';
import { memo } from 'react';
import { formatDurationMs } from '../format/format-duration';
import type { WaterfallRow as Row } from './build-rows';
import { pauseMark } from './pause-mark';
import { spanBarTitle } from './span-bar-label';
import { barGeometry, type ViewBounds } from './view-bounds';

/** Indentation per tree level, px; deeper than MAX_INDENT_LEVELS the depth is written out instead. */
const INDENT_PX = 14;
const MAX_INDENT_LEVELS = 24;

interface Props {
  row: Row;
  index: number;
  top: number;
  view: ViewBounds;
  selected: boolean;
  evidence: boolean;
  dimNonCritical: boolean;
  onToggle: (spanId: string) => void;
  onSelect: (spanId: string) => void;
}

/**
 * One span: its name indented by depth (with a collapse toggle) and its bar on the timeline. The
 * bar has the span's category colour; an llm bar with a known TTFT shows the waiting part hatched
 * and a mark at the first token, and a streamed one the longest pause between its chunks. Every
 * value is rendered as text.
 */
export const WaterfallRow = memo(function WaterfallRow({
  row,
  index,
  top,
  view,
  selected,
  evidence,
  dimNonCritical,
  onToggle,
  onSelect,
}: Props) {
  const { span, depth } = row;
  const style = CATEGORY_STYLES[span.category] ?? CATEGORY_STYLES.other;
  const geometry = barGeometry(view, span.startOffsetMs, span.durationMs, span.llm?.ttftMs);
  const pause = pauseMark(view, span);
  const classes = ['wf-row'];
  if (span.critical) classes.push('critical');
  else if (dimNonCritical) classes.push('dimmed');
  if (selected) classes.push('selected');
  if (evidence) classes.push('evidence');
  if (span.status === 'error') classes.push('error');
  const indentLevels = Math.min(depth, MAX_INDENT_LEVELS);

  return (
    <div
      className={classes.join(' ')}
      style={{ transform: `translateY(${top}px)` }}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-span-id={span.spanId}
      data-critical={span.critical ? 'true' : 'false'}
      data-category={span.category}
      data-depth={depth}
      onClick={() => onSelect(span.spanId)}
    >
      <div className="wf-name" role="gridcell" style={{ paddingLeft: 8 + indentLevels * INDENT_PX }}>
        {row.hasChildren ? (
          <button
            type="button"
            className="wf-toggle"
            aria-expanded={!row.collapsed}
            aria-label={row.collapsed ? `Expand ${span.name}` : `Collapse ${span.name}`}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(span.spanId);
            }}
          >
            {row.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="wf-toggle-space" />
        )}
        <span className="wf-cat" style={{ background: style.color }} title={style.label} />
        {depth > MAX_INDENT_LEVELS ? <span className="wf-depth">{depth}</span> : null}
        <span className="wf-span-name" title={span.name}>
          {span.name}
        </span>
        {row.collapsed ? <span className="wf-hidden-count">+{row.descendantCount}</span> : null}
        {span.status === 'error' ? (
          <span className="wf-error-mark" title="error">
            !
          </span>
        ) : null}
      </div>
      <div className="wf-track" role="gridcell">
        {geometry ? (
          <>
            <div
              className={`wf-bar${geometry.clippedStart ? ' clip-start' : ''}${geometry.clippedEnd ? ' clip-end' : ''}`}
              style={{ left: `${geometry.left * 100}%`, width: `${geometry.width * 100}%`, background: style.color }}
              title={spanBarTitle(span)}
            >
              {geometry.waitingShare !== null ? <span className="wf-waiting" style={{ width: `${geometry.waitingShare * 100}%` }} /> : null}
              {pause ? (
                <span
                  className="wf-pause"
                  data-pause-ms={span.llm?.maxChunkGapMs}
                  style={{ left: `${pause.left * 100}%`, width: `${pause.width * 100}%` }}
                />
              ) : null}
            </div>
            <DurationLabel left={geometry.left} width={geometry.width} text={formatDurationMs(span.durationMs)} />
          </>
        ) : null}
      </div>
    </div>
  );
});

/** The duration beside the bar: after it, before it when the bar reaches the right edge, inside when it spans the whole track. */
function DurationLabel({ left, width, text }: { left: number; width: number; text: string }) {
  const end = left + width;
  if (end <= 0.85)
    return (
      <span className="wf-duration" style={{ left: `${end * 100}%` }}>
        {text}
      </span>
    );
  if (left >= 0.15)
    return (
      <span className="wf-duration before" style={{ right: `${(1 - left) * 100}%` }}>
        {text}
      </span>
    );
  return (
    <span className="wf-duration inside" style={{ right: `${(1 - end) * 100}%` }}>
      {text}
    </span>
  );
}
