import { connect } from 'node:http2';
import { describe, expect, test } from 'vitest';
import type { TraceStore } from '../../collector/src/store/store.js';
import { openConfiguredStore } from '../../collector/src/store/open-store.js';
import { StoreUnavailableError } from '../../collector/src/store/store-fault.js';
import { grpcExport, type GrpcAnswer } from '../support/grpc-export.js';
import { startTestGateway, type TestGateway } from '../security/test-gateway.js';
import { handMadeSpan, hrTimeAt, officialProtobuf } from './otlp-recorded-spans.js';

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';

/** An export request of `count` spans of trace `trace` (1-based), each lasting 100 ms. */
function request(trace: number, count: number): Uint8Array {
  const traceId = trace.toString(16).padStart(32, '0');
  return officialProtobuf(
    Array.from({ length: count }, (_, index) =>
      handMadeSpan({
        traceId,
        spanId: (index + 1).toString(16).padStart(16, '0'),
        name: `step ${index}`,
        startTime: hrTimeAt(0),
        endTime: hrTimeAt(100),
        serviceName: 'pressure',
      }),
    ),
  );
}

/** A store whose commits wait until `release()` (held spans keep the ingest queue full). */
function gatedStore() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const openStore = async (options: Parameters<typeof openConfiguredStore>[0]) => {
    const real = await openConfiguredStore(options);
    const gated: TraceStore = Object.create(real);
    gated.appendBatches = async (batches) => {
      await gate;
      return real.appendBatches(batches);
    };
    return gated;
  };
  return { openStore, release: () => release() };
}

/** The gateway's ingest queue depth, read from /api/health. */
async function queueDepth(gateway: TestGateway): Promise<number> {
  return ((await (await fetch(`${gateway.url}/api/health`)).json()) as { ingestQueueDepth: number }).ingestQueueDepth;
}

describe('OTLP/gRPC ingest under backpressure answers retryably, with the delay in a RetryInfo', () => {
  test('a full ingest queue is UNAVAILABLE after the admission wait, and the queued export is answered once stored', async () => {
    const store = gatedStore();
    const gateway = await startTestGateway({
      keyed: false,
      grpcPort: 0,
      options: { maxQueuedSpans: 2 },
      collectorOverrides: { openStore: store.openStore },
    });
    try {
      const address = gateway.server.grpc!.address;
      const first = grpcExport(address, request(1, 2));
      await expect.poll(() => queueDepth(gateway)).toBe(2);
      const sentAt = performance.now();
      const refused = await grpcExport(address, request(2, 1));
      const waitedS = (performance.now() - sentAt) / 1000;
      expect({ ...refused, statusDetails: { ...refused.statusDetails, retryDelaySeconds: undefined } }).toEqual({
        code: 14,
        details: 'ingest queue is full (2 spans waiting to be stored)',
        statusDetails: {
          code: 14,
          message: 'ingest queue is full (2 spans waiting to be stored)',
          typeUrls: [RETRY_INFO],
          retryDelaySeconds: undefined,
        },
      });
      // It waited 2 s for room, then is told 1 s plus how long the queue has been full (as HTTP's Retry-After).
      expect(refused.statusDetails!.retryDelaySeconds).toBeGreaterThanOrEqual(3);
      expect(refused.statusDetails!.retryDelaySeconds).toBeLessThanOrEqual(1 + Math.ceil(waitedS));
      store.release();
      expect(await first).toEqual({ code: 0, details: 'OK', response: Buffer.alloc(0) });
    } finally {
      store.release();
      await gateway.close();
    }
  });

  test('a store that cannot take writes is UNAVAILABLE with the delay its fault asks for, never INTERNAL', async () => {
    const fault = new StoreUnavailableError('invalidated', 'the database is being reopened after a fatal error');
    const gateway = await startTestGateway({
      keyed: false,
      grpcPort: 0,
      collectorOverrides: {
        openStore: async (options) => {
          const real = await openConfiguredStore(options);
          const failing: TraceStore = Object.create(real);
          failing.appendBatches = () => Promise.reject(fault);
          return failing;
        },
      },
    });
    try {
      expect(await grpcExport(gateway.server.grpc!.address, request(3, 1), { gzip: true })).toEqual({
        code: 14,
        details: fault.message,
        statusDetails: { code: 14, message: fault.message, typeUrls: [RETRY_INFO], retryDelaySeconds: 5 },
      });
    } finally {
      await gateway.close();
    }
  });

  test('past the ingest admission limit a call is UNAVAILABLE, and HTTP and gRPC share the slots', async () => {
    const store = gatedStore();
    const gateway = await startTestGateway({
      keyed: false,
      grpcPort: 0,
      ingestAdmission: { maxRequests: 1, maxBytes: 64 * 1024 * 1024 },
      collectorOverrides: { openStore: store.openStore },
    });
    try {
      const address = gateway.server.grpc!.address;
      const holding = grpcExport(address, request(4, 1));
      await expect.poll(() => queueDepth(gateway)).toBe(1);
      const overloaded = 'collector is overloaded: too many ingest requests in flight';
      // One refusal within the second, against a limit of one request: 1 s plus 1.
      expect(await grpcExport(address, request(5, 1))).toEqual({
        code: 14,
        details: overloaded,
        statusDetails: { code: 14, message: overloaded, typeUrls: [RETRY_INFO], retryDelaySeconds: 2 },
      });
      const http = await fetch(`${gateway.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: request(6, 1),
      });
      expect([http.status, await http.json()]).toEqual([503, { code: 14, message: overloaded }]);
      expect(Number(http.headers.get('retry-after'))).toBeGreaterThanOrEqual(2);
      store.release();
      expect((await holding).code).toBe(0);
      // The slot came back with the answer.
      expect((await grpcExport(address, request(7, 1))).code).toBe(0);
    } finally {
      store.release();
      await gateway.close();
    }
  });

  test('on shutdown new calls are UNAVAILABLE while an admitted export is still stored and answered', async () => {
    const store = gatedStore();
    const gateway = await startTestGateway({ keyed: false, grpcPort: 0, collectorOverrides: { openStore: store.openStore } });
    const address = gateway.server.grpc!.address;
    const admitted = grpcExport(address, request(8, 1));
    await expect.poll(() => queueDepth(gateway)).toBe(1);
    const closed = gateway.close();
    let late: GrpcAnswer;
    try {
      late = await grpcExport(address, request(9, 1));
    } finally {
      store.release();
    }
    expect(late).toEqual({
      code: 14,
      details: 'collector is shutting down',
      statusDetails: { code: 14, message: 'collector is shutting down', typeUrls: [RETRY_INFO], retryDelaySeconds: 1 },
    });
    expect(await admitted).toEqual({ code: 0, details: 'OK', response: Buffer.alloc(0) });
    await closed;
  });

  test('a message that stalls half-way is DEADLINE_EXCEEDED after the request timeout, and its slot is free again', async () => {
    const gateway = await startTestGateway({
      keyed: false,
      grpcPort: 0,
      requestTimeoutMs: 300,
      ingestAdmission: { maxRequests: 1, maxBytes: 64 * 1024 * 1024 },
    });
    const address = gateway.server.grpc!.address;
    const session = connect(`http://${address}`);
    try {
      const stalled = session.request({
        ':method': 'POST',
        ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      // The frame announces a 100-byte message; 10 bytes come, then nothing.
      stalled.write(Buffer.concat([Buffer.from([0, 0, 0, 0, 100]), Buffer.alloc(10)]));
      // The status comes as trailers, or alone in the response headers (trailers-only); the stream
      // stays open on our side, which never finished its message.
      const answer = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const withStatus = (headers: Record<string, unknown>) => {
          if (headers['grpc-status'] !== undefined) resolve(headers);
        };
        stalled.on('response', withStatus);
        stalled.on('trailers', withStatus);
        stalled.on('error', reject);
        stalled.resume();
      });
      stalled.close();
      expect([answer['grpc-status'], decodeURI(String(answer['grpc-message']))]).toEqual([
        '4',
        'the message did not arrive in full within 0.3 s: send it without pauses',
      ]);
      // The only ingest slot was given back with that answer.
      expect((await grpcExport(address, request(10, 1))).code).toBe(0);
    } finally {
      session.close();
      await gateway.close();
    }
  });

  test('while the store is being reopened a call is refused before its message is read, and taken again once it is back', async () => {
    const gateway = await startTestGateway({ keyed: false, grpcPort: 0, options: { maxBodyBytes: 64 * 1024 } });
    try {
      const address = gateway.server.grpc!.address;
      const faults = gateway.server.collectors.get('default')!.store.faults!;
      faults.set('invalidated', 'a checkpoint failed');
      const recovering = 'the store is recovering from a fault';
      const refusal = {
        code: 14,
        details: recovering,
        statusDetails: { code: 14, message: recovering, typeUrls: [RETRY_INFO], retryDelaySeconds: 5 },
      };
      expect(await grpcExport(address, request(11, 1))).toEqual(refusal);
      // Unread: a message over the size limit gets the same answer, not RESOURCE_EXHAUSTED.
      expect(await grpcExport(address, Buffer.alloc(64 * 1024 + 1, 0x20))).toEqual(refusal);
      faults.clear('invalidated');
      expect((await grpcExport(address, request(12, 1))).code).toBe(0);
    } finally {
      await gateway.close();
    }
  });
});
