import { describe, expect, it } from 'vitest';
import { barGeometry, fractionAt, fullBounds, msAtFraction, zoomBounds } from '../../dashboard/src/waterfall/view-bounds';

describe('view bounds', () => {
  it('span the whole trace before any zoom', () => {
    expect(fullBounds(1000)).toEqual({ startMs: 0, endMs: 1000 });
    expect(fullBounds(0)).toEqual({ startMs: 0, endMs: 0.001 });
  });

  it('zoom to a dragged range in either direction, clamped to the trace', () => {
    const full = fullBounds(1000);
    expect(zoomBounds(full, 600, 200)).toEqual({ startMs: 200, endMs: 600 });
    expect(zoomBounds(full, -50, 1200)).toEqual({ startMs: 0, endMs: 1000 });
  });

  it('never zoom narrower than a microsecond', () => {
    expect(zoomBounds(fullBounds(1000), 500, 500)).toEqual({ startMs: 499.9995, endMs: 500.0005 });
    expect(zoomBounds(fullBounds(1000), 1000, 1000)).toEqual({ startMs: 999.999, endMs: 1000 });
  });

  it('convert between time and position', () => {
    const view = { startMs: 200, endMs: 600 };
    expect(fractionAt(view, 300)).toBe(0.25);
    expect(msAtFraction(view, 0.75)).toBe(500);
  });
});

/*
 *   view          200 ├────────────────┤ 600 ms
 *   inside            300 ├────┤ 500            left .25 width .5
 *   clipped   100 ├──────────┤ 400              left 0 width .5, clipped start
 *   outside  0 ├─┤ 100                          null
 */
describe('bar geometry', () => {
  const view = { startMs: 200, endMs: 600 };

  it('place a span inside the view', () => {
    expect(barGeometry(view, 300, 200)).toEqual({ left: 0.25, width: 0.5, clippedStart: false, clippedEnd: false, waitingShare: null });
  });

  it('clip a span that starts before the view', () => {
    expect(barGeometry(view, 100, 300)).toEqual({ left: 0, width: 0.5, clippedStart: true, clippedEnd: false, waitingShare: null });
  });

  it('clip a span that ends after the view', () => {
    expect(barGeometry(view, 500, 300)).toEqual({ left: 0.75, width: 0.25, clippedStart: false, clippedEnd: true, waitingShare: null });
  });

  it('drop a span outside the view', () => {
    expect(barGeometry(view, 0, 100)).toBeNull();
    expect(barGeometry(view, 700, 10)).toBeNull();
  });

  it('give an instantaneous span zero width at its time', () => {
    expect(barGeometry(view, 400, 0)).toEqual({ left: 0.5, width: 0, clippedStart: false, clippedEnd: false, waitingShare: null });
  });

  /*
   *   llm 300 ├──waiting──┊──generating──┤ 500    ttft 50 → waiting is 1/4 of the bar
   */
  it('split an llm bar at its TTFT into waiting and generating', () => {
    expect(barGeometry(view, 300, 200, 50)?.waitingShare).toBe(0.25);
  });

  it('measure the waiting share within the visible part of a clipped bar', () => {
    // span 100–400, first token at 300: visible 200–400, waiting 200–300 → half
    expect(barGeometry(view, 100, 300, 200)?.waitingShare).toBe(0.5);
    // first token at 150, before the view: no waiting part visible
    expect(barGeometry(view, 100, 300, 50)?.waitingShare).toBeNull();
  });

  it('cap a TTFT longer than the span at the whole bar', () => {
    expect(barGeometry(view, 300, 200, 900)?.waitingShare).toBe(1);
  });
});
