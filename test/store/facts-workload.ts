import type { AttributeValue, SpanRecord, StatusCode, TaskClassConfig } from '@threshold/core';
import { DEFAULT_TASK_CLASS_CONFIG } from '@threshold/core';
import { genAiTriage, mastraOneX, mastraZeroTwo, vercelResearch } from './facts-workload-shapes.js';

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
    typeof v === 'string'
      ? { stringValue: v }
      : typeof v === 'boolean'
        ? { boolValue: v }
        : Number.isInteger(v)
          ? { intValue: String(v) }
          : { doubleValue: v };
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
