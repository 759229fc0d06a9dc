import { CATEGORY_STYLES, type BreakdownCategory, type CriticalPathResponse } from '@threshold/core';

/**
 * Pure shaping of `GET /api/critical-path` for the "Where the tail goes" view. Nothing is
 * re-derived that the collector computed; only shares and the chart's selection are added here.
 */
export interface TailRow {
  /** `category/name`, unique per operation. */
  key: string;
  category: BreakdownCategory;
  name: string;
  /** The category's label, for the chart's axis (`Tool · search`). */
  label: string;
  color: string;
  tailMs: number;
  typicalMs: number;
  excessMs: number;
  /**
   * Share (0–1) of the time tail tasks add over typical ones that this operation accounts for:
   * its excess over the sum of every positive excess; 0 when it adds none.
   */
  shareOfAdded: number;
  tailCriticalRate: number;
  exampleTraceIds: string[];
}

/** Tail percentiles the view offers; the API takes any from 50 to 100. */
export const TAIL_PERCENTILES = [90, 95, 99] as const;
export const DEFAULT_TAIL_PERCENTILE = 95;

/** The `tail` query value when it is one the view offers, else the default. */
export function tailPercentileOf(value: string | null): number {
  const number = Number(value);
  return (TAIL_PERCENTILES as readonly number[]).includes(number) ? number : DEFAULT_TAIL_PERCENTILE;
}

/** Every operation, in the API's order (largest excess first), with its share of the added time. */
export function tailRows(response: CriticalPathResponse): TailRow[] {
  const added = response.operations.reduce((sum, operation) => sum + Math.max(0, operation.excessMs), 0);
  return response.operations.map((operation) => {
    const style = CATEGORY_STYLES[operation.category] ?? CATEGORY_STYLES.other;
    return {
      key: `${operation.category}/${operation.name}`,
      category: operation.category,
      name: operation.name,
      label: `${style.label} · ${operation.name}`,
      color: style.color,
      tailMs: operation.tailMeanCriticalMs,
      typicalMs: operation.typicalMeanCriticalMs,
      excessMs: operation.excessMs,
      shareOfAdded: added > 0 && operation.excessMs > 0 ? operation.excessMs / added : 0,
      tailCriticalRate: operation.tailCriticalRate,
      exampleTraceIds: operation.exampleTraceIds,
    };
  });
}

/**
 * The table's rows: the operations tail tasks waited on (in the API's order). Operations only
 * typical tasks waited on are counted, not listed: the question is what the tail spends its time on.
 */
export function tableRows(rows: readonly TailRow[]): { rows: TailRow[]; typicalOnly: number } {
  const listed = rows.filter((row) => row.tailCriticalRate > 0);
  return { rows: listed, typicalOnly: rows.length - listed.length };
}

/** An axis label cut to `maxCharacters` (names are untrusted and can be long). */
export function shortLabel(text: string, maxCharacters = 30): string {
  const characters = [...text];
  return characters.length <= maxCharacters ? text : `${characters.slice(0, maxCharacters - 1).join('')}…`;
}

/** The ranked chart's rows: the operations that add time to the tail, at most `limit`. */
export function chartRows(rows: readonly TailRow[], limit = 8): TailRow[] {
  return rows.filter((row) => row.excessMs > 0).slice(0, limit);
}

/**
 * How much longer a tail task takes than a typical one, on average: the sum of every operation's
 * excess (a task's operations sum to its duration, so this is the difference of the two groups'
 * mean durations). Null without both groups.
 */
export function addedMs(response: CriticalPathResponse): number | null {
  if (response.tail.traces === 0 || response.typical.traces === 0) return null;
  return response.operations.reduce((sum, operation) => sum + operation.excessMs, 0);
}

/** Height of the ranked chart for `rows` bars, px: two bars per operation and room for the axis. */
export function chartHeightPx(rowCount: number): number {
  return Math.max(140, rowCount * 56 + 56);
}
