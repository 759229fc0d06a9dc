import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError, optionsFromSettings, settingsFromEnv } from '@threshold/collector';
import type { HealthResponse } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startClickHouseServer, type ClickHouseServer } from '../support/clickhouse-server.js';
import { freePort } from '../support/free-port.js';

const cli = fileURLToPath(new URL('../../collector/dist/cli.js', import.meta.url));

describe('choosing the store', () => {
  test('DuckDB by default; ClickHouse at 127.0.0.1:8123, database threshold, when chosen without more', () => {
    const defaults = optionsFromSettings({}, {});
    const chosen = optionsFromSettings({ store: 'clickhouse' }, {});
    expect([defaults.store, chosen.store, chosen.clickhouseUrl, chosen.clickhouseDatabase]).toEqual([
      'duckdb',
      'clickhouse',
      'http://127.0.0.1:8123',
      'threshold',
    ]);
  });

  test('flags win over THRESHOLD_STORE, THRESHOLD_CLICKHOUSE_URL and THRESHOLD_CLICKHOUSE_DATABASE', () => {
    const env = settingsFromEnv({
      THRESHOLD_STORE: 'clickhouse',
      THRESHOLD_CLICKHOUSE_URL: 'http://clickhouse.internal:8123',
      THRESHOLD_CLICKHOUSE_DATABASE: 'agents',
    });
    const fromEnv = optionsFromSettings({}, env);
    const fromFlags = optionsFromSettings({ clickhouseDatabase: 'staging', clickhouseUrl: 'https://ch.example:8443/' }, env);
    expect([fromEnv.store, fromEnv.clickhouseUrl, fromEnv.clickhouseDatabase]).toEqual([
      'clickhouse',
      'http://clickhouse.internal:8123',
      'agents',
    ]);
    expect([fromFlags.store, fromFlags.clickhouseUrl, fromFlags.clickhouseDatabase]).toEqual([
      'clickhouse',
      'https://ch.example:8443/',
      'staging',
    ]);
  });

  test.each([
    [{ store: 'postgres' }, 'store must be duckdb or clickhouse, got "postgres"'],
    [{ clickhouseUrl: 'clickhouse:8123' }, 'ClickHouse URL must look like http://host:8123, got "clickhouse:8123"'],
    [{ clickhouseUrl: 'http://ch:8123/?user=x' }, 'ClickHouse URL must look like http://host:8123, got "http://ch:8123/?user=x"'],
    [
      { clickhouseDatabase: 'threshold; DROP DATABASE x' },
      'ClickHouse database must be letters, digits and underscores, got "threshold; DROP DATABASE x"',
    ],
  ])('%o is refused: %s', (flags, message) => {
    expect(() => optionsFromSettings(flags, {})).toThrow(new ConfigError(message));
  });
});

describe('threshold start --store clickhouse (built CLI)', () => {
  test('an unreachable ClickHouse is one line on stderr and exit code 1', async () => {
    const port = await freePort();
    const result = spawnSync(
      process.execPath,
      [cli, 'start', '--port', '0', '--grpc-port', 'off', '--store', 'clickhouse', '--clickhouse-url', `http://127.0.0.1:${port}`],
      {
        encoding: 'utf8',
      },
    );
    expect([result.status, result.stderr]).toEqual([
      1,
      `threshold: ClickHouse at http://127.0.0.1:${port} cannot be used: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    ]);
  });

  let server: ClickHouseServer;
  beforeAll(async () => {
    server = await startClickHouseServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('serves from the ClickHouse database it names, creating it', async () => {
    const child = spawn(
      process.execPath,
      [
        cli,
        'start',
        '--port',
        '0',
        '--grpc-port',
        'off',
        '--store',
        'clickhouse',
        '--clickhouse-url',
        server.url,
        '--clickhouse-database',
        'from_cli',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const url = /listening on (http:\/\/[^ ]+)/.exec(line)![1];
      expect(line).toContain(`data in ClickHouse ${server.url} database from_cli`);
      const health = (await (await fetch(`${url}/api/health`)).json()) as HealthResponse;
      expect(health.store).toBe('clickhouse');
      const tables = await (await fetch(`${server.url}/?query=${encodeURIComponent('SHOW TABLES FROM from_cli')}`)).text();
      expect(tables.trim().split('\n')).toEqual([
        'alert_deliveries',
        'alert_events',
        'alert_rules',
        'span_batches',
        'span_requests',
        'traces',
      ]);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
