import type { SortDirection, TraceSortKey } from '@threshold/core';

/**
 * The traces table's column clicks and keyboard movement. Sorting itself is the collector's
 * (`GET /api/traces?sort=&order=`), so every page follows one order over all matching tasks.
 */

/** Clicking a column: a new column sorts descending for numbers and times, ascending for text; the same column flips. */
export function nextSort(
  current: { key: TraceSortKey; direction: SortDirection },
  clicked: TraceSortKey,
): { key: TraceSortKey; direction: SortDirection } {
  if (current.key === clicked) return { key: clicked, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  const textual = clicked === 'name' || clicked === 'service' || clicked === 'taskClass' || clicked === 'sessionId';
  return { key: clicked, direction: textual ? 'asc' : 'desc' };
}

/** Keyboard movement through the table's rows: arrows and j/k by one, Home/End to the ends. */
export function nextRowIndex(current: number, key: string, rowCount: number): number | null {
  if (rowCount === 0) return null;
  const last = rowCount - 1;
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return current < 0 ? 0 : Math.min(last, current + 1);
    case 'ArrowUp':
    case 'k':
      return current < 0 ? 0 : Math.max(0, current - 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}
