import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceList } from '@threshold/core';
import { startServer } from '@threshold/collector';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAccessConfig } from '../../collector/src/security/access-config.js';
import { rawRequest } from '../security/raw-http.js';
import { startTestCollector, waitForTraces } from '../support/collector-harness.js';
import { freePort } from '../support/free-port.js';
import { ManualClock } from './manual-clock.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf } from './otlp-json-body.js';

/**
 * The one server root (collector/src/server/start-server.ts): what `threshold start` runs is what
 * the tests start, so the harness's collector answers behind the gateway, a collector that cannot
 * open leaves no port taken, and the injected clock is the time of sessions and retention too.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Resolves once `port` can be bound on loopback again (rejects with the bind error otherwise). */
const bindable = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });

describe('the server root', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-start-server-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('puts the test harness behind the gateway: a request addressed to another name meets the Host check', async () => {
    const collector = await startTestCollector({ dataDir: ':memory:' });
    try {
      const port = collector.server.port;
      const response = await rawRequest(port, { target: '/api/traces', headers: { host: 'rebind.example' } });
      expect([response.status, JSON.parse(response.body)]).toEqual([
        403,
        {
          error:
            'Host "rebind.example" is not this machine: without keys the collector answers only requests addressed to localhost, 127.0.0.1 or [::1] (a page on another name may be a DNS-rebinding attack); give --keys to serve other names',
        },
      ]);
      expect((await rawRequest(port, { target: '/api/traces' })).status).toBe(200);
      expect(collector.server.collectors.get('default')).toBe(collector.collector);
    } finally {
      await collector.close();
    }
  });

  it('refuses to start when a collector cannot open, and leaves its HTTP and gRPC ports free', async () => {
    const rulesPath = join(dataDir, 'bad-rules.json');
    writeFileSync(rulesPath, JSON.stringify([{ name: 'a', statistic: 'p100', threshold: 1, windowMs: 60_000 }]));
    const [port, grpcPort] = [await freePort(), await freePort()];
    await expect(
      startServer({ options: { port, host: '127.0.0.1', dataDir: ':memory:', alerts: { rulesPath } }, grpcPort }),
    ).rejects.toThrow(`${rulesPath}: invalid alert configuration:`);
    await bindable(port);
    await bindable(grpcPort);
  });

  it('ends dashboard sessions on the injected clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 8, 9, 0, 0));
    const readKey = 'server-read-0123456789ab';
    const server = await startServer({
      options: { port: 0, host: '127.0.0.1', dataDir: ':memory:' },
      access: parseAccessConfig(JSON.stringify({ projects: { team: { readKeys: [readKey] } } })),
      clock,
    });
    try {
      const signIn = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ key: readKey }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
      const traces = () => fetch(`${server.url}/api/traces`, { headers: { cookie } }).then((response) => response.status);
      clock.advance(12 * HOUR_MS - 1);
      expect(await traces()).toBe(200);
      clock.advance(1);
      expect(await traces()).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('removes by retention what is old on the injected clock, not on the wall clock', async () => {
    // Two traces, one started an hour ago and one five days ahead; the clock reads a week ahead and
    // traces are kept three days: by it the first is four days too old and the second is kept. By
    // the wall clock neither would be old enough to go.
    const nowMs = Date.now();
    const sent = [
      { traceId: traceIdOf(0xa1), startMs: nowMs - HOUR_MS },
      { traceId: traceIdOf(0xa2), startMs: nowMs + 5 * DAY_MS },
    ];
    const seeding = await startTestCollector({ dataDir });
    try {
      for (const [index, { traceId, startMs }] of sent.entries()) {
        const body = otlpJsonBody('retained', startMs, [
          {
            traceId,
            spanId: spanIdOf(index + 1),
            name: 'invoke_agent task',
            startMs: 0,
            endMs: 100,
            attributes: { 'gen_ai.operation.name': 'invoke_agent' },
          },
        ]);
        expect((await postJson(seeding.url, body)).status).toBe(200);
      }
      await waitForTraces(seeding.url, 2);
    } finally {
      await seeding.close();
    }
    const server = await startServer({
      options: { port: 0, host: '127.0.0.1', dataDir },
      clock: new ManualClock(nowMs + 7 * DAY_MS),
      retentionMs: 3 * DAY_MS,
    });
    try {
      const ids = async () =>
        ((await (await fetch(`${server.url}/api/traces?limit=10`)).json()) as TraceList).traces.map((trace) => trace.traceId);
      const deadline = Date.now() + 10_000;
      let kept = await ids();
      while (kept.length > 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        kept = await ids();
      }
      expect(kept).toEqual([traceIdOf(0xa2)]);
    } finally {
      await server.close();
    }
  });
});
