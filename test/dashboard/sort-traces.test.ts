import { describe, expect, it } from 'vitest';
import { nextRowIndex, nextSort } from '../../dashboard/src/views/traces/sort-traces';

describe('traces table sorting (the collector sorts; the table picks the order)', () => {
  it('flip the direction on the same column; start numbers descending and text ascending', () => {
    expect(nextSort({ key: 'durationMs', direction: 'desc' }, 'durationMs')).toEqual({ key: 'durationMs', direction: 'asc' });
    expect(nextSort({ key: 'startTimeMs', direction: 'desc' }, 'perceivedMs')).toEqual({ key: 'perceivedMs', direction: 'desc' });
    expect(nextSort({ key: 'startTimeMs', direction: 'desc' }, 'service')).toEqual({ key: 'service', direction: 'asc' });
  });
});

describe('traces table keyboard movement', () => {
  it('move by one with arrows and j/k, clamped at the ends', () => {
    expect(nextRowIndex(2, 'ArrowDown', 5)).toBe(3);
    expect(nextRowIndex(4, 'j', 5)).toBe(4);
    expect(nextRowIndex(0, 'k', 5)).toBe(0);
    expect(nextRowIndex(3, 'ArrowUp', 5)).toBe(2);
  });

  it('enter the table at the first row and jump with Home/End', () => {
    expect(nextRowIndex(-1, 'ArrowDown', 5)).toBe(0);
    expect(nextRowIndex(2, 'Home', 5)).toBe(0);
    expect(nextRowIndex(2, 'End', 5)).toBe(4);
  });

  it('ignore other keys and empty tables', () => {
    expect(nextRowIndex(1, 'x', 5)).toBeNull();
    expect(nextRowIndex(-1, 'ArrowDown', 0)).toBeNull();
  });
});
