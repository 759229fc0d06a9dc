/**
 * `init` sends OTLP/HTTP to the collector — protobuf with gzip by default, JSON when
 * OTEL_EXPORTER_OTLP_PROTOCOL=http/json — honours OTEL_* settings, and when the app already set
 * up OpenTelemetry only adds its spans to the app's provider.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, expect, it } from 'vitest';
import { init, shutdown, task, tool } from '@threshold/sdk';
import { startStubCollector } from './support/stub-collector.js';

const savedEnv = { ...process.env };
afterEach(async () => {
  await shutdown();
  process.env = { ...savedEnv };
});

it('exports protobuf with gzip to /v1/traces by default, with the service name', async () => {
  const stub = await startStubCollector('accept');
  init({ serviceName: 'support-agent', endpoint: stub.url });
  await task('answer', async () => tool('search', async () => 1));
  await shutdown();
  expect(stub.requests).toHaveLength(1);
  const { headers, body } = stub.requests[0]!;
  expect(headers['content-type']).toBe('application/x-protobuf');
  expect(headers['content-encoding']).toBe('gzip');
  const text = body.toString('latin1');
  for (const expected of ['support-agent', 'invoke_agent answer', 'execute_tool search', 'gen_ai.operation.name'])
    expect(text).toContain(expected);
  await stub.close();
});

it('exports JSON when OTEL_EXPORTER_OTLP_PROTOCOL=http/json, to OTEL_EXPORTER_OTLP_ENDPOINT with its headers', async () => {
  const stub = await startStubCollector('accept');
  process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = stub.url;
  process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-threshold-key=secret';
  process.env.OTEL_SERVICE_NAME = 'env-agent';
  init();
  await task('answer', async () => 1);
  await shutdown();
  const { headers, body } = stub.requests[0]!;
  expect(headers['content-type']).toBe('application/json');
  expect(headers['x-threshold-key']).toBe('secret');
  const payload = JSON.parse(body.toString('utf8'));
  const resource = payload.resourceSpans[0].resource.attributes as Array<{ key: string; value: { stringValue?: string } }>;
  expect(resource.find((attribute) => attribute.key === 'service.name')?.value.stringValue).toBe('env-agent');
  expect(payload.resourceSpans[0].scopeSpans[0].spans.map((span: { name: string }) => span.name)).toEqual(['invoke_agent answer']);
  await stub.close();
});

it('adds spans to an app’s own provider when one is registered, and only flushes it at shutdown', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  try {
    expect(init({ serviceName: 'ignored' })).toEqual({ usedExistingProvider: true });
    await task('answer', async () => tool('search', async () => 1));
    await shutdown();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['execute_tool search', 'invoke_agent answer']);
    // The app's provider still works after the SDK's shutdown.
    trace.getTracer('app').startSpan('app-span').end();
    expect(exporter.getFinishedSpans()).toHaveLength(3);
  } finally {
    // The app's provider is global: let go of it, or an `init` in a later test would find it and use it.
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  }
});
