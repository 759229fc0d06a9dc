/**
 * Registers a real OpenTelemetry Node tracer provider (AsyncLocalStorage context manager) whose
 * spans land in memory, and counts every `end()` OpenTelemetry refused as a second end.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface SpanCapture {
  exporter: InMemorySpanExporter;
  /** Finished spans, in end order. */
  spans(): ReadableSpan[];
  /** The one finished span named `name` (fails when there are zero or several). */
  span(name: string): ReadableSpan;
  /** Warnings and errors OpenTelemetry and the SDK logged through diag. */
  diagnostics: string[];
  reset(): void;
}

export function captureSpans(): SpanCapture {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  const diagnostics: string[] = [];
  const record = (message: string) => diagnostics.push(message);
  diag.setLogger(
    { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return {
    exporter,
    diagnostics,
    spans: () => exporter.getFinishedSpans(),
    span(name) {
      const matching = exporter.getFinishedSpans().filter((span) => span.name === name);
      if (matching.length !== 1)
        throw new Error(
          `expected one span named ${name}, found ${matching.length}: ${exporter
            .getFinishedSpans()
            .map((span) => span.name)
            .join(', ')}`,
        );
      return matching[0]!;
    },
    reset() {
      exporter.reset();
      diagnostics.length = 0;
    },
  };
}
