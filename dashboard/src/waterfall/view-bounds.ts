/**
 * The slice of a trace's timeline the waterfall shows, and the conversions between time and
 * horizontal position. Positions are 0–1 fractions of the timeline's width; the components turn
 * them into CSS percentages, so layout never depends on pixel sizes.
 *
 *   trace   0 ms ├──────────────────────────────┤ 1000 ms
 *   view          200 ms ├──────────┤ 600 ms      (zoomed)
 *   span 300–500 ms          ├────┤  left 0.25, width 0.5
 */
export interface ViewBounds {
  startMs: number;
  endMs: number;
}

/** The narrowest view a zoom may produce, ms (a microsecond: spans are recorded in ns). */
export const MIN_VIEW_WIDTH_MS = 0.001;

export function fullBounds(totalMs: number): ViewBounds {
  return { startMs: 0, endMs: Math.max(totalMs, MIN_VIEW_WIDTH_MS) };
}

/** A view between two times (either order), kept inside `full` and at least MIN_VIEW_WIDTH_MS wide. */
export function zoomBounds(full: ViewBounds, aMs: number, bMs: number): ViewBounds {
  let startMs = Math.max(full.startMs, Math.min(aMs, bMs));
  let endMs = Math.min(full.endMs, Math.max(aMs, bMs));
  if (endMs - startMs < MIN_VIEW_WIDTH_MS) {
    const middle = (startMs + endMs) / 2;
    startMs = Math.max(full.startMs, middle - MIN_VIEW_WIDTH_MS / 2);
    endMs = Math.min(full.endMs, startMs + MIN_VIEW_WIDTH_MS);
    startMs = Math.max(full.startMs, endMs - MIN_VIEW_WIDTH_MS);
  }
  return { startMs, endMs };
}

export function isFullView(view: ViewBounds, full: ViewBounds): boolean {
  return view.startMs <= full.startMs && view.endMs >= full.endMs;
}

export function fractionAt(view: ViewBounds, ms: number): number {
  return (ms - view.startMs) / (view.endMs - view.startMs);
}

export function msAtFraction(view: ViewBounds, fraction: number): number {
  return view.startMs + fraction * (view.endMs - view.startMs);
}

export interface BarGeometry {
  /** Left edge within the view, 0–1. */
  left: number;
  /** Width within the view, 0–1 (0 for an instantaneous span). */
  width: number;
  /** The span starts before the view. */
  clippedStart: boolean;
  /** The span ends after the view. */
  clippedEnd: boolean;
  /**
   * For an llm span with a known TTFT: the waiting-for-first-token part, as a 0–1 share of the
   * visible bar (the rest is generating). Null when unknown or when waiting is out of view.
   */
  waitingShare: number | null;
}

/** Where a span's bar sits in the view; null when it lies entirely outside. */
export function barGeometry(view: ViewBounds, startMs: number, durationMs: number, ttftMs?: number): BarGeometry | null {
  const endMs = startMs + Math.max(durationMs, 0);
  if (endMs < view.startMs || startMs > view.endMs) return null;
  const visibleStart = Math.max(startMs, view.startMs);
  const visibleEnd = Math.min(endMs, view.endMs);
  const width = view.endMs - view.startMs;
  let waitingShare: number | null = null;
  if (ttftMs !== undefined && ttftMs !== null && Number.isFinite(ttftMs) && durationMs > 0 && visibleEnd > visibleStart) {
    const firstTokenMs = startMs + Math.min(Math.max(ttftMs, 0), durationMs);
    const waitingVisible = Math.min(firstTokenMs, visibleEnd) - visibleStart;
    waitingShare = waitingVisible > 0 ? waitingVisible / (visibleEnd - visibleStart) : null;
  }
  return {
    left: (visibleStart - view.startMs) / width,
    width: (visibleEnd - visibleStart) / width,
    clippedStart: startMs < view.startMs,
    clippedEnd: endMs > view.endMs,
    waitingShare,
  };
}
