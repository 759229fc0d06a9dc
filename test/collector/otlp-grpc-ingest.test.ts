import { connect as http2Connect } from 'node:http2';
import { connect as tcpConnect } from 'node:net';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { TraceDetail } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeTraceRequestProtobuf } from '../../collector/src/otlp/index.js';
import { waitForTraces } from '../support/collector-harness.js';
import { decodeExportResponse, grpcExport } from '../support/grpc-export.js';
import { startTestGateway, type TestGateway } from '../security/test-gateway.js';
import { exportPlans, ExportResultCode, type SpanPlan } from './official-exporter.js';
import { handMadeSpan, hrTimeAt, officialProtobuf } from './otlp-recorded-spans.js';

/**
 * The triage task, times in ms after the base:
 *
 *   0                                                            2400
 *   |invoke_agent triage ............................................|
 *      150 |chat claude-sonnet ..........| 1150
 *                                      1150 |execute_tool lookup| 1900
 *                                                       1900 |chat claude-haiku| 2300
 *
 * llm 1000 + 400, tool 750, the agent's own time 150 + 100 = 250.
 */
const triage: SpanPlan = {
  name: 'invoke_agent triage',
  startMs: 0,
  endMs: 2400,
  attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'triage' },
  children: [
    {
      name: 'chat claude-sonnet',
      startMs: 150,
      endMs: 1150,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-sonnet', 'gen_ai.provider.name': 'anthropic' },
    },
    {
      name: 'execute_tool lookup',
      startMs: 1150,
      endMs: 1900,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' },
    },
    {
      name: 'chat claude-haiku',
      startMs: 1900,
      endMs: 2300,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-haiku', 'gen_ai.provider.name': 'anthropic' },
    },
  ],
};

const TRACE_ID = '7c0ffee0000000000000000000000001';
const span = (name: string, overrides: Partial<Parameters<typeof handMadeSpan>[0]> = {}) =>
  handMadeSpan({
    traceId: TRACE_ID,
    spanId: 'aaaaaaaaaaaaaaa1',
    name,
    startTime: hrTimeAt(0),
    endTime: hrTimeAt(300),
    serviceName: 'partial',
    ...overrides,
  });

describe('OTLP/gRPC ingest through the official exporter', () => {
  let gateway: TestGateway;
  let address: string;
  const baseMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;

  beforeAll(async () => {
    gateway = await startTestGateway({ keyed: false, grpcPort: 0, options: { maxBodyBytes: 64 * 1024 } });
    address = gateway.server.grpc!.address;
  });
  afterAll(() => gateway.close());

  test('a gzip export of designed traces shows in the API with its exact timing and breakdown', async () => {
    const exporter = new GrpcExporter({ url: `http://${address}`, compression: CompressionAlgorithm.GZIP });
    const { traceIds, result } = await exportPlans(exporter, 'agent-grpc', baseMs, [
      triage,
      { name: 'invoke_agent quick', startMs: 5000, endMs: 5120, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
    ]);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    await waitForTraces(gateway.url, 2, { query: 'service=agent-grpc' });

    const detail = (await (await fetch(`${gateway.url}/api/traces/${traceIds[0]}`)).json()) as TraceDetail;
    expect(detail.summary).toEqual({
      traceId: traceIds[0],
      service: 'agent-grpc',
      name: 'invoke_agent triage',
      taskClass: 'simple',
      startTimeMs: baseMs,
      durationMs: 2400,
      perceivedMs: 2400,
      band: 'frustrating',
      perceivedBand: 'frustrating',
      budgetMs: 2000,
      overBudget: true,
      spanCount: 4,
      llmCalls: 2,
      toolCalls: 1,
      error: false,
      breakdown: { llm: 1400, tool: 750, state: 0, orchestration: 0, other: 250 },
    });
    expect(detail.spans.map((row) => [row.name, row.category, row.startOffsetMs, row.durationMs, row.selfMs, row.critical])).toEqual([
      ['invoke_agent triage', 'task', 0, 2400, 250, true],
      ['chat claude-sonnet', 'llm', 150, 1000, 1000, true],
      ['execute_tool lookup', 'tool', 1150, 750, 750, true],
      ['chat claude-haiku', 'llm', 1900, 400, 400, true],
    ]);
    const quick = (await (await fetch(`${gateway.url}/api/traces/${traceIds[1]}`)).json()) as TraceDetail;
    expect([quick.summary.startTimeMs, quick.summary.durationMs]).toEqual([baseMs + 5000, 120]);
  });

  test('spans rejected one by one are a partial success the exporter reports, and the rest are stored', async () => {
    const warnings: string[] = [];
    const record = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    diag.setLogger({ error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    try {
      const spans = [
        span('kept'),
        span('short span id', { spanId: 'abcd' }),
        span('ends before it starts', { spanId: 'aaaaaaaaaaaaaaa2', startTime: hrTimeAt(300), endTime: hrTimeAt(299) }),
      ];
      const exporter = new GrpcExporter({ url: `http://${address}`, compression: CompressionAlgorithm.GZIP });
      const result = await new Promise<{ code: number }>((resolve) => exporter.export(spans, resolve));
      await exporter.shutdown();
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      expect(warnings).toEqual([
        'Received Partial Success response: {"rejectedSpans":2,"errorMessage":"2 spans rejected: invalid span id (1), end before start (1)"}',
      ]);
    } finally {
      diag.disable();
    }
    // The same request sent raw: the ExportTraceServiceResponse bytes say the same.
    const raw = await grpcExport(
      address,
      officialProtobuf([span('kept again', { spanId: 'aaaaaaaaaaaaaaa3' }), span('zero span id', { spanId: '0000000000000000' })]),
    );
    expect([raw.code, decodeExportResponse(raw.response!)]).toEqual([
      0,
      { rejectedSpans: 1, errorMessage: '1 span rejected: invalid span id (1)' },
    ]);
    // Both exports were acknowledged once durable; the trace is analysed again when the second one's span arrives.
    const spanRows = async () => {
      const response = await fetch(`${gateway.url}/api/traces/${TRACE_ID}`);
      return response.status === 200 ? ((await response.json()) as TraceDetail).spans.map((row) => [row.name, row.durationMs]).sort() : [];
    };
    await expect.poll(spanRows, { timeout: 10_000 }).toEqual([
      ['kept again', 300],
      ['kept', 300],
    ]);
  });

  test('a full success is the empty ExportTraceServiceResponse', async () => {
    const answer = await grpcExport(address, officialProtobuf([span('clean', { traceId: '7c0ffee0000000000000000000000002' })]), {
      gzip: true,
    });
    expect(answer).toEqual({ code: 0, details: 'OK', response: Buffer.alloc(0) });
  });

  test("a malformed message is INVALID_ARGUMENT with the decoder's own reason, and the collector goes on", async () => {
    const garbage = Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    let reason = '';
    try {
      decodeTraceRequestProtobuf(garbage);
    } catch (error) {
      reason = (error as Error).message;
    }
    expect(reason).not.toBe('');
    expect(await grpcExport(address, garbage)).toEqual({
      code: 3,
      details: reason,
      statusDetails: { code: 3, message: reason, typeUrls: [] },
    });
    expect(
      (await grpcExport(address, officialProtobuf([span('after garbage', { traceId: '7c0ffee0000000000000000000000003' })]))).code,
    ).toBe(0);
  });

  test('a message over the body limit is RESOURCE_EXHAUSTED, on the wire or once inflated', async () => {
    const tooLarge = await grpcExport(address, Buffer.alloc(64 * 1024 + 1, 0x20));
    expect([tooLarge.code, tooLarge.details]).toEqual([8, 'Received message larger than max (65537 vs 65536)']);
    // 32 MiB of spaces gzip to about 32 KiB: under the limit on the wire, far over it inflated.
    const bomb = await grpcExport(address, Buffer.alloc(32 * 1024 * 1024, 0x20), { gzip: true });
    expect([bomb.code, bomb.details]).toEqual([8, 'Received message that decompresses to a size larger than 65536']);
    expect((await fetch(`${gateway.url}/api/health`)).status).toBe(200);
  });

  test('traffic that is not an OTLP export is refused by gRPC itself, and the collector goes on', async () => {
    const [host, port] = [address.split(':')[0], Number(address.split(':')[1])];
    // Bytes that are not HTTP/2: the connection is dropped.
    await new Promise<void>((resolve) => {
      const socket = tcpConnect(port, host, () => socket.end('GET / HTTP/1.1\r\nHost: x\r\n\r\n\x00\xff garbage'));
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.resume();
    });
    // HTTP/2 that is not gRPC, and gRPC to a method that does not exist.
    const session = http2Connect(`http://${address}`);
    const ask = (headers: Record<string, string>) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ...headers });
        let answer: Record<string, unknown> = {};
        stream.on('response', (received) => (answer = { ...answer, ...received }));
        stream.on('trailers', (received) => (answer = { ...answer, ...received }));
        stream.on('end', () => resolve(answer));
        stream.on('error', reject);
        stream.resume();
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    try {
      const notGrpc = await ask({
        ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        'content-type': 'application/json',
      });
      expect(notGrpc[':status']).toBe(415);
      const unknown = await ask({
        ':path': '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
        'content-type': 'application/grpc',
      });
      expect([unknown[':status'], unknown['grpc-status']]).toEqual([200, '12']);
    } finally {
      session.close();
    }
    const after = await grpcExport(
      address,
      officialProtobuf([span('after hostile traffic', { traceId: '7c0ffee0000000000000000000000004' })]),
    );
    expect(after.code).toBe(0);
  });
});
