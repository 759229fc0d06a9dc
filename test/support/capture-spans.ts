import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanRecord } from '@threshold/core';
import { readableSpansToRecords } from './readable-span-to-record.js';

/**
 * A real tracer provider, registered globally with an AsyncLocalStorage context manager, exporting
 * every ended span into memory. Instrumentation libraries use it exactly as they would in an app.
 */
export interface SpanCapture {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  /** Spans ended so far, as SpanRecords. */
  records(): SpanRecord[];
  reset(): void;
  shutdown(): Promise<void>;
}

export function captureSpans(serviceName: string): SpanCapture {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    provider,
    exporter,
    records: () => readableSpansToRecords(exporter.getFinishedSpans()),
    reset: () => exporter.reset(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
