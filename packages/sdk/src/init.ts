/**
 * Setup: `init()` starts OpenTelemetry's Node SDK with an OTLP/HTTP exporter to Threshold's
 * collector (http://localhost:4318 unless OTEL_EXPORTER_OTLP_ENDPOINT or options say otherwise):
 * protobuf with gzip by default, JSON when OTEL_EXPORTER_OTLP_PROTOCOL=http/json. When the app
 * already registered its own TracerProvider, `init` leaves it in charge and the SDK's spans go
 * there. `shutdown()` ends spans still open and flushes.
 */
import { type Attributes, context, diag, propagation, trace, type TracerProvider } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BoundedExportProcessor, type BoundedExportOptions, type ExportStats } from './bounded-export-processor.js';
import { configureSdk, type ContentCaptureOptions, resetSdkConfig } from './sdk-config.js';
import { endOpenSpans } from './span-handle.js';

/** Options of {@link init}. Environment variables fill what is not given. */
export interface InitOptions extends ContentCaptureOptions, BoundedExportOptions {
  /** `service.name` of the agent (else OTEL_SERVICE_NAME). */
  serviceName?: string;
  /** Collector base URL, e.g. `http://localhost:4318` (`/v1/traces` is appended when missing). */
  endpoint?: string;
  /** Headers for every export (else OTEL_EXPORTER_OTLP_HEADERS). */
  headers?: Record<string, string>;
  /** Wire format (else OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL, else protobuf). */
  protocol?: 'http/protobuf' | 'http/json';
  /** Send spans to this exporter instead of OTLP. */
  exporter?: SpanExporter;
  /** Extra resource attributes. */
  resourceAttributes?: Attributes;
}

/** What {@link init} set up. */
export interface InitResult {
  /** True when an app's own TracerProvider was already registered and is used as is. */
  usedExistingProvider: boolean;
}

interface Setup {
  sdk?: NodeSDK;
  processor?: BoundedExportProcessor;
  existingProvider?: TracerProvider;
}

let setup: Setup | undefined;

type ExporterConfig = NonNullable<ConstructorParameters<typeof OtlpProtoTraceExporter>[0]>;
/** `CompressionAlgorithm.GZIP` of @opentelemetry/otlp-exporter-base, without depending on that package. */
const GZIP = 'gzip' as ExporterConfig['compression'];

function hasRegisteredProvider(): boolean {
  const global = trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
  const delegate = typeof global.getDelegate === 'function' ? global.getDelegate() : global;
  return delegate.constructor?.name !== 'NoopTracerProvider';
}

function tracesUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/traces') ? trimmed : `${trimmed}/v1/traces`;
}

function otlpExporter(options: InitOptions): SpanExporter {
  const protocol =
    options.protocol ?? process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  const compressionFromEnv = process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION ?? process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
  const config: ExporterConfig = {
    url: options.endpoint === undefined ? undefined : tracesUrl(options.endpoint),
    headers: options.headers,
    compression: compressionFromEnv === undefined ? GZIP : undefined,
    timeoutMillis: options.exportTimeoutMs,
  };
  if (protocol === 'http/json') return new OtlpJsonTraceExporter(config);
  if (protocol !== 'http/protobuf') diag.warn(`@threshold/sdk: OTLP protocol "${protocol}" is not supported; using http/protobuf`);
  return new OtlpProtoTraceExporter(config);
}

/** Starts exporting spans (or joins the app's existing OpenTelemetry setup). */
export function init(options: InitOptions = {}): InitResult {
  configureSdk(options);
  if (setup !== undefined) {
    diag.warn('@threshold/sdk: init() called twice; the first setup stays');
    return { usedExistingProvider: setup.existingProvider !== undefined };
  }
  if (hasRegisteredProvider()) {
    setup = { existingProvider: trace.getTracerProvider() };
    return { usedExistingProvider: true };
  }
  const processor = new BoundedExportProcessor(options.exporter ?? otlpExporter(options), options);
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    resource: options.resourceAttributes === undefined ? undefined : resourceFromAttributes(options.resourceAttributes),
    spanProcessors: [processor],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  setup = { sdk, processor };
  return { usedExistingProvider: false };
}

/** Counters of the export queue (zeros when the app's own provider is used). */
export function exportStats(): ExportStats {
  return setup?.processor?.exportStats() ?? { queuedSpans: 0, exportedSpans: 0, droppedSpans: 0, failedExports: 0 };
}

/** Ends spans still open, flushes, and stops the SDK's own setup (an app's provider is only flushed). */
export async function shutdown(): Promise<void> {
  endOpenSpans();
  const current = setup;
  setup = undefined;
  try {
    if (current?.sdk !== undefined) {
      await current.sdk.shutdown();
      // The SDK registered these globals; releasing them lets a later init() start afresh.
      trace.disable();
      context.disable();
      propagation.disable();
    } else {
      const provider = (current?.existingProvider ?? trace.getTracerProvider()) as TracerProvider & {
        getDelegate?: () => TracerProvider;
      };
      const delegate = (typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider) as {
        forceFlush?: () => Promise<void>;
      };
      if (typeof delegate.forceFlush === 'function') await delegate.forceFlush();
    }
  } catch (error) {
    diag.warn('@threshold/sdk: shutdown could not flush every span', error);
  } finally {
    resetSdkConfig();
  }
}
