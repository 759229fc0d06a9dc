import type { TraceAnalysis } from '../analysis-types.js';
import type { SpanView, TraceSummary } from '../api-types.js';
import { emptyBreakdown } from '../category.js';
import { DEFAULT_TASK_CLASS_CONFIG, resolveTaskClass, type TaskClassConfig } from '../task-class.js';
import type { TraceSpan } from '../trace-span.js';
import { uxBand } from '../ux-band.js';
import { computeBreakdown } from './breakdown.js';
import { computeCriticalPath } from './critical-path.js';
import { countCalls } from './count-calls.js';
import { walkDepthFirst } from './order-depth-first.js';
import { perceivedLatencyNs } from './perceived-latency.js';
import { selfTimeNs } from './self-time.js';
import { buildSpanForest } from './span-forest.js';
import { toSpanView } from './span-view.js';

export interface AnalyseTraceInput {
  spans: TraceSpan[];
  /** Epoch ns the spans' offsets are relative to. */
  traceStartUnixNano: bigint;
  /** Repairs already made while building the spans. */
  warnings?: string[];
  traceId: string;
}

/**
 * Everything Threshold shows about one trace, from its classified spans alone (what-if projection
 * edits the spans and calls this again): critical path, self times, the breakdown of the task's
 * wall time, perceived latency, bands, task class and budget, call counts. Pure; never throws.
 */
export function analyseTrace(input: AnalyseTraceInput, config: TaskClassConfig = DEFAULT_TASK_CLASS_CONFIG): TraceAnalysis {
  const warnings = [...(input.warnings ?? [])];
  const forest = buildSpanForest(input.spans);
  if (!forest) return emptyAnalysis(input, warnings, config);
  const { ordered, reachable } = walkDepthFirst(forest.index);
  const unreachable = forest.byId.size - reachable;
  if (unreachable > 0)
    warnings.push(`${unreachable} span${unreachable === 1 ? '' : 's'} in a parent cycle, not reachable from a top-level span`);
  const { root, windowStartNs, windowEndNs } = forest;
  const durationNs = windowEndNs - windowStartNs;

  const path = computeCriticalPath(forest);
  const critical = new Set(path.spanIds);
  const criticalSpans = path.spanIds.map((id) => forest.byId.get(id)!);
  const { breakdown, llmTime } = computeBreakdown(path.segments, forest.byId, durationNs);
  const perceivedNs = perceivedLatencyNs(taskSpanWithFirstOutput(root, input.spans), criticalSpans, windowStartNs, windowEndNs);

  const spans: SpanView[] = ordered.map((span) => {
    return toSpanView(span, selfTimeNs(span, forest.statedChildren.get(span.spanId) ?? []), critical.has(span.spanId), windowStartNs);
  });

  const counts = countCalls(ordered);
  const task = taskFacts(root, ordered);
  const { taskClass, budgetMs } = resolveTaskClass(
    {
      explicitClass: task.taskClass,
      explicitBudgetMs: task.budgetMs,
      taskName: root.name,
      llmCalls: counts.llmCalls,
      toolCalls: counts.toolCalls,
    },
    config,
  );
  const durationMs = durationNs / 1e6;
  const perceivedMs = perceivedNs / 1e6;
  const summary: TraceSummary = {
    traceId: input.traceId,
    service: root.service,
    name: root.name,
    taskClass,
    startTimeMs: epochMs(input.traceStartUnixNano, windowStartNs),
    durationMs,
    perceivedMs,
    band: uxBand(durationMs),
    perceivedBand: uxBand(perceivedMs),
    budgetMs,
    overBudget: durationMs > budgetMs,
    spanCount: forest.byId.size - ordered.filter((span) => span.derived).length,
    llmCalls: counts.llmCalls,
    toolCalls: counts.toolCalls,
    error: ordered.some((span) => span.status === 'error'),
    breakdown,
  };
  if (task.sessionId !== undefined) summary.sessionId = task.sessionId;
  if (counts.firstTtftMs !== undefined) summary.firstTtftMs = counts.firstTtftMs;
  return {
    traceId: input.traceId,
    traceStartUnixNano: input.traceStartUnixNano,
    summary,
    spans,
    traceSpans: ordered,
    criticalPath: path.spanIds,
    rootSpanId: root.spanId,
    llmTime,
    criticalSegments: path.segments,
    tokens: { inputTokens: counts.inputTokens, outputTokens: counts.outputTokens },
    ...(task.turn === undefined ? {} : { turn: task.turn }),
    warnings,
  };
}

/** Epoch ms of an offset, exact to the µs (epoch ns do not fit a double). */
function epochMs(traceStartUnixNano: bigint, offsetNs: number): number {
  const unixNano = traceStartUnixNano + BigInt(offsetNs);
  return Number(unixNano / 1000n) / 1000;
}

/**
 * The task's stated facts: the root's, else the nearest task span's (an HTTP server root with
 * the SDK's task span under it), else the first span that names a session.
 */
function taskFacts(
  root: TraceSpan,
  ordered: readonly TraceSpan[],
): { taskClass?: string; budgetMs?: number; sessionId?: string; turn?: number } {
  const taskSpans = [root, ...ordered.filter((span) => span !== root && span.category === 'task')];
  const pick = <K extends 'taskClass' | 'budgetMs' | 'sessionId' | 'turn'>(key: K) => {
    for (const span of taskSpans) if (span.task?.[key] !== undefined) return span.task[key];
    return undefined;
  };
  let sessionId = pick('sessionId');
  if (sessionId === undefined)
    for (const span of ordered)
      if (span.task?.sessionId !== undefined) {
        sessionId = span.task.sessionId;
        break;
      }
  return { taskClass: pick('taskClass'), budgetMs: pick('budgetMs'), sessionId, turn: pick('turn') };
}

/** The root, unless it has no first-output event and a task span under it does. */
function taskSpanWithFirstOutput(root: TraceSpan, spans: readonly TraceSpan[]): TraceSpan {
  if (root.firstOutputNs !== undefined) return root;
  return spans.find((span) => span.category === 'task' && span.firstOutputNs !== undefined) ?? root;
}

function emptyAnalysis(input: AnalyseTraceInput, warnings: string[], config: TaskClassConfig): TraceAnalysis {
  const { taskClass, budgetMs } = resolveTaskClass({ taskName: '', llmCalls: 0, toolCalls: 0 }, config);
  return {
    traceId: input.traceId,
    traceStartUnixNano: input.traceStartUnixNano,
    summary: {
      traceId: input.traceId,
      service: 'unknown_service',
      name: '',
      taskClass,
      startTimeMs: epochMs(input.traceStartUnixNano, 0),
      durationMs: 0,
      perceivedMs: 0,
      band: 'instant',
      perceivedBand: 'instant',
      budgetMs,
      overBudget: false,
      spanCount: 0,
      llmCalls: 0,
      toolCalls: 0,
      error: false,
      breakdown: emptyBreakdown(),
    },
    spans: [],
    traceSpans: [],
    criticalPath: [],
    llmTime: { waitingForFirstTokenMs: 0, generatingMs: 0, unsplitMs: 0 },
    criticalSegments: [],
    tokens: { inputTokens: 0, outputTokens: 0 },
    warnings: warnings.length > 0 ? warnings : ['empty trace'],
  };
}
