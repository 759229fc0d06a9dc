import type { SpanView } from '../api-types.js';
import type { TraceSpan } from '../trace-span.js';

/**
 * A TraceSpan as the API shows it: ms floats at full precision, only the facts that are known.
 * `startOffsetMs` counts from the task's start (`windowStartNs`), the 0 of the summary's
 * duration: a child recorded a little before its task (clock skew, starts truncated to whole ms)
 * gets a small negative offset rather than shifting every span, the task's own included.
 */
export function toSpanView(span: TraceSpan, selfNs: number, critical: boolean, windowStartNs = 0): SpanView {
  const view: SpanView = {
    spanId: span.spanId,
    name: span.name,
    category: span.category,
    classifiedBy: span.classifier,
    startOffsetMs: (span.startNs - windowStartNs) / 1e6,
    durationMs: (span.endNs - span.startNs) / 1e6,
    selfMs: selfNs / 1e6,
    critical,
    status: span.status,
    attributes: span.attributes,
  };
  if (span.parentSpanId !== undefined) view.parentSpanId = span.parentSpanId;
  if (span.llm) {
    const { model, provider, streaming, ttftMs, tpotMs, inputTokens, outputTokens, chunks, maxChunkGapMs, maxChunkGapStartMs } = span.llm;
    const llm: NonNullable<SpanView['llm']> = {};
    if (model !== undefined) llm.model = model;
    if (provider !== undefined) llm.provider = provider;
    if (streaming !== undefined) llm.streaming = streaming;
    if (ttftMs !== undefined) llm.ttftMs = ttftMs;
    if (tpotMs !== undefined) llm.tpotMs = tpotMs;
    if (inputTokens !== undefined) llm.inputTokens = inputTokens;
    if (outputTokens !== undefined) llm.outputTokens = outputTokens;
    if (span.llm.cacheReadInputTokens !== undefined) llm.cacheReadInputTokens = span.llm.cacheReadInputTokens;
    if (span.llm.cacheWriteInputTokens !== undefined) llm.cacheWriteInputTokens = span.llm.cacheWriteInputTokens;
    if (span.llm.cost !== undefined) llm.cost = span.llm.cost;
    if (chunks !== undefined) llm.chunks = chunks;
    if (maxChunkGapMs !== undefined) llm.maxChunkGapMs = maxChunkGapMs;
    if (maxChunkGapStartMs !== undefined) llm.maxChunkGapStartMs = maxChunkGapStartMs;
    view.llm = llm;
  }
  if (span.tool) {
    const { name, callId, cacheHit, coldStart } = span.tool;
    const tool: NonNullable<SpanView['tool']> = { name };
    if (callId !== undefined) tool.callId = callId;
    if (cacheHit !== undefined) tool.cacheHit = cacheHit;
    if (coldStart !== undefined) tool.coldStart = coldStart;
    view.tool = tool;
  }
  if (span.orchestration?.kind !== undefined) view.orchestration = { kind: span.orchestration.kind };
  return view;
}
