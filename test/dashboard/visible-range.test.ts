import { describe, expect, it } from 'vitest';
import { visibleRowRange } from '../../dashboard/src/waterfall/visible-range';

describe('virtualized row range', () => {
  it('render the rows in the viewport plus the overscan either side', () => {
    // rows of 24 px, scrolled to 2400 px (row 100), 480 px tall (20 rows)
    expect(visibleRowRange(2400, 480, 24, 10_000, 10)).toEqual({ first: 90, last: 130 });
  });

  it('clamp at the top and bottom of the list', () => {
    expect(visibleRowRange(0, 480, 24, 10_000, 10)).toEqual({ first: 0, last: 30 });
    expect(visibleRowRange(239_900, 480, 24, 10_000, 10)).toEqual({ first: 9985, last: 10_000 });
  });

  it('cover a row only partly in view', () => {
    expect(visibleRowRange(10, 30, 24, 100, 0)).toEqual({ first: 0, last: 2 });
  });

  it('render nothing for an empty list', () => {
    expect(visibleRowRange(0, 480, 24, 0)).toEqual({ first: 0, last: 0 });
  });
});
