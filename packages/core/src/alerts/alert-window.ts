import type { AlertExampleTrace, AlertTarget, AlertTaskSample, AlertTtftSample } from './types.js';

/**
 * Which samples an evaluation at `nowMs` looks at: those that ended in [nowMs − windowMs, nowMs),
 * a half-open range like the API's `from`/`to`, and that belong to the rule's target.
 */
export function inAlertWindow(endTimeMs: number, nowMs: number, windowMs: number): boolean {
  return endTimeMs >= nowMs - windowMs && endTimeMs < nowMs;
}

/** Whether a task belongs to a task target (`model` targets match no task). */
export function taskMatchesTarget(sample: AlertTaskSample, target: AlertTarget): boolean {
  switch (target.kind) {
    case 'all':
      return true;
    case 'taskClass':
      return sample.taskClass === target.value;
    case 'service':
      return sample.service === target.value;
    case 'taskName':
      return sample.name === target.value;
    case 'model':
      return false;
  }
}

export function tasksInWindow(tasks: readonly AlertTaskSample[], target: AlertTarget, nowMs: number, windowMs: number): AlertTaskSample[] {
  return tasks.filter((task) => inAlertWindow(task.endTimeMs, nowMs, windowMs) && taskMatchesTarget(task, target));
}

export function ttftsInWindow(ttfts: readonly AlertTtftSample[], model: string, nowMs: number, windowMs: number): AlertTtftSample[] {
  return ttfts.filter((call) => call.model === model && inAlertWindow(call.endTimeMs, nowMs, windowMs));
}

/** How many example traces a notification carries. */
export const ALERT_EXAMPLE_COUNT = 3;

/** The slowest distinct traces, slowest first (ties by trace id, so the choice is stable). */
export function slowestExamples(measured: ReadonlyArray<{ traceId: string; valueMs: number }>): AlertExampleTrace[] {
  const sorted = [...measured].sort((a, b) => b.valueMs - a.valueMs || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0));
  const examples: AlertExampleTrace[] = [];
  const seen = new Set<string>();
  for (const item of sorted) {
    if (seen.has(item.traceId)) continue;
    seen.add(item.traceId);
    examples.push({ traceId: item.traceId, valueMs: item.valueMs });
    if (examples.length === ALERT_EXAMPLE_COUNT) break;
  }
  return examples;
}
