import type { SpanView } from '@threshold/core';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { buildRows, buildSpanTree, expandAncestors, rowIndexOf } from './build-rows';
import { TickLines, TimeAxis } from './time-axis';
import { fullBounds, isFullView, zoomBounds, type ViewBounds } from './view-bounds';
import { visibleRowRange } from './visible-range';
import { WaterfallRow } from './waterfall-row';

export const ROW_HEIGHT_PX = 26;

interface Props {
  spans: SpanView[];
  totalMs: number;
  selectedSpanId: string | null;
  onSelect: (spanId: string | null) => void;
  /** Spans to highlight (a finding's evidence). */
  highlighted: ReadonlySet<string>;
  /** Bring this span into view (expanding its ancestors) whenever it changes. */
  revealSpanId?: string | null;
  /** Zoom to this range (ms from trace start) whenever it changes. */
  zoomTo?: { startMs: number; endMs: number } | null;
}

/**
 * The trace waterfall: rows follow the span tree (collapsible), bars on a shared timeline with a
 * zoomable axis. Only the rows in view are in the DOM (fixed row height, absolute positions), so a
 * 10,000-span trace renders and scrolls like a small one.
 */
export function Waterfall({ spans, totalMs, selectedSpanId, onSelect, highlighted, revealSpanId, zoomTo }: Props) {
  const tree = useMemo(() => buildSpanTree(spans), [spans]);
  const byId = useMemo(() => {
    const map = new Map<string, SpanView>();
    for (const span of spans) map.set(span.spanId, span);
    return map;
  }, [spans]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => buildRows(tree, collapsed), [tree, collapsed]);
  const full = useMemo(() => fullBounds(totalMs), [totalMs]);
  const [view, setView] = useState<ViewBounds>(full);
  const [dimNonCritical, setDimNonCritical] = useState(true);
  const scroller = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 600 });

  useEffect(() => setView(full), [full]);
  useEffect(() => {
    if (zoomTo) setView(zoomBounds(full, zoomTo.startMs, zoomTo.endMs));
  }, [zoomTo, full]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setScroll({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // First render of a trace, for the render benchmark and anyone profiling.
  const marked = useRef(false);
  useLayoutEffect(() => {
    if (marked.current || rows.length === 0) return;
    marked.current = true;
    performance.mark('threshold:waterfall-rendered', { detail: { spans: spans.length } });
  }, [rows.length, spans.length]);

  const scrollToRow = useCallback((index: number) => {
    const element = scroller.current;
    if (!element || index < 0) return;
    const top = index * ROW_HEIGHT_PX;
    if (top < element.scrollTop || top + ROW_HEIGHT_PX > element.scrollTop + element.clientHeight) {
      element.scrollTop = Math.max(0, top - element.clientHeight / 3);
    }
  }, []);

  useEffect(() => {
    if (!revealSpanId || !byId.has(revealSpanId)) return;
    const next = expandAncestors(byId, collapsed, revealSpanId);
    if (next.size !== collapsed.size) setCollapsed(next);
    else scrollToRow(rowIndexOf(rows, revealSpanId));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revealSpanId]);
  useEffect(() => {
    if (revealSpanId) scrollToRow(rowIndexOf(rows, revealSpanId));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows]);

  const toggle = useCallback((spanId: string) => {
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(spanId)) next.delete(spanId);
      else next.add(spanId);
      return next;
    });
  }, []);
  const select = useCallback((spanId: string) => onSelect(spanId), [onSelect]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = selectedSpanId ? rowIndexOf(rows, selectedSpanId) : -1;
    const row = current >= 0 ? rows[current] : undefined;
    let next = -1;
    if (event.key === 'ArrowDown' || event.key === 'j') next = Math.min(rows.length - 1, current + 1);
    else if (event.key === 'ArrowUp' || event.key === 'k') next = Math.max(0, current - 1);
    else if (event.key === 'ArrowLeft' && row?.hasChildren && !row.collapsed) toggle(row.span.spanId);
    else if (event.key === 'ArrowRight' && row?.hasChildren && row.collapsed) toggle(row.span.spanId);
    else if (event.key === 'Escape') onSelect(null);
    else return;
    event.preventDefault();
    if (next >= 0 && rows[next]) {
      onSelect(rows[next].span.spanId);
      scrollToRow(next);
    }
  };

  const range = visibleRowRange(scroll.top, scroll.height, ROW_HEIGHT_PX, rows.length, 12);
  const visible = rows.slice(range.first, range.last);
  const slotCount = Math.max(1, range.last - range.first);
  const criticalCount = useMemo(() => spans.reduce((n, s) => n + (s.critical ? 1 : 0), 0), [spans]);

  return (
    <div className="waterfall" data-span-count={spans.length} data-row-count={rows.length}>
      <div className="wf-toolbar">
        <span className="muted">
          {spans.length.toLocaleString('en-US')} spans · {criticalCount.toLocaleString('en-US')} on the critical path
        </span>
        <label className="check">
          <input type="checkbox" checked={dimNonCritical} onChange={(e) => setDimNonCritical(e.target.checked)} /> Highlight critical path
        </label>
        <button type="button" className="button small" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
          Expand all
        </button>
        <button
          type="button"
          className="button small"
          onClick={() =>
            setCollapsed(
              new Set(
                tree.roots
                  .flatMap((root) => tree.children.get(root.spanId) ?? [])
                  .filter((s) => tree.children.has(s.spanId))
                  .map((s) => s.spanId),
              ),
            )
          }
        >
          Collapse to top level
        </button>
        <button type="button" className="button small" onClick={() => setView(full)} disabled={isFullView(view, full)}>
          Reset zoom
        </button>
      </div>
      <div className="wf-header">
        <div className="wf-name-head">Span</div>
        <TimeAxis view={view} full={full} onZoom={(a, b) => setView(zoomBounds(full, a, b))} />
      </div>
      <div
        ref={scroller}
        className="wf-scroll"
        tabIndex={0}
        role="grid"
        aria-label="Trace waterfall"
        aria-rowcount={rows.length}
        onKeyDown={onKeyDown}
        onScroll={(event) => {
          // Height comes from the ResizeObserver: reading only scrollTop keeps scrolling free of forced layout.
          const top = event.currentTarget.scrollTop;
          setScroll((current) => (current.top === top ? current : { top, height: current.height }));
        }}
      >
        <div className="wf-canvas" style={{ height: rows.length * ROW_HEIGHT_PX }}>
          <div className="wf-grid-area">
            <TickLines view={view} />
          </div>
          {visible.map((row, offset) => {
            const index = range.first + offset;
            // Keyed by slot, not span: scrolling reuses the same DOM rows instead of replacing them.
            return (
              <WaterfallRow
                key={index % slotCount}
                row={row}
                index={index}
                top={index * ROW_HEIGHT_PX}
                view={view}
                selected={row.span.spanId === selectedSpanId}
                evidence={highlighted.has(row.span.spanId)}
                dimNonCritical={dimNonCritical}
                onToggle={toggle}
                onSelect={select}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
