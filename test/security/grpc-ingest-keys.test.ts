import { Metadata } from '@grpc/grpc-js';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { TraceDetail, TraceList } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseAccessConfig } from '../../collector/src/security/access-config.js';
import type { ThresholdServer } from '../../collector/src/server/server-options.js';
import { startServer } from '../../collector/src/server/start-server.js';
import { exportPlans, ExportResultCode, type SpanPlan } from '../collector/official-exporter.js';
import { handMadeSpan, hrTimeAt, officialProtobuf } from '../collector/otlp-recorded-spans.js';
import { grpcExport } from '../support/grpc-export.js';
import { KEYS, startTestGateway, type TestGateway } from './test-gateway.js';

const BASE_MS = Date.UTC(2026, 0, 8, 9, 0, 0);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A 40 ms agent run with a 25 ms model call inside. */
const run: SpanPlan = {
  name: 'invoke_agent keyed',
  startMs: 0,
  endMs: 40,
  attributes: { 'gen_ai.operation.name': 'invoke_agent' },
  children: [
    { name: 'chat gpt-4o', startMs: 10, endMs: 35, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' } },
  ],
};

/** The official gRPC exporter sending `run` with `key` (if any) in its metadata: its result code and the gRPC code of its error. */
async function exportWith(address: string, key?: string) {
  const metadata = new Metadata();
  if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
  const exporter = new GrpcExporter({ url: `http://${address}`, compression: CompressionAlgorithm.GZIP, metadata });
  const { traceIds, result } = await exportPlans(exporter, 'keyed-agent', BASE_MS, [run]);
  return { traceId: traceIds[0], code: result.code, grpcCode: (result.error as { code?: number } | undefined)?.code };
}

describe('OTLP/gRPC ingest keys from metadata, mapped to projects as over HTTP', () => {
  let gateway: TestGateway;
  let address: string;
  beforeAll(async () => {
    gateway = await startTestGateway({ grpcPort: 0 });
    address = gateway.server.grpc!.address;
  });
  afterAll(() => gateway.close());

  test('no key, an unknown key, a read key and an admin key are refused with the HTTP messages', async () => {
    const message = officialProtobuf([
      handMadeSpan({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'refused', startTime: hrTimeAt(0), endTime: hrTimeAt(5) }),
    ]);
    const required = 'an ingest key is required: send Authorization: Bearer <key>';
    const refusals = [
      [undefined, 16, required],
      ['Bearer not-a-key-0123456789', 16, required],
      [`Basic ${KEYS.alphaIngest}`, 16, required],
      [`Bearer ${KEYS.alphaRead}`, 7, 'a read key cannot send spans'],
      [`Bearer ${KEYS.betaAdmin}`, 7, 'an admin key cannot send spans'],
    ] as const;
    for (const [authorization, code, details] of refusals) {
      expect(await grpcExport(address, message, authorization === undefined ? {} : { authorization })).toEqual({
        code,
        details,
        statusDetails: { code, message: details, typeUrls: [] },
      });
    }
  });

  test('the official exporter without a key is UNAUTHENTICATED, with a read key PERMISSION_DENIED', async () => {
    expect(await exportWith(address)).toMatchObject({ code: ExportResultCode.FAILED, grpcCode: 16 });
    expect(await exportWith(address, KEYS.betaRead)).toMatchObject({ code: ExportResultCode.FAILED, grpcCode: 7 });
  });

  test("with an ingest key the spans land in that key's project only, timed exactly", async () => {
    const sent = await exportWith(address, KEYS.betaIngest);
    expect([sent.code, sent.grpcCode]).toEqual([ExportResultCode.SUCCESS, undefined]);
    const detail = async () => {
      const response = await fetch(`${gateway.url}/api/traces/${sent.traceId}`, { headers: bearer(KEYS.betaRead) });
      return response.status === 200 ? ((await response.json()) as TraceDetail) : undefined;
    };
    await expect.poll(detail, { timeout: 10_000 }).toBeDefined();
    const { summary, spans } = (await detail())!;
    expect([summary.service, summary.startTimeMs, summary.durationMs, summary.llmCalls, summary.breakdown]).toEqual([
      'keyed-agent',
      BASE_MS,
      40,
      1,
      { llm: 25, tool: 0, state: 0, orchestration: 0, other: 15 },
    ]);
    expect(spans.map((span) => [span.name, span.startOffsetMs, span.durationMs])).toEqual([
      ['invoke_agent keyed', 0, 40],
      ['chat gpt-4o', 10, 25],
    ]);
    expect((await fetch(`${gateway.url}/api/traces/${sent.traceId}`, { headers: bearer(KEYS.alphaRead) })).status).toBe(404);
    const alpha = (await (await fetch(`${gateway.url}/api/traces`, { headers: bearer(KEYS.alphaRead) })).json()) as TraceList;
    expect(alpha.traces.map((trace) => trace.traceId)).not.toContain(sent.traceId);
  });
});

describe('one rate limit per ingest key across OTLP/HTTP and OTLP/gRPC', () => {
  const slowKey = 'slow-ingest-0123456789';
  const otherKey = 'other-ingest-012345678';
  let gateway: ThresholdServer;
  beforeAll(async () => {
    gateway = await startServer({
      options: { port: 0, host: '127.0.0.1', dataDir: ':memory:', quietPeriodMs: 50 },
      access: parseAccessConfig(
        JSON.stringify({ projects: { slow: { ingestKeys: [slowKey], ingestRequestsPerSecond: 1 }, other: { ingestKeys: [otherKey] } } }),
      ),
      grpcPort: 0,
    });
  });
  afterAll(() => gateway.close());

  test('a key whose token HTTP took is RESOURCE_EXHAUSTED over gRPC with a RetryInfo, another key is not slowed', async () => {
    const message = officialProtobuf([
      handMadeSpan({ traceId: 'ef'.repeat(16), spanId: '12'.repeat(8), name: 'limited', startTime: hrTimeAt(0), endTime: hrTimeAt(5) }),
    ]);
    // The token is taken when the request is let in, before its body is read: a malformed body
    // spends it as well as a good one would, and is answered at once (the next call follows within
    // the second the bucket takes to refill).
    const http = await fetch(`${gateway.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', ...bearer(slowKey) },
      body: Uint8Array.from([0x0a, 0xff]),
    });
    expect(http.status).toBe(400);
    const limit = 'ingest rate limit of 1 requests/s for this key reached';
    expect(await grpcExport(gateway.grpc!.address, message, { authorization: `Bearer ${slowKey}` })).toEqual({
      code: 8,
      details: limit,
      statusDetails: { code: 8, message: limit, typeUrls: ['type.googleapis.com/google.rpc.RetryInfo'], retryDelaySeconds: 1 },
    });
    expect((await grpcExport(gateway.grpc!.address, message, { authorization: `Bearer ${otherKey}` })).code).toBe(0);
  });
});
