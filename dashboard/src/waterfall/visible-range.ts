/**
 * Which rows of a virtualized list to render: the ones intersecting the viewport plus `overscan`
 * rows either side, so a fast scroll does not show blank space. `last` is exclusive.
 */
export interface RowRange {
  first: number;
  last: number;
}

export function visibleRowRange(scrollTopPx: number, viewportPx: number, rowHeightPx: number, rowCount: number, overscan = 10): RowRange {
  if (rowCount <= 0 || rowHeightPx <= 0) return { first: 0, last: 0 };
  const top = Math.max(0, scrollTopPx);
  const firstVisible = Math.floor(top / rowHeightPx);
  const lastVisible = Math.ceil((top + Math.max(viewportPx, 0)) / rowHeightPx);
  return {
    first: Math.min(rowCount, Math.max(0, firstVisible - overscan)),
    last: Math.min(rowCount, lastVisible + overscan),
  };
}
