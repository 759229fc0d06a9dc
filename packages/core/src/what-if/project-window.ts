import type { TraceSummary, WhatIfClassProjection } from '../api-types.js';
import { latencyPercentiles } from '../percentile.js';
import { emptyBandCounts, uxBand, type BandCounts } from '../ux-band.js';

export interface ProjectedPair {
  before: TraceSummary;
  after: TraceSummary;
}

/**
 * A window of traces before and after their findings are applied, per task class: P50/P95/P99
 * of duration and the band distribution both ways, and whether the class's P99 meets its budget
 * (the budget the class's traces carry; the largest when explicit budgets differ). Perceived
 * P99s are given too, since streaming changes those and not duration. Classes by name.
 */
export function projectWindow(pairs: readonly ProjectedPair[]): WhatIfClassProjection[] {
  const byClass = new Map<string, ProjectedPair[]>();
  for (const pair of pairs) byClass.set(pair.before.taskClass, [...(byClass.get(pair.before.taskClass) ?? []), pair]);
  const classes: WhatIfClassProjection[] = [];
  for (const [taskClass, members] of [...byClass].sort(([a], [b]) => a.localeCompare(b))) {
    const budgetMs = Math.max(...members.map((pair) => pair.before.budgetMs));
    const before = side(members.map((pair) => pair.before));
    const after = side(members.map((pair) => pair.after));
    classes.push({
      taskClass,
      budgetMs,
      count: members.length,
      before: before.durations,
      after: after.durations,
      perceivedP99MsBefore: before.perceivedP99Ms,
      perceivedP99MsAfter: after.perceivedP99Ms,
      meetsBudgetBefore: before.durations.p99Ms <= budgetMs,
      meetsBudgetAfter: after.durations.p99Ms <= budgetMs,
    });
  }
  return classes;
}

function side(summaries: readonly TraceSummary[]) {
  const bands: BandCounts = emptyBandCounts();
  for (const summary of summaries) bands[uxBand(summary.durationMs)]++;
  const durations = latencyPercentiles(summaries.map((summary) => summary.durationMs))!;
  const perceived = latencyPercentiles(summaries.map((summary) => summary.perceivedMs))!;
  return { durations: { ...durations, bands }, perceivedP99Ms: perceived.p99Ms };
}
