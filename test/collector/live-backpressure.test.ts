import { connect, type Socket } from 'node:net';
import type { TraceSummary } from '@threshold/core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MAX_LIVE_STREAMS, MAX_STREAM_BUFFER_BYTES } from '../../collector/src/live/live-hub.js';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text-parser.js';

/**
 * `/api/live` with readers that never read: each stream's unsent bytes are bounded, a stream that
 * falls `MAX_STREAM_BUFFER_BYTES` behind is dropped and counted, and a reader that keeps up still
 * gets every event. Before the bound, 20 such readers and large traces took the collector from
 * 116 to 660 MiB. Bytes are counted where they wait (the streams' `writableLength`), not as RSS.
 */
const SILENT_READERS = 5;
/** A 64 KiB summary (a long task name): the kernel's socket buffers fill after a few dozen. */
const NAME_CHARS = 64 * 1024;
/** Enough to fill each silent stream's kernel buffers (about 4 MiB on loopback) and its limit several times over. */
const MAX_EVENTS = 400;

function summary(index: number): TraceSummary {
  return { traceId: index.toString(16).padStart(32, '0'), name: 'n'.repeat(NAME_CHARS) } as unknown as TraceSummary;
}

/** Opens `/api/live` on a raw socket and never reads from it. */
function silentReader(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

/** Reads `/api/live` as a browser does, counting trace events by the index in their trace id. */
function attentiveReader(url: string) {
  const controller = new AbortController();
  const received: number[] = [];
  const done = (async () => {
    const response = await fetch(`${url}/api/live`, { signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) return;
      text += value;
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const event = text.slice(0, end);
        text = text.slice(end + 2);
        if (!event.startsWith('event: trace\n')) continue;
        received.push(parseInt((JSON.parse(event.slice('event: trace\ndata: '.length)) as TraceSummary).traceId, 16));
      }
    }
  })().catch((error: unknown) => {
    if ((error as Error).name !== 'AbortError') throw error;
  });
  return { received, stop: () => controller.abort(), done };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('/api/live backpressure', () => {
  let collector: TestCollector;
  let sockets: Socket[] = [];
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: ':memory:' });
  });
  /** Each test closes the streams it opened, so none depends on another's. */
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets = [];
    await until(() => collector.collector.live.stats().streams === 0, 'every stream to close');
  });
  afterAll(async () => {
    await collector?.close();
  });

  test(
    'readers that never read are dropped with their buffers bounded; a reader that keeps up gets every event',
    { timeout: 120_000 },
    async () => {
      const live = collector.collector.live;
      const port = collector.collector.port;
      const droppedBefore = live.stats().dropped;
      for (let i = 0; i < SILENT_READERS; i++) sockets.push(await silentReader(port));
      const attentive = attentiveReader(collector.url);
      await until(() => live.stats().streams === SILENT_READERS + 1, 'every stream to open');

      const eventBytes = Buffer.byteLength(`event: trace\ndata: ${JSON.stringify(summary(0))}\n\n`);
      let published = 0;
      let maxBufferedBytes = 0;
      while (live.stats().dropped < droppedBefore + SILENT_READERS && published < MAX_EVENTS) {
        live.publish(summary(published));
        published++;
        maxBufferedBytes = Math.max(maxBufferedBytes, live.stats().bufferedBytes);
        await until(() => attentive.received.length === published, `event ${published} to be read`);
      }

      expect(live.stats()).toEqual({
        streams: 1,
        bufferedBytes: 0,
        dropped: droppedBefore + SILENT_READERS,
        refused: live.stats().refused,
      });
      expect(maxBufferedBytes).toBeLessThanOrEqual(SILENT_READERS * (MAX_STREAM_BUFFER_BYTES + eventBytes));
      // Each silent stream took more than its limit before it was dropped: the drop is the bound at work.
      expect(published * eventBytes).toBeGreaterThan(MAX_STREAM_BUFFER_BYTES);
      expect(attentive.received).toEqual(Array.from({ length: published }, (_, i) => i));

      const metrics = parsePrometheusText(await (await fetch(`${collector.url}/metrics`)).text());
      expect([sampleValue(metrics, 'threshold_live_streams'), sampleValue(metrics, 'threshold_live_streams_dropped_total')]).toEqual([
        1,
        droppedBefore + SILENT_READERS,
      ]);
      attentive.stop();
      await attentive.done;
    },
  );

  test(`past ${MAX_LIVE_STREAMS} open streams a new one is refused with 503 and Retry-After`, { timeout: 60_000 }, async () => {
    const live = collector.collector.live;
    for (let i = 0; i < MAX_LIVE_STREAMS; i++) sockets.push(await silentReader(collector.collector.port));
    await until(() => live.stats().streams === MAX_LIVE_STREAMS, 'the streams to open');
    const refusedBefore = live.stats().refused;

    const refused = await fetch(`${collector.url}/api/live`);
    expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([
      503,
      '5',
      { error: `${MAX_LIVE_STREAMS} live streams are open, the most this collector serves; retry later` },
    ]);
    const metrics = parsePrometheusText(await (await fetch(`${collector.url}/metrics`)).text());
    expect(sampleValue(metrics, 'threshold_live_streams')).toBe(MAX_LIVE_STREAMS);
    expect(sampleValue(metrics, 'threshold_live_streams_refused_total')).toBe(refusedBefore + 1);

    const closing = sockets.splice(0, 1)[0];
    closing.destroy();
    await until(() => live.stats().streams === MAX_LIVE_STREAMS - 1, 'a stream to close');
    const reader = attentiveReader(collector.url);
    await until(() => live.stats().streams === MAX_LIVE_STREAMS, 'a freed place to be taken');
    reader.stop();
    await reader.done;
  });
});
