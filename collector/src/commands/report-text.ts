/**
 * The text of `threshold report` (and of the closing summary of `threshold demo`): per task class
 * the count, P50/P95/P99 against the budget, how tasks spread over the UX bands, where the time
 * goes, and the recommendations that would save the most.
 */
import { BREAKDOWN_CATEGORIES, type RecommendationSummary, type StatsGroup, UX_BANDS } from '@threshold/core';
import { formatCount, formatMs, formatRate, renderTable } from './terminal-table.js';

export interface ReportInput {
  groups: readonly StatsGroup[];
  /** Undefined when the collector offers no recommendations. */
  recommendations?: readonly RecommendationSummary[];
  /** How many recommendations to list. */
  top: number;
}

function share(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : '–';
}

function latencySection(groups: readonly StatsGroup[]): string {
  return renderTable(
    [
      { header: 'task class', align: 'left' },
      { header: 'tasks', align: 'right' },
      { header: 'P50', align: 'right' },
      { header: 'P95', align: 'right' },
      { header: 'P99', align: 'right' },
      { header: 'perceived P99', align: 'right' },
      { header: 'budget', align: 'right' },
      { header: 'over budget', align: 'right' },
    ],
    groups.map((group) => [
      group.key,
      formatCount(group.count),
      formatMs(group.p50Ms),
      formatMs(group.p95Ms),
      formatMs(group.p99Ms) + (group.budgetMs !== null && group.p99Ms > group.budgetMs ? ' !' : ''),
      formatMs(group.perceivedP99Ms),
      group.budgetMs === null ? '–' : formatMs(group.budgetMs),
      formatRate(group.overBudgetRate),
    ]),
  );
}

function bandSection(groups: readonly StatsGroup[]): string {
  return renderTable(
    [{ header: 'task class', align: 'left' }, ...UX_BANDS.map((definition) => ({ header: definition.band, align: 'right' as const }))],
    groups.map((group) => [
      group.key,
      ...UX_BANDS.map((definition) => `${group.bands[definition.band]} (${share(group.bands[definition.band], group.count)})`),
    ]),
  );
}

function breakdownSection(groups: readonly StatsGroup[]): string {
  return renderTable(
    [{ header: 'task class', align: 'left' }, ...BREAKDOWN_CATEGORIES.map((category) => ({ header: category, align: 'right' as const }))],
    groups.map((group) => {
      const totalMs = BREAKDOWN_CATEGORIES.reduce((sum, category) => sum + group.breakdownMeanMs[category], 0);
      return [
        group.key,
        ...BREAKDOWN_CATEGORIES.map(
          (category) => `${formatMs(group.breakdownMeanMs[category])} (${share(group.breakdownMeanMs[category], totalMs)})`,
        ),
      ];
    }),
  );
}

function recommendationSection(recommendations: readonly RecommendationSummary[] | undefined, top: number): string {
  if (recommendations === undefined) return '  (this collector does not offer recommendations)';
  if (recommendations.length === 0) return '  none: no finding in this window';
  return recommendations
    .slice(0, top)
    .map((recommendation, index) => {
      const what = recommendation.perceived ? 'perceived latency' : 'wall time';
      // A saving on tasks that are not the slowest leaves P99 where it is; "−0 ms" would read as a bug.
      const p99 = recommendation.p99SavingMs > 0 ? `P99 −${formatMs(recommendation.p99SavingMs)}` : 'P99 unchanged';
      return (
        `  ${index + 1}. ${recommendation.title} — ${formatCount(recommendation.tracesAffected)} traces` +
        ` (${recommendation.taskClasses.join(', ')}), ${formatMs(recommendation.meanSavingMs)} less ${what} per trace, ${p99}\n` +
        `     ${recommendation.detail}`
      );
    })
    .join('\n');
}

export function renderReport(input: ReportInput): string {
  if (input.groups.length === 0) return 'No tasks in this window.';
  return [
    'Latency per task class',
    latencySection(input.groups),
    '',
    'UX bands (task duration)',
    bandSection(input.groups),
    '',
    'Where the time goes (mean per task)',
    breakdownSection(input.groups),
    '',
    'Top recommendations',
    recommendationSection(input.recommendations, input.top),
  ].join('\n');
}
