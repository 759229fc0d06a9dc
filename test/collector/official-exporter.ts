import { context, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** A span to emit with exact times, in ms after the plan's base time. */
export interface SpanPlan {
  name: string;
  startMs: number;
  endMs: number;
  attributes?: Attributes;
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

/**
 * Emits the planned traces through the real OTel SDK and sends them with `exporter` in one
 * export call; resolves with the exporter's result. Returns the trace ids in plan order.
 */
export async function exportPlans(
  exporter: SpanExporter,
  serviceName: string,
  baseMs: number,
  plans: SpanPlan[],
): Promise<{ traceIds: string[]; result: ExportResult }> {
  const processor = new CollectingProcessor();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('threshold-tests');
  const emit = (plan: SpanPlan, parent?: Span): Span => {
    const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
    const span = tracer.startSpan(plan.name, { startTime: baseMs + plan.startMs, attributes: plan.attributes, root: !parent }, parentContext);
    for (const child of plan.children ?? []) emit(child, span);
    if (plan.error) span.setStatus({ code: 2, message: 'failed' });
    span.end(baseMs + plan.endMs);
    return span;
  };
  const traceIds = plans.map((plan) => emit(plan).spanContext().traceId);
  const result = await new Promise<ExportResult>((resolve) => exporter.export(processor.spans, resolve));
  await exporter.shutdown();
  await provider.shutdown();
  return { traceIds, result };
}

export { ExportResultCode };
