import type { TraceAnalysis } from '../analysis-types.js';
import { DEFAULT_RECOMMENDATION_THRESHOLDS, type RecommendationThresholds } from './thresholds.js';
import { median } from './trace-calls.js';
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
  /** Observed llm calls per model. */
  modelCalls: ReadonlyMap<string, readonly LlmCallObservation[]>;
  /** Per session id: its traces' calls, oldest first. */
  sessions: ReadonlyMap<string, SessionHistory>;
  /** Per task name: which traces were seen and which tools followed which llm steps in them. */
  taskSteps: ReadonlyMap<string, TaskStepHistory>;
  /** Median duration per tool name of calls neither flagged cold or cached nor first in their session. */
  warmToolMs: ReadonlyMap<string, number>;
}

export interface SessionHistory {
  llmCalls: readonly LlmCallObservation[];
  toolCalls: readonly ToolCallObservation[];
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

export function buildRuleContext(observations: Iterable<TraceObservations>, options: RuleContextOptions = {}): RuleContext {
  const modelCalls = new Map<string, LlmCallObservation[]>();
  const sessions = new Map<string, { llmCalls: LlmCallObservation[]; toolCalls: ToolCallObservation[] }>();
  const taskSteps = new Map<string, { traceIds: Set<string>; follows: Map<string, Set<string>> }>();
  const warmSamples = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const trace of observations) {
    if (seen.has(trace.traceId)) continue;
    seen.add(trace.traceId);
    for (const call of trace.llmCalls) pushTo(modelCalls, call.model, call);
    if (trace.sessionId !== undefined) {
      let session = sessions.get(trace.sessionId);
      if (!session) sessions.set(trace.sessionId, (session = { llmCalls: [], toolCalls: [] }));
      session.llmCalls.push(...trace.llmCalls);
      session.toolCalls.push(...trace.toolCalls);
    } else {
      for (const call of trace.toolCalls) if (isWarmCandidate(call)) pushTo(warmSamples, call.name, call.durationMs);
    }
    let steps = taskSteps.get(trace.taskName);
    if (!steps) taskSteps.set(trace.taskName, (steps = { traceIds: new Set(), follows: new Map() }));
    steps.traceIds.add(trace.traceId);
    for (const key of trace.stepFollows) {
      let ids = steps.follows.get(key);
      if (!ids) steps.follows.set(key, (ids = new Set()));
      ids.add(trace.traceId);
    }
  }
  const byTime = (a: { startTimeMs: number }, b: { startTimeMs: number }) => a.startTimeMs - b.startTimeMs;
  for (const session of sessions.values()) {
    session.llmCalls.sort(byTime);
    session.toolCalls.sort(byTime);
    // A session's first call of a tool may be paying a start-up cost: it does not define "warm".
    const called = new Set<string>();
    for (const call of session.toolCalls) {
      if (called.has(call.name)) {
        if (isWarmCandidate(call)) pushTo(warmSamples, call.name, call.durationMs);
      } else called.add(call.name);
    }
  }
  const warmToolMs = new Map<string, number>();
  for (const [name, samples] of warmSamples) warmToolMs.set(name, median(samples)!);
  const context: RuleContext = {
    thresholds: { ...DEFAULT_RECOMMENDATION_THRESHOLDS, ...options.thresholds },
    modelCalls,
    sessions,
    taskSteps,
    warmToolMs,
  };
  if (options.taskClassConfig !== undefined) context.taskClassConfig = options.taskClassConfig;
  return context;
}

/** The context a trace seen alone gets: everything it can tell about itself. */
export function singleTraceContext(trace: TraceAnalysis, options: RuleContextOptions = {}): RuleContext {
  return buildRuleContext([observeTrace(trace)], options);
}

function isWarmCandidate(call: ToolCallObservation): boolean {
  return call.coldStart !== true && call.cacheHit !== true;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
