import { context, trace, type Attributes, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** A span with exact times (ms after the trace's base), drawn as a tree. */
export interface PlannedSpan {
  name: string;
  startMs: number;
  endMs: number;
  attributes?: Attributes;
  /** Events at ms after the base (e.g. `threshold.first_output`). */
  events?: Array<{ name: string; atMs: number }>;
  error?: boolean;
  children?: PlannedSpan[];
}

class CollectingProcessor implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Emits each planned trace through the real OTel SDK at its own base time and sends them all with
 * the official protobuf exporter (gzip), as an instrumented agent would. Returns the trace ids and,
 * per trace, span ids by span name.
 */
export async function exportTraces(
  collectorUrl: string,
  serviceName: string,
  traces: Array<{ baseMs: number; root: PlannedSpan }>,
): Promise<Array<{ traceId: string; spanIds: Record<string, string> }>> {
  const processor = new CollectingProcessor();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), spanProcessors: [processor] });
  const tracer = provider.getTracer('threshold-dashboard-tests');
  const ids = traces.map(({ baseMs, root }) => {
    const spanIds: Record<string, string> = {};
    const emit = (plan: PlannedSpan, parent?: Span): Span => {
      const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
      const span = tracer.startSpan(plan.name, { startTime: baseMs + plan.startMs, attributes: plan.attributes, root: !parent }, parentContext);
      spanIds[plan.name] = span.spanContext().spanId;
      for (const event of plan.events ?? []) span.addEvent(event.name, {}, baseMs + event.atMs);
      for (const child of plan.children ?? []) emit(child, span);
      if (plan.error) span.setStatus({ code: 2, message: 'failed' });
      span.end(baseMs + plan.endMs);
      return span;
    };
    const rootSpan = emit(root);
    return { traceId: rootSpan.spanContext().traceId, spanIds };
  });
  const exporter = new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces`, compression: CompressionAlgorithm.GZIP });
  const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(processor.spans, resolve));
  await exporter.shutdown();
  await provider.shutdown();
  if (result.code !== 0) throw new Error(`export failed: ${result.error?.message ?? result.code}`);
  return ids;
}
