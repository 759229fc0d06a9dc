import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KEYS, startTestGateway, type TestGateway } from '../security/test-gateway.js';
import { pollUntil, sendTrace, workloadTraceId } from './acknowledged-traces.js';

/**
 * Bodies that stall or trickle: each is refused within its timeout and gives its ingest slot
 * back, and one project's trickling bodies leave the other projects their share of the slots.
 * Timeouts are shortened (300 ms idle, 1.5 s per request) so each test takes about a second.
 */
interface SlowBody {
  /** The answer's status and body once it arrived in full, and the ms from the first byte sent. */
  answer: Promise<{ status: number; body: string; afterMs: number }>;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
  stop(): void;
}

/** A POST /v1/traces whose chunked body sends 3 bytes every `tickMs` (none after the first when `tickMs` is 0). */
function slowBody(port: number, { headers = {}, tickMs = 0 }: { headers?: Record<string, string>; tickMs?: number }): SlowBody {
  const socket = connect(port, '127.0.0.1');
  const startedAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const head = Object.entries({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`POST /v1/traces HTTP/1.1\r\n${head}\r\n3\r\n{"r\r\n`);
  if (tickMs > 0) timer = setInterval(() => socket.writable && socket.write('3\r\n   \r\n'), tickMs);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  void closed.then(() => clearInterval(timer));
  const answer = new Promise<{ status: number; body: string; afterMs: number }>((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const headerEnd = received.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(received.slice(0, headerEnd))?.[1] ?? 0);
      const body = received.slice(headerEnd + 4);
      if (Buffer.byteLength(body) < length) return;
      clearInterval(timer);
      resolve({ status: Number(received.split(' ')[1]), body, afterMs: performance.now() - startedAt });
    });
    socket.on('error', () => undefined);
  });
  return { answer, closed, stop: () => (clearInterval(timer), socket.destroy()) };
}

const BASE_MS = Date.UTC(2026, 0, 8, 9, 0, 0);
let sequence = 0;
/** Posts one small trace; the status. */
const postTrace = (url: string, headers: Record<string, string>) => sendTrace(url, workloadTraceId(80, ++sequence), BASE_MS, headers);
/** Posts traces until one is refused with 503: the slots the slow bodies may take are all taken. */
const untilRefused = (url: string, headers: Record<string, string>) =>
  pollUntil(
    () => postTrace(url, headers),
    (status) => status === 503,
    5_000,
    'the slow bodies hold their slots',
  );

describe('slow and stalled request bodies', () => {
  let test: TestGateway | undefined;
  const bodies: SlowBody[] = [];
  afterEach(async () => {
    for (const body of bodies.splice(0)) body.stop();
    await test?.close();
    test = undefined;
  });

  it('answers a body that stops sending with 408 after the idle timeout, closes, and frees the slot', async () => {
    test = await startTestGateway({
      keyed: false,
      options: { bodyIdleTimeoutMs: 300 },
      ingestAdmission: { maxRequests: 1, maxBytes: 64 * 1024 * 1024 },
    });
    const stalled = slowBody(test.port, {});
    bodies.push(stalled);
    expect(await untilRefused(test.url, {})).toBe(503); // the stalled request holds the only slot
    const answer = await stalled.answer;
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toEqual({
      code: 4,
      message: 'no body bytes arrived for 300 ms: send the body without pauses',
      details: [],
    });
    await stalled.closed;
    expect(answer.afterMs).toBeGreaterThanOrEqual(290);
    expect(answer.afterMs).toBeLessThan(3_000);
    expect(await postTrace(test.url, {})).toBe(200);
  });

  it('answers a body that trickles past the request timeout with 408 and closes, freeing the slot', async () => {
    test = await startTestGateway({
      keyed: false,
      requestTimeoutMs: 1_500,
      options: { bodyIdleTimeoutMs: 10_000 },
      ingestAdmission: { maxRequests: 1, maxBytes: 64 * 1024 * 1024 },
    });
    const trickle = slowBody(test.port, { tickMs: 100 });
    bodies.push(trickle);
    const answer = await trickle.answer;
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toEqual({ error: 'the request did not arrive in full in time: send it without pauses' });
    await trickle.closed;
    expect(answer.afterMs).toBeGreaterThanOrEqual(1_400);
    expect(answer.afterMs).toBeLessThan(4_000);
    expect(await postTrace(test.url, {})).toBe(200);
  });

  it("keeps one project's trickling bodies to its share of the slots: another project is still admitted", async () => {
    test = await startTestGateway({ ingestAdmission: { maxRequests: 8, maxBytes: 64 * 1024 * 1024 } });
    const alpha = { authorization: `Bearer ${KEYS.alphaIngest}` };
    for (let index = 0; index < 4; index++) bodies.push(slowBody(test.port, { headers: alpha, tickMs: 200 }));
    expect(await untilRefused(test.url, alpha)).toBe(503); // alpha's four hold its share
    const refused = [];
    for (let index = 0; index < 4; index++) refused.push(slowBody(test.port, { headers: alpha, tickMs: 200 }));
    bodies.push(...refused);
    const answers = await Promise.all(refused.map((body) => body.answer));
    expect(answers.map((answer) => [answer.status, JSON.parse(answer.body)])).toEqual(
      Array(4).fill([
        503,
        { code: 14, message: 'project alpha has too many ingest requests in flight (its share is 4 requests, 33554432 bytes)' },
      ]),
    );
    // Beta is served at once, alpha's trickles notwithstanding.
    expect(await postTrace(test.url, { authorization: `Bearer ${KEYS.betaIngest}` })).toBe(200);
  });
});
