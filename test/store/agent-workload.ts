import type { IngestBatch } from '@threshold/collector';
import { decodedIngestBatch, decodeStoredRequest } from '@threshold/collector';
import { otlpJsonBody, spanIdOf, traceIdOf, type JsonSpanPlan } from '../collector/otlp-json-body.js';

/**
 * A deterministic agent workload: `traceCount` tasks, each drawn from a seeded generator, with
 * this shape (ms after the task's start; d* are drawn):
 *
 *   task  |answer / plan ..........................................| d1+d2+d3+5
 *   llm   |chat <model> (TTFT drawn, tokens drawn)| d1
 *   tool                                     d1 |search| d1+d2
 *   state                                          d1+d2 |load memory| d1+d2+d3
 *
 * Every third task belongs to a session of two turns; one task in five is `complex`. Streamed
 * calls say how many chunks came and their longest pause (derived from the task's number, so the
 * draws stay those of the workload without them).
 */
export interface AgentTrace {
  traceId: string;
  service: string;
  spans: JsonSpanPlan[];
  /** Epoch ms the task started. */
  startMs: number;
}

const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet'];

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

export function agentWorkload(traceCount: number, { seed = 7, baseMs = Date.now() - 3_600_000, firstTrace = 1 } = {}): AgentTrace[] {
  const random = seeded(seed);
  const draw = (min: number, max: number) => Math.round((min + random() * (max - min)) * 1000) / 1000;
  const traces: AgentTrace[] = [];
  for (let i = 0; i < traceCount; i++) {
    const n = firstTrace + i;
    const traceId = traceIdOf(0x5000 + n);
    const span = (k: number) => spanIdOf(n * 16 + k);
    const [d1, d2, d3] = [draw(200, 3_000), draw(20, 900), draw(1, 60)];
    const complex = n % 5 === 0;
    const task: Record<string, string | number | boolean> = {
      'gen_ai.operation.name': 'invoke_agent',
      'threshold.task.class': complex ? 'complex' : 'simple',
    };
    if (n % 3 !== 0) Object.assign(task, { 'gen_ai.conversation.id': `session-${Math.floor(n / 3)}`, 'threshold.turn': n % 3 });
    traces.push({
      traceId,
      service: n % 2 === 0 ? 'support' : 'checkout',
      startMs: baseMs + n * 1_000,
      spans: [
        { traceId, spanId: span(1), name: complex ? 'plan' : 'answer', startMs: 0, endMs: d1 + d2 + d3 + 5, attributes: task },
        {
          traceId,
          spanId: span(2),
          parentSpanId: span(1),
          name: 'chat',
          startMs: 0,
          endMs: d1,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.request.model': MODELS[n % MODELS.length],
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.stream': n % 4 !== 0,
            'gen_ai.response.time_to_first_chunk': draw(0.05, 0.4),
            'gen_ai.usage.input_tokens': 100 + (n % 17) * 10,
            'gen_ai.usage.output_tokens': 20 + (n % 5),
            ...(n % 4 !== 0
              ? {
                  'threshold.llm.chunks': 20 + (n % 5),
                  'threshold.llm.max_chunk_gap_ms': 40 + ((n * 37) % 150) + 0.25,
                  'threshold.llm.max_chunk_gap_start_ms': 60,
                }
              : {}),
          },
        },
        {
          traceId,
          spanId: span(3),
          parentSpanId: span(1),
          name: 'execute_tool search',
          startMs: d1,
          endMs: d1 + d2,
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search', 'threshold.tool.cache_hit': n % 3 === 1 },
        },
        {
          traceId,
          spanId: span(4),
          parentSpanId: span(1),
          name: 'load memory',
          startMs: d1 + d2,
          endMs: d1 + d2 + d3,
          attributes: { 'threshold.category': 'state', 'threshold.state.operation': 'read' },
        },
      ],
    });
  }
  return traces;
}

/** The OTLP/JSON body of some spans of one trace. */
export function traceBody(trace: AgentTrace, spans: readonly JsonSpanPlan[] = trace.spans): string {
  return otlpJsonBody(trace.service, trace.startMs, [...spans]);
}

/** An ingest batch as the collector hands it to storage, from an OTLP/JSON body. */
export function ingestBatch(body: string): IngestBatch {
  const bytes = new TextEncoder().encode(body);
  return decodedIngestBatch(decodeStoredRequest('json', bytes), bytes, { format: 'json', encoding: 'identity', bytes });
}
