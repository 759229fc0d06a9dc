import { UX_BAND_NAMES, type BandCounts, type Breakdown } from '@threshold/core';

/** Runs of columns both SQL engines lay out alike, read from a result row starting at `at`. */

/** Six band counts, in `UX_BAND_NAMES` order. */
export const bandCounts = (row: readonly unknown[], at: number) =>
  Object.fromEntries(UX_BAND_NAMES.map((band, i) => [band, row[at + i] as number])) as BandCounts;

/**
 * Five breakdown values, in `BREAKDOWN_CATEGORIES` order (llm, tool, state, orchestration, other).
 * Written out: it runs for every summary row read, a million of them when the stats index loads.
 */
export const breakdownColumns = (row: readonly unknown[], at: number): Breakdown => ({
  llm: row[at] as number,
  tool: row[at + 1] as number,
  state: row[at + 2] as number,
  orchestration: row[at + 3] as number,
  other: row[at + 4] as number,
});
