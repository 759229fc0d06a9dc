import { describe, expect, it } from 'vitest';
import { isolatedPoints } from '../../dashboard/src/views/alerts/isolated-points';

describe('isolatedPoints', () => {
  it('marks a value with no value beside it, which a line cannot draw', () => {
    expect(isolatedPoints([null, null, 2400, null, 1800, 1900])).toEqual([false, false, true, false, false, false]);
  });

  it('marks a lone value at either edge, and the only value of a one-point series', () => {
    expect(isolatedPoints([2400, null, null, 3100])).toEqual([true, false, false, true]);
    expect(isolatedPoints([2400])).toEqual([true]);
  });

  it('marks nothing in a series without gaps, or without values', () => {
    expect(isolatedPoints([1, 2, 3])).toEqual([false, false, false]);
    expect(isolatedPoints([null, null])).toEqual([false, false]);
    expect(isolatedPoints([])).toEqual([]);
  });
});
