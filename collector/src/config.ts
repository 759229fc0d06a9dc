import { availableParallelism } from 'node:os';
import { DEFAULT_TASK_CLASS_CONFIG, type MappingRules, type TaskClassConfig } from '@threshold/core';
import { readMappingFile } from './mapping-file.js';
import { parseWebhook } from './alerts/alert-config-file.js';
import type { AlertingOptions } from './alerts/alerting.js';
import { DEFAULT_MAX_SPANS_PER_TRACE } from './assembly/trace-span-cap.js';
import { DEFAULT_DASHBOARD_DIR } from './dashboard-dir.js';
import { DEFAULT_MAX_ANALYSIS_LAG_MS } from './ingest/analysis-backpressure.js';

/** Everything the collector can be told. */
export interface CollectorOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  host: string;
  /** Directory of the DuckDB file (created if missing); `:memory:` keeps nothing on disk. */
  dataDir: string;
  /** A trace is analysed once no span of it arrived for this long. */
  quietPeriodMs: number;
  /** Largest request body accepted, on the wire and after decompression. */
  maxBodyBytes: number;
  /** An ingest body that sends no byte for this long is answered 408, freeing its slot. */
  bodyIdleTimeoutMs: number;
  /** Most spans waiting for a commit; beyond, ingest answers 503 with Retry-After. */
  maxQueuedSpans: number;
  /**
   * How far analysis may fall behind what was acknowledged, in ms: past it (the oldest unanalysed
   * span is older, or the backlog would take longer to analyse), ingest answers 503 + Retry-After.
   */
  maxAnalysisLagMs: number;
  /** Most spans of one trace analysed (roots and earliest kept); the rest counted and left out. */
  maxSpansPerTrace: number;
  /**
   * Threads that decode and analyse traces beside the event loop (`--workers`); 0 analyses on the
   * event loop itself. `threshold start` defaults to the machine's cores; embedding defaults to 0.
   */
  analysisWorkers: number;
  /** DuckDB's memory limit in MiB (its cache and query memory; spills to disk beyond). */
  duckdbMemoryMb: number;
  taskClasses: TaskClassConfig;
  /** The built dashboard served at `/`. */
  dashboardDir: string;
  /** Alert rules file, webhooks, evaluation interval. */
  alerts: AlertingOptions;
  /** Storage engine: embedded DuckDB under `dataDir`, or a ClickHouse server shared by replicas. */
  store: StoreKind;
  /** HTTP interface of the ClickHouse server (`--store clickhouse`). */
  clickhouseUrl: string;
  /** ClickHouse database (created if missing). */
  clickhouseDatabase: string;
}

export type StoreKind = 'duckdb' | 'clickhouse';

/** A setting that cannot be used; the CLI prints the message on one line and exits with code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const DEFAULT_OPTIONS: Readonly<CollectorOptions> = {
  port: 4318, // the OTLP/HTTP port exporters send to by default
  host: '127.0.0.1',
  dataDir: './data',
  quietPeriodMs: 2_000,
  maxBodyBytes: 16 * 1024 * 1024,
  bodyIdleTimeoutMs: 10_000,
  maxQueuedSpans: 100_000,
  maxAnalysisLagMs: DEFAULT_MAX_ANALYSIS_LAG_MS,
  maxSpansPerTrace: DEFAULT_MAX_SPANS_PER_TRACE,
  analysisWorkers: 0,
  // DuckDB's buffer pool is a cache of the tables' blocks and fills up to its limit under load; 128
  // rather than 256 MiB took about 100 MiB off a 5-minute soak's peak, with no cost to the views'
  // queries beyond the noise (bench/soak.mjs, bench/query.mjs: the README's performance section).
  duckdbMemoryMb: 128,
  taskClasses: DEFAULT_TASK_CLASS_CONFIG,
  dashboardDir: DEFAULT_DASHBOARD_DIR,
  alerts: {},
  store: 'duckdb',
  clickhouseUrl: 'http://127.0.0.1:8123',
  clickhouseDatabase: 'threshold',
};

/** Fills the options not given with defaults. */
export function resolveOptions(overrides: Partial<CollectorOptions> = {}): CollectorOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_OPTIONS, ...defined };
}

/** Raw settings as strings: from command-line flags, or from the environment. */
export interface RawSettings {
  port?: string;
  host?: string;
  dataDir?: string;
  quietPeriodMs?: string;
  maxBodyBytes?: string;
  maxQueuedSpans?: string;
  /** Seconds. */
  maxAnalysisLag?: string;
  maxSpansPerTrace?: string;
  /** Analysis threads; the machine's cores when absent. */
  workers?: string;
  duckdbMemoryMb?: string;
  /** `class=ms` entries. */
  budget?: string[];
  /** `task name=class` entries. */
  taskClass?: string[];
  /** Path of the alert rules JSON file. */
  alertRules?: string;
  /** Path of the mapping rules JSON file for in-house frameworks. */
  mapping?: string;
  /** Webhook URLs alerts are sent to. */
  alertWebhook?: string[];
  /** Base URL of the dashboard for links in alert notifications. */
  dashboardUrl?: string;
  /** `duckdb` or `clickhouse`. */
  store?: string;
  clickhouseUrl?: string;
  clickhouseDatabase?: string;
}

/** Reads `THRESHOLD_*` variables; lists are comma-separated. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): RawSettings {
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  return {
    port: env.THRESHOLD_PORT,
    host: env.THRESHOLD_HOST,
    dataDir: env.THRESHOLD_DATA_DIR,
    quietPeriodMs: env.THRESHOLD_QUIET_PERIOD_MS,
    maxBodyBytes: env.THRESHOLD_MAX_BODY_BYTES,
    maxQueuedSpans: env.THRESHOLD_MAX_QUEUED_SPANS,
    maxAnalysisLag: env.THRESHOLD_MAX_ANALYSIS_LAG,
    maxSpansPerTrace: env.THRESHOLD_MAX_SPANS_PER_TRACE,
    workers: env.THRESHOLD_WORKERS,
    duckdbMemoryMb: env.THRESHOLD_DUCKDB_MEMORY_MB,
    budget: list(env.THRESHOLD_BUDGETS),
    taskClass: list(env.THRESHOLD_TASK_CLASSES),
    alertRules: env.THRESHOLD_ALERT_RULES,
    mapping: env.THRESHOLD_MAPPING || undefined,
    alertWebhook: list(env.THRESHOLD_ALERT_WEBHOOKS),
    dashboardUrl: env.THRESHOLD_DASHBOARD_URL,
    store: env.THRESHOLD_STORE,
    clickhouseUrl: env.THRESHOLD_CLICKHOUSE_URL,
    clickhouseDatabase: env.THRESHOLD_CLICKHOUSE_DATABASE,
  };
}

function integer(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new ConfigError(`${name} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** A whole number of seconds within bounds, as milliseconds. */
function seconds(name: string, text: string | undefined, min: number, max: number): number | undefined {
  const value = integer(name, text, min, max);
  return value === undefined ? undefined : value * 1000;
}

function mappingOption(path: string | undefined): { mapping?: MappingRules } {
  const mapping = readMappingFile(path);
  return mapping === undefined ? {} : { mapping };
}

function pairs(name: string, entries: string[] | undefined): Array<[string, string]> {
  return (entries ?? []).map((entry) => {
    const at = entry.indexOf('=');
    if (at <= 0 || at === entry.length - 1) throw new ConfigError(`${name} must look like key=value, got "${entry}"`);
    return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
  });
}

/**
 * Options from flags, then environment, then defaults (a flag wins over a variable).
 * Throws ConfigError naming the first bad setting.
 */
export function optionsFromSettings(flags: RawSettings, env: RawSettings): CollectorOptions {
  const pick = <K extends keyof RawSettings>(key: K) => flags[key] ?? env[key];
  const host = pick('host');
  if (host !== undefined && host.trim() === '') throw new ConfigError('host must not be empty');
  const dataDir = pick('dataDir');
  if (dataDir !== undefined && dataDir.trim() === '') throw new ConfigError('data dir must not be empty');
  const budgetsMs = { ...DEFAULT_TASK_CLASS_CONFIG.budgetsMs };
  for (const [taskClass, text] of pairs('--budget', [...(env.budget ?? []), ...(flags.budget ?? [])])) {
    budgetsMs[taskClass] = integer(`budget for ${taskClass}`, text, 1, 86_400_000)!;
  }
  const classByTaskName: Record<string, string> = {};
  for (const [taskName, taskClass] of pairs('--task-class', [...(env.taskClass ?? []), ...(flags.taskClass ?? [])])) {
    classByTaskName[taskName] = taskClass;
  }
  const webhooks = (flags.alertWebhook ?? env.alertWebhook ?? []).map((url) => {
    const webhook = parseWebhook(url);
    if (typeof webhook === 'string') throw new ConfigError(`alert webhook "${url}": ${webhook}`);
    return webhook;
  });
  const dashboardUrl = pick('dashboardUrl');
  if (dashboardUrl !== undefined && typeof parseWebhook(dashboardUrl) === 'string') {
    throw new ConfigError(`dashboard URL must be an http:// or https:// URL, got "${dashboardUrl}"`);
  }
  const store = pick('store');
  if (store !== undefined && store !== 'duckdb' && store !== 'clickhouse') {
    throw new ConfigError(`store must be duckdb or clickhouse, got "${store}"`);
  }
  const clickhouseUrl = pick('clickhouseUrl');
  if (clickhouseUrl !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(clickhouseUrl)) {
    throw new ConfigError(`ClickHouse URL must look like http://host:8123, got "${clickhouseUrl}"`);
  }
  const clickhouseDatabase = pick('clickhouseDatabase');
  if (clickhouseDatabase !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(clickhouseDatabase)) {
    throw new ConfigError(`ClickHouse database must be letters, digits and underscores, got "${clickhouseDatabase}"`);
  }
  return resolveOptions({
    store,
    clickhouseUrl,
    clickhouseDatabase,
    alerts: { rulesPath: pick('alertRules'), webhooks, dashboardUrl },
    port: integer('port', pick('port'), 0, 65_535),
    host,
    dataDir,
    quietPeriodMs: integer('quiet period (ms)', pick('quietPeriodMs'), 0, 3_600_000),
    maxBodyBytes: integer('max body bytes', pick('maxBodyBytes'), 1_024, 1_073_741_824),
    maxQueuedSpans: integer('max queued spans', pick('maxQueuedSpans'), 1, 100_000_000),
    maxAnalysisLagMs: seconds('max analysis lag (s)', pick('maxAnalysisLag'), 1, 86_400),
    maxSpansPerTrace: integer('max spans per trace', pick('maxSpansPerTrace'), 1, 10_000_000),
    analysisWorkers: integer('workers', pick('workers'), 0, 256) ?? availableParallelism(),
    duckdbMemoryMb: integer('DuckDB memory (MiB)', pick('duckdbMemoryMb'), 64, 1_048_576),
    taskClasses: { ...DEFAULT_TASK_CLASS_CONFIG, budgetsMs, classByTaskName, ...mappingOption(pick('mapping')) },
  });
}
