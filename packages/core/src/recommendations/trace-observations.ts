import type { TraceAnalysis } from '../analysis-types.js';
import type { TraceSpan } from '../trace-span.js';
import { indexSiblings } from './sibling-order.js';
import { durationMsOf, isLlmCall, isToolCall, spanStartTimeMs } from './trace-calls.js';

/**
 * What one trace contributes to the cross-trace rules: its llm calls (model latency by token
 * count, session context growth), its tool calls (warm latency, session repeats and first calls)
 * and which tools directly followed which llm step (predictable steps). Small and plain, so the
 * collector can keep or rebuild it per trace without holding whole traces.
 */
export interface TraceObservations {
  traceId: string;
  taskName: string;
  sessionId?: string;
  /** Epoch ms of the trace's start. */
  startTimeMs: number;
  llmCalls: LlmCallObservation[];
  toolCalls: ToolCallObservation[];
  /** `stepFollowKey`s of tools that started right after an llm call (each key once). */
  stepFollows: string[];
}

export interface LlmCallObservation {
  traceId: string;
  spanId: string;
  model: string;
  /** Epoch ms. */
  startTimeMs: number;
  durationMs: number;
  ttftMs?: number;
  streaming?: boolean;
  inputTokens?: number;
  outputTokens?: number;
  purpose?: string;
}

export interface ToolCallObservation {
  traceId: string;
  spanId: string;
  name: string;
  argsHash?: string;
  /** Epoch ms. */
  startTimeMs: number;
  durationMs: number;
  coldStart?: boolean;
  cacheHit?: boolean;
}

/** The step an llm call stands for in a task: its purpose when known, else its span name. */
export function llmStepName(span: TraceSpan): string {
  return span.llm?.purpose ?? span.name;
}

/** Key of "tool `toolName` ran right after llm step `stepName`". */
export function stepFollowKey(stepName: string, toolName: string): string {
  return `${stepName}\u0000${toolName}`;
}

/** Observations per analysis object: the index and several rules ask for the same trace's. */
const observed = new WeakMap<TraceAnalysis, TraceObservations>();

/** What the trace contributes to cross-trace knowledge (computed once per analysis object; treat as read-only). */
export function observeTrace(trace: TraceAnalysis): TraceObservations {
  let observations = observed.get(trace);
  if (!observations) observed.set(trace, (observations = computeObservations(trace)));
  return observations;
}

function computeObservations(trace: TraceAnalysis): TraceObservations {
  const llmCalls: LlmCallObservation[] = [];
  const toolCalls: ToolCallObservation[] = [];
  const stepFollows = new Set<string>();
  const siblings = indexSiblings(trace.traceSpans);
  for (const span of trace.traceSpans) {
    if (isLlmCall(span) && span.llm?.model !== undefined) {
      // Every field present (undefined when unknown): one shape for every call, so the rules'
      // loops over a session's or a model's calls read them monomorphically.
      llmCalls.push({
        traceId: trace.traceId,
        spanId: span.spanId,
        model: span.llm.model,
        startTimeMs: spanStartTimeMs(trace, span),
        durationMs: durationMsOf(span),
        ttftMs: span.llm.ttftMs,
        streaming: span.llm.streaming,
        inputTokens: span.llm.inputTokens,
        outputTokens: span.llm.outputTokens,
        purpose: span.llm.purpose,
      });
    } else if (isToolCall(span)) {
      const tool = span.tool!;
      toolCalls.push({
        traceId: trace.traceId,
        spanId: span.spanId,
        name: tool.name,
        startTimeMs: spanStartTimeMs(trace, span),
        durationMs: durationMsOf(span),
        argsHash: tool.argsHash,
        coldStart: tool.coldStart,
        cacheHit: tool.cacheHit,
      });
      const before = siblings.predecessorOf(span);
      if (before && isLlmCall(before)) stepFollows.add(stepFollowKey(llmStepName(before), tool.name));
    }
  }
  const observations: TraceObservations = {
    traceId: trace.traceId,
    taskName: trace.summary.name,
    startTimeMs: trace.summary.startTimeMs,
    llmCalls,
    toolCalls,
    stepFollows: [...stepFollows],
  };
  if (trace.summary.sessionId !== undefined) observations.sessionId = trace.summary.sessionId;
  return observations;
}
