import { createServer, type Server } from 'node:net';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { TraceDetail } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportPlans, ExportResultCode, type SpanPlan } from '../collector/official-exporter.js';
import { runRefusedStart, startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';

/**
 * The plan-and-act task, times in ms after the base:
 *
 *   0                                                 1000
 *   |invoke_agent plan-and-act .............................|
 *      50 |chat gpt-4o-mini .....| 450
 *                                  450 |execute_tool fetch| 900
 */
const planAndAct: SpanPlan = {
  name: 'invoke_agent plan-and-act',
  startMs: 0,
  endMs: 1000,
  attributes: { 'gen_ai.operation.name': 'invoke_agent' },
  children: [
    {
      name: 'chat gpt-4o-mini',
      startMs: 50,
      endMs: 450,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' },
    },
    {
      name: 'execute_tool fetch',
      startMs: 450,
      endMs: 900,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'fetch' },
    },
  ],
};

/** The `host:port` the start line gives for OTLP/gRPC. */
function grpcAddressOf(collector: CollectorProcess): string {
  const match = /OTLP\/gRPC (127\.0\.0\.1:\d+),/.exec(collector.output());
  if (!match) throw new Error(`no OTLP/gRPC address in: ${collector.output()}`);
  return match[1];
}

describe('threshold start --grpc-port (built CLI)', () => {
  let collector: CollectorProcess;
  beforeAll(async () => {
    collector = await startCollectorProcess({ args: ['--grpc-port', '0'] });
  });
  afterAll(() => collector.stop());

  test('--grpc-port 0 picks a free port on the HTTP host, the start line names it, and the official exporter lands there', async () => {
    const address = grpcAddressOf(collector);
    expect(Number(address.split(':')[1])).toBeGreaterThan(0);
    expect(address).not.toBe(`127.0.0.1:${collector.port}`);
    const baseMs = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    const exporter = new GrpcExporter({ url: `http://${address}`, compression: CompressionAlgorithm.GZIP });
    const { traceIds, result } = await exportPlans(exporter, 'cli-grpc', baseMs, [planAndAct]);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const detail = async () => {
      const response = await fetch(`${collector.url}/api/traces/${traceIds[0]}`);
      return response.status === 200 ? ((await response.json()) as TraceDetail) : undefined;
    };
    await expect.poll(detail, { timeout: 15_000 }).toBeDefined();
    const { summary, spans } = (await detail())!;
    expect([summary.service, summary.startTimeMs, summary.durationMs, summary.breakdown]).toEqual([
      'cli-grpc',
      baseMs,
      1000,
      { llm: 400, tool: 450, state: 0, orchestration: 0, other: 150 },
    ]);
    expect(spans.map((span) => [span.name, span.category, span.startOffsetMs, span.durationMs])).toEqual([
      ['invoke_agent plan-and-act', 'task', 0, 1000],
      ['chat gpt-4o-mini', 'llm', 50, 400],
      ['execute_tool fetch', 'tool', 450, 450],
    ]);
  });
});

describe('threshold start gRPC settings (built CLI)', () => {
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  test('THRESHOLD_GRPC_PORT sets the port when no flag does', async () => {
    const collector = await startCollectorProcess({ env: { THRESHOLD_GRPC_PORT: '0' } });
    try {
      expect(grpcAddressOf(collector)).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    } finally {
      await collector.stop();
    }
  });

  test('--grpc-port off serves no gRPC and says so', async () => {
    const collector = await startCollectorProcess({ args: ['--grpc-port', 'off'], env: { THRESHOLD_GRPC_PORT: '0' } });
    try {
      expect(collector.output()).toContain(`(OTLP/HTTP ${collector.url}/v1/traces, OTLP/gRPC off, dashboard`);
    } finally {
      await collector.stop();
    }
  });

  test('a gRPC port in use is one line and exit code 1', async () => {
    expect(await runRefusedStart(['--grpc-port', String(busyPort)])).toEqual({
      exitCode: 1,
      output: `threshold: gRPC port ${busyPort} on 127.0.0.1 is already in use: give --grpc-port another port, or off\n`,
    });
  });

  test('a gRPC port that is not a port is one line and exit code 2', async () => {
    expect(await runRefusedStart(['--grpc-port', '4317x'])).toEqual({
      exitCode: 2,
      output: 'threshold: gRPC port must be a whole number between 0 and 65535, or off, got "4317x"\n',
    });
  });
});
