import { useRef, useState, type PointerEvent } from 'react';
import { timeTicks } from './time-ticks';
import { fractionAt, msAtFraction, type ViewBounds } from './view-bounds';

/**
 * The waterfall's time axis: ticks for the current view, and a drag across it to zoom to a range.
 * While zoomed, a strip shows where the view sits in the whole trace.
 */
export function TimeAxis({ view, full, onZoom }: { view: ViewBounds; full: ViewBounds; onZoom: (aMs: number, bMs: number) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const ticks = timeTicks(view, 6);
  const zoomed = view.startMs > full.startMs || view.endMs < full.endMs;

  const fractionOf = (event: PointerEvent<HTMLDivElement>) => {
    const rect = ref.current!.getBoundingClientRect();
    return Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
  };

  return (
    <div
      ref={ref}
      className="wf-axis"
      title="Drag across the axis to zoom to a range"
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        const f = fractionOf(event);
        setDrag({ from: f, to: f });
      }}
      onPointerMove={(event) => {
        if (drag) setDrag({ ...drag, to: fractionOf(event) });
      }}
      onPointerUp={(event) => {
        if (!drag) return;
        const to = fractionOf(event);
        setDrag(null);
        if (Math.abs(to - drag.from) > 0.005) onZoom(msAtFraction(view, drag.from), msAtFraction(view, to));
      }}
      onPointerCancel={() => setDrag(null)}
    >
      {zoomed ? (
        <div className="wf-axis-overview" aria-hidden="true">
          <span
            style={{
              left: `${fractionAt(full, view.startMs) * 100}%`,
              width: `${(fractionAt(full, view.endMs) - fractionAt(full, view.startMs)) * 100}%`,
            }}
          />
        </div>
      ) : null}
      {ticks.map((tick) => (
        <span key={tick.ms} className="wf-tick" style={{ left: `${tick.fraction * 100}%` }}>
          <span className={tick.fraction > 0.97 ? 'wf-tick-label end' : 'wf-tick-label'}>{tick.label}</span>
        </span>
      ))}
      {drag ? (
        <span
          className="wf-axis-selection"
          style={{ left: `${Math.min(drag.from, drag.to) * 100}%`, width: `${Math.abs(drag.to - drag.from) * 100}%` }}
        />
      ) : null}
    </div>
  );
}

/** Vertical grid lines at the ticks, drawn behind the bars for the whole height of the rows. */
export function TickLines({ view }: { view: ViewBounds }) {
  return (
    <div className="wf-gridlines" aria-hidden="true">
      {timeTicks(view, 6).map((tick) => (
        <span key={tick.ms} style={{ left: `${tick.fraction * 100}%` }} />
      ))}
    </div>
  );
}
