import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, DEFAULT_OPTIONS, DuckDbStore, decodeStoredRequest, optionsFromSettings, settingsFromEnv } from '@threshold/collector';
import { describe, expect, test } from 'vitest';

const cli = fileURLToPath(new URL('../../collector/dist/cli.js', import.meta.url));

describe('collector options', () => {
  test('defaults: port 4318 on loopback, ./data, a 2 s quiet period, 16 MiB bodies, simple 2 s and complex 5 s budgets', () => {
    const options = optionsFromSettings({}, {});
    expect(options.taskClasses).toEqual({ ...DEFAULT_OPTIONS.taskClasses, classByTaskName: {} });
    expect([options.maxQueuedSpans, options.dashboardDir]).toEqual([DEFAULT_OPTIONS.maxQueuedSpans, DEFAULT_OPTIONS.dashboardDir]);
    expect(options.taskClasses.budgetsMs).toEqual({ simple: 2000, complex: 5000 });
    expect([options.port, options.host, options.dataDir, options.quietPeriodMs, options.maxBodyBytes]).toEqual([
      4318,
      '127.0.0.1',
      './data',
      2000,
      16 * 1024 * 1024,
    ]);
  });

  test('a flag wins over its environment variable, which wins over the default', () => {
    const env = settingsFromEnv({
      THRESHOLD_PORT: '5000',
      THRESHOLD_HOST: '0.0.0.0',
      THRESHOLD_DATA_DIR: '/var/lib/threshold',
      THRESHOLD_BUDGETS: 'simple=1500, research=60000',
      THRESHOLD_TASK_CLASSES: 'deep-research=research',
    });
    const options = optionsFromSettings({ port: '6000', budget: ['simple=1000'], quietPeriodMs: '250' }, env);
    expect([options.port, options.host, options.dataDir, options.quietPeriodMs]).toEqual([6000, '0.0.0.0', '/var/lib/threshold', 250]);
    expect(options.taskClasses.budgetsMs).toEqual({ simple: 1000, complex: 5000, research: 60000 });
    expect(options.taskClasses.classByTaskName).toEqual({ 'deep-research': 'research' });
  });

  test('DuckDB memory limit: 128 MiB by default, from the environment or the flag, applied to the database', async () => {
    expect(optionsFromSettings({}, {}).duckdbMemoryMb).toBe(128);
    expect(optionsFromSettings({}, settingsFromEnv({ THRESHOLD_DUCKDB_MEMORY_MB: '512' })).duckdbMemoryMb).toBe(512);
    expect(optionsFromSettings({ duckdbMemoryMb: '192' }, settingsFromEnv({ THRESHOLD_DUCKDB_MEMORY_MB: '512' })).duckdbMemoryMb).toBe(192);
    expect(() => optionsFromSettings({ duckdbMemoryMb: '16' }, {})).toThrow('DuckDB memory (MiB) must be between 64 and 1048576, got 16');
    const store = await DuckDbStore.open(':memory:', {
      taskClasses: DEFAULT_OPTIONS.taskClasses,
      decodeRequest: decodeStoredRequest,
      memoryLimitMb: 192,
    });
    try {
      expect(await store.setting('memory_limit')).toBe('192.0 MiB');
    } finally {
      await store.close();
    }
  });

  test('analysis lag bound: 30 s by default, in seconds from the environment or the flag', () => {
    expect(optionsFromSettings({}, {}).maxAnalysisLagMs).toBe(30_000);
    expect(optionsFromSettings({}, settingsFromEnv({ THRESHOLD_MAX_ANALYSIS_LAG: '90' })).maxAnalysisLagMs).toBe(90_000);
    expect(optionsFromSettings({ maxAnalysisLag: '5' }, settingsFromEnv({ THRESHOLD_MAX_ANALYSIS_LAG: '90' })).maxAnalysisLagMs).toBe(
      5_000,
    );
    expect(() => optionsFromSettings({ maxAnalysisLag: '0' }, {})).toThrow(
      new ConfigError('max analysis lag (s) must be between 1 and 86400, got 0'),
    );
  });

  test.each([
    [{ port: 'http' }, 'port must be a whole number, got "http"'],
    [{ port: '70000' }, 'port must be between 0 and 65535, got 70000'],
    [{ quietPeriodMs: '1.5' }, 'quiet period (ms) must be a whole number, got "1.5"'],
    [{ maxBodyBytes: '10' }, 'max body bytes must be between 1024 and 1073741824, got 10'],
    [{ budget: ['simple'] }, '--budget must look like key=value, got "simple"'],
    [{ budget: ['simple=fast'] }, 'budget for simple must be a whole number, got "fast"'],
    [{ host: ' ' }, 'host must not be empty'],
  ])('%o is refused: %s', (flags, message) => {
    expect(() => optionsFromSettings(flags, {})).toThrow(new ConfigError(message));
  });
});

describe.skipIf(!existsSync(cli))('the threshold CLI (built)', () => {
  test('a bad option is one line on stderr and exit code 2', () => {
    const result = spawnSync(process.execPath, [cli, 'start', '--port', 'abc'], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([2, 'threshold: port must be a whole number, got "abc"\n']);
  });

  test('a bad environment variable is refused the same way', () => {
    const result = spawnSync(process.execPath, [cli, 'start'], { encoding: 'utf8', env: { ...process.env, THRESHOLD_PORT: 'x' } });
    expect([result.status, result.stderr]).toEqual([2, 'threshold: port must be a whole number, got "x"\n']);
  });

  test('an unknown option is one line and exit code 2', () => {
    const result = spawnSync(process.execPath, [cli, 'start', '--colour'], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([2, "error: unknown option '--colour'\n"]);
  });

  test('--help describes start', () => {
    const result = spawnSync(process.execPath, [cli, 'start', '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--data-dir <dir>');
  });
});
