/**
 * `threshold compare` on windows of a real collector (in-process, loopback HTTP, DuckDB): the runs
 * of compare-runs.ts sent over OTLP/HTTP six hours apart, read back window by window.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAccessConfig } from '../../collector/src/security/access-config.js';
import type { ThresholdServer } from '../../collector/src/server/server-options.js';
import { startServer } from '../../collector/src/server/start-server.js';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';
import { recordTasks, serializeSpans, type RecordedTask } from '../support/record-task-runs.js';
import { BASELINE_START_MS, CANDIDATE_START_MS, CLI_BOUND, RUNS } from './compare-runs.js';
import { runCli } from './run-cli.js';

/** POSTs a run to a collector as one OTLP/protobuf request. */
async function sendRun(url: string, tasks: readonly RecordedTask[], startMs: number, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', ...headers },
    body: serializeSpans(recordTasks(tasks, startMs), 'protobuf'),
  });
  expect(response.status).toBe(200);
}

/** Waits until the collector has analysed `count` traces (bounded). */
async function untilAnalysed(url: string, count: number, headers: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${url}/api/traces?limit=1`, { headers });
    if (((await response.json()) as { total: number }).total >= count) return;
    if (Date.now() > deadline) throw new Error(`the collector did not analyse ${count} traces within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const windowArgs = (side: 'baseline' | 'candidate', url: string, startMs: number) => [
  `--${side}-url`,
  url,
  `--${side}-from`,
  iso(startMs),
  `--${side}-to`,
  iso(startMs + 3_600_000),
];

describe('threshold compare on collector windows', { timeout: 180_000 }, () => {
  let collector: TestCollector;
  const dir = mkdtempSync(join(tmpdir(), 'threshold-compare-windows-'));

  beforeAll(async () => {
    collector = await startTestCollector();
    await sendRun(collector.url, RUNS.baseline, BASELINE_START_MS);
    await sendRun(collector.url, RUNS.slower, CANDIDATE_START_MS);
    await untilAnalysed(collector.url, 2_000);
    writeFileSync(join(dir, 'baseline.otlp.pb'), serializeSpans(recordTasks(RUNS.baseline, BASELINE_START_MS), 'protobuf'));
    writeFileSync(join(dir, 'slower.otlp.pb'), serializeSpans(recordTasks(RUNS.slower, CANDIDATE_START_MS), 'protobuf'));
  }, 90_000);

  afterAll(async () => {
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads each window of a real collector and judges exactly as from the recorded files (exit 1)', async () => {
    const [fromWindows, fromFiles] = await Promise.all([
      runCli(
        [
          'compare',
          ...windowArgs('baseline', collector.url, BASELINE_START_MS),
          ...windowArgs('candidate', collector.url, CANDIDATE_START_MS),
        ],
        CLI_BOUND,
      ),
      runCli(['compare', '--baseline', join(dir, 'baseline.otlp.pb'), '--candidate', join(dir, 'slower.otlp.pb')], CLI_BOUND),
    ]);
    expect(fromWindows.exitCode).toBe(1);
    expect(fromWindows.stdout.split('\n').slice(1, 3)).toEqual([
      `  baseline   ${collector.url}, 2025-06-15T15:06:40.000Z to 2025-06-15T16:06:40.000Z: 1,000 tasks`,
      `  candidate  ${collector.url}, 2025-06-15T21:06:40.000Z to 2025-06-15T22:06:40.000Z: 1,000 tasks`,
    ]);
    expect(fromWindows.stdout.split('\n').slice(3)).toEqual(fromFiles.stdout.split('\n').slice(3));
  });
});

describe('threshold compare on a collector that needs keys', { timeout: 180_000 }, () => {
  const INGEST_KEY = 'compare-ingest-0123456789';
  const READ_KEY = 'compare-read-0123456789ab';
  const dir = mkdtempSync(join(tmpdir(), 'threshold-compare-keys-'));
  let gateway: ThresholdServer;

  beforeAll(async () => {
    gateway = await startServer({
      options: { port: 0, host: '127.0.0.1', dataDir: dir, quietPeriodMs: 100 },
      access: parseAccessConfig(JSON.stringify({ projects: { ci: { ingestKeys: [INGEST_KEY], readKeys: [READ_KEY] } } })),
    });
    const ingest = { authorization: `Bearer ${INGEST_KEY}` };
    await sendRun(gateway.url, RUNS.baseline.slice(0, 300), BASELINE_START_MS, ingest);
    await sendRun(gateway.url, RUNS.rerun.slice(0, 300), CANDIDATE_START_MS, ingest);
    await untilAnalysed(gateway.url, 600, { authorization: `Bearer ${READ_KEY}` });
  }, 90_000);

  afterAll(async () => {
    await gateway?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the windows with the read key given, and says what is missing without one', async () => {
    const windows = [
      ...windowArgs('baseline', gateway.url, BASELINE_START_MS),
      ...windowArgs('candidate', gateway.url, CANDIDATE_START_MS),
    ];
    const [withKey, withoutKey] = await Promise.all([
      runCli(['compare', ...windows, '--api-key', READ_KEY], CLI_BOUND),
      runCli(['compare', ...windows], CLI_BOUND),
    ]);
    expect([withKey.exitCode, withKey.stderr, withKey.stdout.split('\n')[1]]).toEqual([
      0,
      '',
      `  baseline   ${gateway.url}, 2025-06-15T15:06:40.000Z to 2025-06-15T16:06:40.000Z: 300 tasks`,
    ]);
    expect(withoutKey.exitCode).toBe(2);
    expect(withoutKey.stdout).toBe('');
    expect(withoutKey.stderr).toMatch(
      /^threshold: baseline: \/api\/traces answered 401: .+ \(give a read key with --api-key or THRESHOLD_API_KEY\)\n$/,
    );
  });
});
