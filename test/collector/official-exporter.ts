import { context, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** A span to emit with exact times, in ms after the plan's base time. */
export interface SpanPlan {
  name: string;
  startMs: number;
  endMs: number;
  attributes?: Attributes;
  /** Events at ms after the base (e.g. `threshold.first_output`). */
  events?: Array<{ name: string; atMs: number }>;
  error?: boolean;
  children?: SpanPlan[];
}

/** Collects ended spans so the test exports them itself and sees the exporter's result. */
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

/** One recorded trace: its id and, by span name, the ids of its spans. */
export interface RecordedTrace {
  traceId: string;
  spanIds: Record<string, string>;
}

/**
 * Emits each planned trace through the real OTel SDK at its own base time and sends every span
 * with `exporter` in one export call, as an instrumented agent's batch would; resolves with the
 * traces (in plan order) and the exporter's result.
 */
export async function exportPlannedTraces(
  exporter: SpanExporter,
  serviceName: string,
  traces: Array<{ baseMs: number; root: SpanPlan }>,
): Promise<{ traces: RecordedTrace[]; result: ExportResult }> {
  const processor = new CollectingProcessor();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('threshold-tests');
  const recorded = traces.map(({ baseMs, root }) => {
    const spanIds: Record<string, string> = {};
    const emit = (plan: SpanPlan, parent?: Span): Span => {
      const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
      const span = tracer.startSpan(
        plan.name,
        { startTime: baseMs + plan.startMs, attributes: plan.attributes, root: !parent },
        parentContext,
      );
      spanIds[plan.name] = span.spanContext().spanId;
      for (const event of plan.events ?? []) span.addEvent(event.name, {}, baseMs + event.atMs);
      for (const child of plan.children ?? []) emit(child, span);
      if (plan.error) span.setStatus({ code: 2, message: 'failed' });
      span.end(baseMs + plan.endMs);
      return span;
    };
    return { traceId: emit(root).spanContext().traceId, spanIds };
  });
  const result = await new Promise<ExportResult>((resolve) => exporter.export(processor.spans, resolve));
  await exporter.shutdown();
  await provider.shutdown();
  return { traces: recorded, result };
}

/** The planned traces, all at one base time, sent with `exporter`; resolves with their ids in plan order. */
export async function exportPlans(
  exporter: SpanExporter,
  serviceName: string,
  baseMs: number,
  plans: SpanPlan[],
): Promise<{ traceIds: string[]; result: ExportResult }> {
  const { traces, result } = await exportPlannedTraces(
    exporter,
    serviceName,
    plans.map((root) => ({ baseMs, root })),
  );
  return { traceIds: traces.map((recorded) => recorded.traceId), result };
}

export { ExportResultCode };
