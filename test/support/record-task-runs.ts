/**
 * Recordings of whole runs for `threshold compare`'s tests: tasks with designed durations,
 * recorded with the real OpenTelemetry SDK and serialized by the official OTLP serializers, as an
 * exporter would send them or a collector's file exporter would keep them.
 *
 * Each task is one trace, its task span over the whole duration and one llm call inside:
 *
 *   task, D ms    ├──────────────── invoke_agent <name> ────────────────┤   threshold.task.class = <class>
 *                     ├──── chat gpt-4o (first 70 % of D) ────┤
 *
 * Task i starts at startMs + i·1,000 ms (tasks overlap; each is its own trace).
 */
import { context, ROOT_CONTEXT, SpanKind, trace, type HrTime } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

export interface RecordedTask {
  taskClass: string;
  durationMs: number;
}

function hrTimeAt(epochMs: number): HrTime {
  return [Math.floor(epochMs / 1_000), Math.round((epochMs % 1_000) * 1_000_000)];
}

/** The spans of `tasks`, the first starting at `startMs` (epoch ms). */
export function recordTasks(tasks: readonly RecordedTask[], startMs: number, serviceName = 'support-agent'): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('threshold-compare-fixture');
  tasks.forEach(({ taskClass, durationMs }, index) => {
    const taskStartMs = startMs + index * 1_000;
    const root = tracer.startSpan(
      `invoke_agent ${taskClass}-task`,
      {
        kind: SpanKind.SERVER,
        startTime: hrTimeAt(taskStartMs),
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'threshold.task.class': taskClass },
      },
      ROOT_CONTEXT,
    );
    const chat = tracer.startSpan(
      'chat gpt-4o',
      {
        kind: SpanKind.CLIENT,
        startTime: hrTimeAt(taskStartMs + 1),
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
      },
      trace.setSpan(context.active(), root),
    );
    chat.end(hrTimeAt(taskStartMs + Math.floor(durationMs * 0.7)));
    root.end(hrTimeAt(taskStartMs + durationMs));
  });
  return exporter.getFinishedSpans();
}

/** One ExportTraceServiceRequest as OTLP/JSON bytes, or as OTLP/protobuf. */
export function serializeSpans(spans: ReadableSpan[], format: 'json' | 'protobuf'): Uint8Array {
  return format === 'json' ? JsonTraceSerializer.serializeRequest(spans)! : ProtobufTraceSerializer.serializeRequest(spans)!;
}
