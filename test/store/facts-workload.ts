import type { AttributeValue, SpanRecord, StatusCode, TaskClassConfig } from '@threshold/core';
import { DEFAULT_TASK_CLASS_CONFIG } from '@threshold/core';

/**
 * Twenty-four agent turns, one a second, in four shapes that make the stored facts matter:
 *
 *   i % 4 = 0  Mastra 1.x "invoke_agent Support" (mapped to class `support`, 3 s configured; the
 *              last two state `threshold.task.budget_ms` 1,500), session thread-a:
 *                agent ─ model_generation ─ step: 0 ─ chat gpt-4o (usage, completion start) ─ chunk: 'text' ×2
 *                                         │         └ execute_tool lookupOrder
 *                                         └ step: 1 ─ chat gpt-4o (usage, completion start) ─ chunk: 'text'
 *   i % 4 = 1  Mastra 0.2x "agent.support-agent" (class by counts), session thread-b: the usage of
 *              the whole loop on the `chat gpt-4o-mini` generation, none on its two steps, a chunk in each
 *   i % 4 = 2  Vercel AI "invoke_agent research" (class `research` stated, unconfigured; budget
 *              stated, the latest trace's differs): `ai.streamText` repeats the usage and the first
 *              chunk of its two `doStream` calls, a tool call between them
 *   i % 4 = 3  GenAI "invoke_agent triage" (service worker): a state load, a route, a streamed
 *              gpt-4o call with a chunk gap, a tool (cache hits, an error every other one)
 *
 * Each shape's duration grows with i, so percentiles interpolate between distinct values.
 */
export interface PlannedSpan {
  id: number;
  parent?: number;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, string | number | boolean>;
  status?: StatusCode;
}

export interface PlannedTrace {
  traceId: string;
  service: string;
  /** Epoch ms of the trace's start; span times are ms after it. */
  startMs: number;
  spans: PlannedSpan[];
}

export const TASK_CLASSES: TaskClassConfig = {
  ...DEFAULT_TASK_CLASS_CONFIG,
  budgetsMs: { simple: 2_000, complex: 5_000, support: 3_000 },
  classByTaskName: { 'invoke_agent Support': 'support' },
};

const mastra = (type: string, extra: Record<string, string | number | boolean> = {}) => ({ 'mastra.span.type': type, ...extra });
const vercel = (operationId: string, extra: Record<string, string | number | boolean> = {}) => ({
  'ai.operationId': operationId,
  'ai.model.id': 'claude-sonnet-4',
  'ai.model.provider': 'anthropic.messages',
  ...extra,
});

function mastraOneX(i: number, at: (ms: number) => string): PlannedSpan[] {
  const d = 900 + 37 * i;
  const turn = i / 4 + 1;
  const budget = i >= 16 ? { 'threshold.task.budget_ms': 1_500 } : {};
  const firstToken = 8 + 60 + 7 * i;
  return [
    { id: 1, name: 'invoke_agent Support', startMs: 0, endMs: d, attributes: mastra('agent_run', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 'thread-a', 'threshold.turn': turn, ...budget }) },
    { id: 2, parent: 1, name: 'model_generation gpt-4o', startMs: 5, endMs: d - 5, attributes: mastra('model_generation', { 'gen_ai.operation.name': 'model_generation' }) },
    { id: 3, parent: 2, name: 'step: 0', startMs: 5, endMs: 400, attributes: mastra('model_step', { 'gen_ai.operation.name': 'agent_step' }) },
    { id: 4, parent: 3, name: 'chat gpt-4o', startMs: 8, endMs: 300, attributes: mastra('model_inference', { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.provider.name': 'openai', 'gen_ai.usage.input_tokens': 200 + i, 'gen_ai.usage.output_tokens': 12, 'mastra.completion_start_time': at(firstToken) }) },
    { id: 5, parent: 4, name: "chunk: 'text'", startMs: firstToken, endMs: firstToken + 1, attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }) },
    { id: 6, parent: 4, name: "chunk: 'text'", startMs: 250, endMs: 251, attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }) },
    { id: 7, parent: 3, name: 'execute_tool lookupOrder', startMs: 305, endMs: 395, attributes: mastra('tool_call', { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookupOrder' }) },
    { id: 8, parent: 2, name: 'step: 1', startMs: 405, endMs: d - 10, attributes: mastra('model_step', { 'gen_ai.operation.name': 'agent_step' }) },
    { id: 9, parent: 8, name: 'chat gpt-4o', startMs: 410, endMs: d - 15, attributes: mastra('model_inference', { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.provider.name': 'openai', 'gen_ai.usage.input_tokens': 300 + i, 'gen_ai.usage.output_tokens': 40, 'mastra.completion_start_time': at(500 + i) }) },
    { id: 10, parent: 9, name: "chunk: 'text'", startMs: 500 + i, endMs: 501 + i, attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }) },
  ];
}

function mastraZeroTwo(i: number): PlannedSpan[] {
  const d = 1_200 + 53 * i;
  return [
    { id: 1, name: 'agent.support-agent', startMs: 0, endMs: d, attributes: mastra('agent_run', { 'gen_ai.operation.name': 'agent.run', 'agent.id': 'support-agent', threadId: 'thread-b', resourceId: 'user-1', 'threshold.turn': (i - 1) / 4 + 1 }) },
    { id: 2, parent: 1, name: 'chat gpt-4o-mini', startMs: 5, endMs: d - 10, attributes: mastra('model_generation', { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.system': 'openai', 'gen_ai.usage.input_tokens': 120 + i, 'gen_ai.usage.output_tokens': 30 }) },
    { id: 3, parent: 2, name: 'step: 0', startMs: 5, endMs: 500, attributes: mastra('model_step', { 'gen_ai.operation.name': 'model.step', modelId: 'gpt-4o-mini' }) },
    { id: 4, parent: 3, name: "chunk: 'tool-call'", startMs: 255, endMs: 256, attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }) },
    { id: 5, parent: 3, name: 'tool.execute lookupOrder', startMs: 260, endMs: 495, attributes: mastra('tool_call', { 'gen_ai.operation.name': 'tool.execute', 'gen_ai.tool.name': 'lookupOrder' }) },
    { id: 6, parent: 2, name: 'step: 1', startMs: 505, endMs: d - 15, attributes: mastra('model_step', { 'gen_ai.operation.name': 'model.step', modelId: 'gpt-4o-mini' }) },
    { id: 7, parent: 6, name: "chunk: 'text'", startMs: 600, endMs: d - 20, attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }) },
  ];
}

function vercelResearch(i: number): PlannedSpan[] {
  const d = 2_500 + 101 * i;
  const budget = i === 22 ? 31_000 : 30_000;
  return [
    { id: 1, name: 'invoke_agent research', startMs: 0, endMs: d, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'threshold.task.class': 'research', 'threshold.task.budget_ms': budget } },
    { id: 2, parent: 1, name: 'ai.streamText', startMs: 2, endMs: d - 2, attributes: vercel('ai.streamText', { 'ai.usage.inputTokens': 500 + 2 * i, 'ai.usage.outputTokens': 50, 'ai.response.msToFirstChunk': 122 + i }) },
    { id: 3, parent: 2, name: 'ai.streamText.doStream', startMs: 4, endMs: 600, attributes: vercel('ai.streamText.doStream', { 'ai.usage.inputTokens': 200 + i, 'ai.usage.outputTokens': 20, 'ai.response.msToFirstChunk': 120 + i }) },
    { id: 4, parent: 2, name: 'ai.toolCall', startMs: 610, endMs: 900, attributes: { 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'webSearch' } },
    { id: 5, parent: 2, name: 'ai.streamText.doStream', startMs: 905, endMs: d - 5, attributes: vercel('ai.streamText.doStream', { 'ai.usage.inputTokens': 300 + i, 'ai.usage.outputTokens': 30, 'ai.response.msToFirstChunk': 150 }) },
  ];
}

function genAiTriage(i: number): PlannedSpan[] {
  const d = 400 + 29 * i;
  return [
    { id: 1, name: 'invoke_agent triage', startMs: 0, endMs: d, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
    { id: 2, parent: 1, name: 'session.load', startMs: 1, endMs: 30, attributes: { 'threshold.category': 'state', 'threshold.state.operation': 'load' } },
    { id: 3, parent: 1, name: 'route', startMs: 30, endMs: 40, attributes: { 'threshold.category': 'orchestration', 'threshold.orchestration.kind': 'route' } },
    { id: 4, parent: 1, name: 'chat gpt-4o', startMs: 40, endMs: d - 60, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.provider.name': 'openai', 'gen_ai.request.stream': true, 'gen_ai.response.time_to_first_chunk': (50 + 3 * i) / 1_000, 'gen_ai.usage.input_tokens': 80, 'gen_ai.usage.output_tokens': 9, 'threshold.llm.max_chunk_gap_ms': 20 + i } },
    { id: 5, parent: 1, name: 'execute_tool classify', startMs: d - 55, endMs: d - 5, status: i % 8 === 7 ? 2 : 0, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'classify', 'threshold.tool.cache_hit': i % 8 === 3 } },
  ];
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** The workload, its first trace starting at `baseMs`. */
export function plannedTraces(baseMs: number): PlannedTrace[] {
  return Array.from({ length: 24 }, (_, i) => {
    const startMs = baseMs + i * 1_000;
    const at = (ms: number) => new Date(startMs + ms).toISOString();
    const spans = [mastraOneX, mastraZeroTwo, vercelResearch, genAiTriage][i % 4](i, at);
    return { traceId: hex(0xfac7_0000 + i, 32), service: i % 4 === 3 ? 'worker' : 'agent', startMs, spans };
  });
}

const unixNano = (trace: PlannedTrace, ms: number) => BigInt(trace.startMs) * 1_000_000n + BigInt(Math.round(ms * 1e6));

/** The trace as an OTLP/JSON request body. */
export function otlpBody(trace: PlannedTrace): string {
  const value = (v: string | number | boolean) =>
    typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: trace.service } }] },
        scopeSpans: [
          {
            scope: { name: 'threshold-tests' },
            spans: trace.spans.map((span) => ({
              traceId: trace.traceId,
              spanId: hex(span.id, 16),
              ...(span.parent === undefined ? {} : { parentSpanId: hex(span.parent, 16) }),
              name: span.name,
              kind: 1,
              startTimeUnixNano: unixNano(trace, span.startMs).toString(),
              endTimeUnixNano: unixNano(trace, span.endMs).toString(),
              attributes: Object.entries(span.attributes).map(([key, v]) => ({ key, value: value(v) })),
              ...(span.status === undefined ? {} : { status: { code: span.status } }),
            })),
          },
        ],
      },
    ],
  });
}

/** The same trace as the records core analyses (what the collector decodes the body into). */
export function spanRecords(trace: PlannedTrace): SpanRecord[] {
  return trace.spans.map((span) => {
    const record: SpanRecord = {
      traceId: trace.traceId,
      spanId: hex(span.id, 16),
      name: span.name,
      kind: 1,
      startTimeUnixNano: unixNano(trace, span.startMs),
      endTimeUnixNano: unixNano(trace, span.endMs),
      statusCode: span.status ?? 0,
      service: trace.service,
      attributes: span.attributes as Record<string, AttributeValue>,
      events: [],
      scope: 'threshold-tests',
    };
    if (span.parent !== undefined) record.parentSpanId = hex(span.parent, 16);
    return record;
  });
}
