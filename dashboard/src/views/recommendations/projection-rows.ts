import { UX_BAND_NAMES, type WhatIfClassProjection } from '@threshold/core';

/**
 * Chart rows for a window projection: per class a "before" and an "after" row of band shares
 * (percent of the class's tasks), and a P99 before/after row against the budget.
 */
export interface BandShareRow {
  label: string;
  taskClass: string;
  phase: 'before' | 'after';
  [band: string]: number | string;
}

export function bandShareRows(classes: readonly WhatIfClassProjection[]): BandShareRow[] {
  const rows: BandShareRow[] = [];
  for (const projection of classes) {
    for (const phase of ['before', 'after'] as const) {
      const bands = projection[phase].bands;
      const total = UX_BAND_NAMES.reduce((sum, band) => sum + (bands[band] ?? 0), 0);
      const row: BandShareRow = { label: `${projection.taskClass} · ${phase}`, taskClass: projection.taskClass, phase };
      for (const band of UX_BAND_NAMES) row[band] = total > 0 ? ((bands[band] ?? 0) / total) * 100 : 0;
      rows.push(row);
    }
  }
  return rows;
}

export function p99Rows(
  classes: readonly WhatIfClassProjection[],
): Array<{ taskClass: string; before: number; after: number; budgetMs: number }> {
  return classes.map((c) => ({ taskClass: c.taskClass, before: c.before.p99Ms, after: c.after.p99Ms, budgetMs: c.budgetMs }));
}
