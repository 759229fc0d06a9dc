/**
 * `threshold demo` when a collector already runs (`npm start` in another terminal): on its port,
 * or named with --endpoint, the agents send to it; anything else on the port, or a collector that
 * needs keys, is explained with what to do instead.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceList } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAccessConfig } from '../../collector/src/security/access-config.js';
import type { ThresholdServer } from '../../collector/src/server/server-options.js';
import { startServer } from '../../collector/src/server/start-server.js';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { freePort } from '../support/free-port.js';
import { runCli } from './run-cli.js';

const SHORT_RUN = ['--users', '1', '--duration', '1s', '--seed', '3', '--time-scale', '0.2'];
const WHAT_TO_DO =
  'run the demo with a collector of its own on any free port (npm run demo -- --port 0), or send to a collector that takes spans without a key (--endpoint http://host:port)';

async function demoTraces(url: string): Promise<number> {
  const response = await fetch(`${url}/api/traces?service=demo-agents&limit=1`);
  return ((await response.json()) as TraceList).total;
}

describe('threshold demo with a collector already running', { timeout: 180_000 }, () => {
  let collector: TestCollector;
  let port: number;

  beforeAll(async () => {
    collector = await startTestCollector();
    port = Number(new URL(collector.url).port);
  });

  afterAll(async () => {
    await collector?.close();
  });

  it('sends to the collector answering on its port, reports the run from it, and ends', async () => {
    const before = await demoTraces(collector.url);
    const result = await runCli(['demo', '--port', String(port), ...SHORT_RUN], { timeoutMs: 120_000 });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      `threshold demo: a Threshold collector already answers at http://127.0.0.1:${port}: the simulated agents send their traces to it (dashboard at http://127.0.0.1:${port}/)`,
      '  1 simulated user for 1s, seed 3',
    ]);
    const ran = /\nRan 1 simulated user for .* \(seed 3\): (\d+) tasks — /.exec(result.stdout);
    expect(ran).not.toBeNull();
    expect(lines).toContain('Latency per task class');
    expect(lines.at(-1)).toBe(`The traces stay in that collector: its dashboard is at http://127.0.0.1:${port}/ (service demo-agents).`);
    expect(await demoTraces(collector.url)).toBeGreaterThanOrEqual(before + Number(ran![1]));
  });

  it('sends to the collector --endpoint names', async () => {
    const before = await demoTraces(collector.url);
    const result = await runCli(['demo', '--endpoint', `${collector.url}/`, ...SHORT_RUN], { timeoutMs: 120_000 });
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(result.stdout.split('\n')[0]).toBe(
      `threshold demo: sending the simulated agents' traces to ${collector.url} (dashboard at ${collector.url}/)`,
    );
    expect(await demoTraces(collector.url)).toBeGreaterThan(before);
  });
});

describe('threshold demo says what to do when it cannot send', { timeout: 120_000 }, () => {
  let other: Server;
  let otherPort: number;
  let keyed: ThresholdServer;
  const keyedDir = mkdtempSync(join(tmpdir(), 'threshold-demo-keyed-'));

  beforeAll(async () => {
    other = createServer((_request, response) => response.writeHead(404, { 'content-type': 'text/plain' }).end('not here\n'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherPort = (other.address() as { port: number }).port;
    keyed = await startServer({
      options: { port: 0, host: '127.0.0.1', dataDir: keyedDir },
      access: parseAccessConfig(
        JSON.stringify({ projects: { team: { ingestKeys: ['team-ingest-0123456789'], readKeys: ['team-read-0123456789ab'] } } }),
      ),
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => other?.close(resolve));
    await keyed?.close();
    rmSync(keyedDir, { recursive: true, force: true });
  });

  it('names a port held by something else, and the ways out (exit 1)', async () => {
    expect(await runCli(['demo', '--port', String(otherPort), ...SHORT_RUN], { timeoutMs: 60_000 })).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `threshold: port ${otherPort} on 127.0.0.1 is already in use by something that is not a Threshold collector (GET /api/health answered 404, not a Threshold collector's health): free it, ${WHAT_TO_DO}\n`,
    });
  });

  it('says a collector on its port needs keys it does not send (exit 1)', async () => {
    expect(await runCli(['demo', '--port', String(keyed.port), ...SHORT_RUN], { timeoutMs: 60_000 })).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `threshold: port ${keyed.port} on 127.0.0.1 is a Threshold collector that needs keys, and the demo sends without one: ${WHAT_TO_DO}\n`,
    });
  });

  it('says when nothing answers at --endpoint (exit 1)', async () => {
    const closedPort = await freePort();
    expect(await runCli(['demo', '--endpoint', `http://127.0.0.1:${closedPort}`, ...SHORT_RUN], { timeoutMs: 60_000 })).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `threshold: --endpoint http://127.0.0.1:${closedPort} is not a running Threshold collector: nothing answers there (ECONNREFUSED). Start one (npm start), or leave out --endpoint\n`,
    });
  });

  it('refuses flags of its own collector beside --endpoint (exit 2)', async () => {
    expect(
      await runCli(['demo', '--endpoint', 'http://127.0.0.1:4318', '--port', '0', '--data-dir', keyedDir], { timeoutMs: 60_000 }),
    ).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: "threshold: --port, --data-dir set up the demo's own collector; with --endpoint the agents send to a running one\n",
    });
  });
});
