/**
 * What `threshold compare` prints: where each run came from, the rule it judged by, a table of
 * task classes (percentile before and after, their ratio and its interval, the verdict) and one
 * closing line. Nothing in it depends on the clock or the machine, so the same inputs and seed
 * print the same bytes.
 */
import { minTasksFor, type ClassComparison, type CompareOptions, type ComparisonStatus } from '@threshold/core';
import { percentileLabel } from './budget-verdict.js';
import type { RecordedRun } from './compare-sources.js';
import { formatCount, formatWholeMs, renderTable } from './terminal-table.js';

/** `95 %`, `99.5 %`. */
function percentText(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))} %`;
}

/** A ratio as a change: 1.261 → `+26.1 %`, 0.93 → `−7.0 %`. */
function changeText(ratio: number): string {
  if (ratio === Infinity) return '+∞ %';
  const percent = (ratio - 1) * 100;
  return `${percent < 0 ? '−' : '+'}${Math.abs(percent).toFixed(1)} %`;
}

function ratioText(ratio: number | undefined): string {
  if (ratio === undefined) return '–';
  return ratio === Infinity ? '∞' : ratio.toFixed(3);
}

const RESULT_TEXT: Record<ComparisonStatus, (comparison: ClassComparison, options: CompareOptions) => string> = {
  regressed: (comparison) => `SLOWER: by ${changeText(comparison.lower!)} or more`,
  uncertain: (comparison) => `ok, not proven: could be up to ${changeText(comparison.upper!)}`,
  within: () => 'ok',
  faster: (comparison) => `faster: by ${changeText(comparison.upper!).slice(1)} or more`,
  'too-few-tasks': (_, options) => `not judged: needs ${formatCount(minTasksFor(options.fraction))} tasks in each run`,
  'baseline-only': () => 'not judged: no tasks in the candidate',
  'candidate-only': () => 'not judged: no tasks in the baseline',
};

function closingLine(comparisons: readonly ClassComparison[], options: CompareOptions): string {
  const rule = `slower than allowed (${changeText(1 + options.maxRegression)}) at ${percentileLabel(options.fraction * 100)} with ${percentText(options.confidence)} confidence`;
  const regressed = comparisons.filter((comparison) => comparison.status === 'regressed');
  const judged = comparisons.filter((comparison) => comparison.ratio !== undefined).length;
  const notJudged = comparisons.length - judged;
  const classes = (count: number) => `${count} task class${count === 1 ? '' : 'es'}`;
  if (regressed.length > 0)
    return `${regressed.length} of ${classes(judged)} ${rule}: ${regressed.map((comparison) => comparison.taskClass).join(', ')}.`;
  return `No task class ${rule}: ${judged} compared${notJudged > 0 ? `, ${notJudged} not judged` : ''}.`;
}

/** The whole report. */
export function renderComparison(
  baseline: RecordedRun,
  candidate: RecordedRun,
  comparisons: readonly ClassComparison[],
  options: CompareOptions,
): string {
  const label = percentileLabel(options.fraction * 100);
  const tasks = (run: RecordedRun) => `${formatCount(run.tasks)} task${run.tasks === 1 ? '' : 's'}`;
  const header = [
    `threshold compare: ${label} task latency, candidate against baseline`,
    `  baseline   ${baseline.label}: ${tasks(baseline)}`,
    `  candidate  ${candidate.label}: ${tasks(candidate)}`,
    `  a class fails when the ${percentText(options.confidence)} interval of its ${label} ratio lies wholly above ${(1 + options.maxRegression).toFixed(3)}` +
      ` (bootstrap, ${formatCount(options.resamples)} resamples, seed ${options.seed})`,
  ];
  const table = renderTable(
    [
      { header: 'task class', align: 'left' },
      { header: 'baseline', align: 'right' },
      { header: 'candidate', align: 'right' },
      { header: `${label} before`, align: 'right' },
      { header: `${label} after`, align: 'right' },
      { header: 'ratio', align: 'right' },
      { header: `${percentText(options.confidence)} interval`, align: 'right' },
      { header: 'result', align: 'left' },
    ],
    comparisons.map((comparison) => [
      comparison.taskClass,
      formatCount(comparison.baselineCount),
      formatCount(comparison.candidateCount),
      comparison.baselineMs === undefined ? '–' : formatWholeMs(comparison.baselineMs),
      comparison.candidateMs === undefined ? '–' : formatWholeMs(comparison.candidateMs),
      ratioText(comparison.ratio),
      comparison.lower === undefined ? '–' : `${ratioText(comparison.lower)} – ${ratioText(comparison.upper)}`,
      RESULT_TEXT[comparison.status](comparison, options),
    ]),
  );
  return `${header.join('\n')}\n\n${table}\n\n${closingLine(comparisons, options)}\n`;
}
