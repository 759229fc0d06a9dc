import type { TraceAnalysis } from '../analysis-types.js';
import { RuleContextIndex } from './rule-context-index.js';
import type { RecommendationThresholds } from './thresholds.js';
import { observeTrace, type LlmCallObservation, type ToolCallObservation, type TraceObservations } from './trace-observations.js';
import type { TaskClassConfig } from '../task-class.js';

/**
 * What the rules know beyond the trace in hand, built from other traces: how fast each model is
 * at each token count, what came before in the trace's session, how a task's steps usually
 * follow one another, and how long each tool takes when warm. Rules must treat every part as
 * possibly empty (a trace seen alone still gets its single-trace findings).
 */
export interface RuleContext {
  thresholds: RecommendationThresholds;
  /** Passed to analyseTrace when a rule projects its saving: the same task classes and budgets the trace was analysed with. */
  taskClassConfig?: TaskClassConfig;
  /** Observed llm calls per model, oldest first. */
  modelCalls: ReadonlyMap<string, readonly LlmCallObservation[]>;
  /** Median TTFT of the model's calls that have one, and how many there were. */
  modelTtftMs(model: string): { medianMs: number; calls: number } | undefined;
  /** Per session id: its traces' calls, oldest first. */
  sessions: ReadonlyMap<string, SessionHistory>;
  /** Per task name: which traces were seen and which tools followed which llm steps in them. */
  taskSteps: ReadonlyMap<string, TaskStepHistory>;
  /** Median duration of the tool's calls neither flagged cold or cached nor first in their session. */
  warmToolMs(toolName: string): number | undefined;
}

/**
 * A session's most recent calls (at most `maxSessionCalls` of each kind, oldest first: enough
 * turns to fit context growth or find a repeat, and a bounded cost however long the session
 * runs), plus the earliest indexed call of each tool, kept even after it leaves the recent calls.
 */
export interface SessionHistory {
  llmCalls: readonly LlmCallObservation[];
  toolCalls: readonly ToolCallObservation[];
  /** Per tool name, the session's earliest indexed call (equal starts: the first indexed). */
  firstToolCalls: ReadonlyMap<string, ToolCallObservation>;
}

export interface TaskStepHistory {
  traceIds: ReadonlySet<string>;
  /** `stepFollowKey` → ids of the traces in which it happened. */
  follows: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface RuleContextOptions {
  thresholds?: Partial<RecommendationThresholds>;
  taskClassConfig?: TaskClassConfig;
}

/** A context over a fixed set of traces (the collector keeps a `RuleContextIndex` instead). */
export function buildRuleContext(observations: Iterable<TraceObservations>, options: RuleContextOptions = {}): RuleContext {
  const index = new RuleContextIndex();
  for (const trace of observations) index.add(trace);
  return index.context(options);
}

/** The context a trace seen alone gets: everything it can tell about itself. */
export function singleTraceContext(trace: TraceAnalysis, options: RuleContextOptions = {}): RuleContext {
  return buildRuleContext([observeTrace(trace)], options);
}
