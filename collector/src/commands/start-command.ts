import type { Command } from 'commander';
import { ConfigError, optionsFromSettings, settingsFromEnv, type RawSettings } from '../config.js';
import { securityFromSettings } from '../security/security-settings.js';
import { limitMallocArenas } from '../server/malloc-arenas.js';
import { startServer } from '../server/start-server.js';
import { GrpcBindError } from '../grpc/grpc-ingest-server.js';
import { grpcPortFromSettings } from '../grpc/grpc-port-setting.js';
import { parseRetention } from '../retention/retention-schedule.js';
import { fail } from './fail.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `threshold start`: run the collector (ingest, API, dashboard) until interrupted. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the collector: OTLP/HTTP ingest on /v1/traces, OTLP/gRPC ingest, the query API and the dashboard')
    .option('--port <port>', 'port to listen on (env THRESHOLD_PORT)')
    .option('--host <host>', 'address to bind (env THRESHOLD_HOST)')
    .option(
      '--grpc-port <port|off>',
      'OTLP/gRPC ingest port on the same host, 0 for a free one, off for none (default 4317) (env THRESHOLD_GRPC_PORT)',
    )
    .option('--data-dir <dir>', 'directory for the DuckDB database (env THRESHOLD_DATA_DIR)')
    .option('--quiet-period-ms <ms>', 'analyse a trace once no span arrived for this long (default 2000)')
    .option('--max-body-bytes <bytes>', 'largest request body, also after gunzip (default 16 MiB)')
    .option('--max-queued-spans <n>', 'spans waiting for a commit before ingest answers 503 (default 100000)')
    .option(
      '--max-analysis-lag <seconds>',
      'how far analysis may fall behind what was acknowledged before ingest answers 503 + Retry-After (default 30) (env THRESHOLD_MAX_ANALYSIS_LAG)',
    )
    .option(
      '--workers <n>',
      "threads that decode and analyse traces beside the event loop, 0 for none (default: the machine's cores) (env THRESHOLD_WORKERS)",
    )
    .option(
      '--duckdb-memory-mb <n>',
      'memory limit of the embedded DuckDB in MiB, beyond which it spills to disk (default 128) (env THRESHOLD_DUCKDB_MEMORY_MB)',
    )
    .option(
      '--max-spans-per-trace <n>',
      'spans of one trace analysed, roots and earliest first; the rest counted and left out (default 50000) (env THRESHOLD_MAX_SPANS_PER_TRACE)',
    )
    .option('--budget <class=ms>', 'P99 budget of a task class, repeatable (env THRESHOLD_BUDGETS=a=1,b=2)', collect)
    .option('--task-class <name=class>', 'task name to task class, repeatable (env THRESHOLD_TASK_CLASSES)', collect)
    .option('--mapping <file.json>', 'mapping rules that classify in-house spans by name or attributes (env THRESHOLD_MAPPING)')
    .option('--alert-rules <path.json>', 'alert rules (and webhooks) as JSON; default rules apply without it (env THRESHOLD_ALERT_RULES)')
    .option(
      '--alert-webhook <url>',
      'send firing and resolved alerts to this webhook (Slack-compatible), repeatable (env THRESHOLD_ALERT_WEBHOOKS)',
      collect,
    )
    .option(
      '--dashboard-url <url>',
      'dashboard URL for links in alert notifications (default: this collector) (env THRESHOLD_DASHBOARD_URL)',
    )
    .option('--store <engine>', 'duckdb (default, embedded) or clickhouse (shared by collector replicas) (env THRESHOLD_STORE)')
    .option('--clickhouse-url <url>', 'HTTP interface of ClickHouse (default http://127.0.0.1:8123) (env THRESHOLD_CLICKHOUSE_URL)')
    .option(
      '--clickhouse-database <name>',
      'ClickHouse database, created if missing (default threshold) (env THRESHOLD_CLICKHOUSE_DATABASE)',
    )
    .option(
      '--keys <file.json>',
      'projects and their ingest/read API keys; required to bind a non-loopback address (env THRESHOLD_KEYS_FILE)',
    )
    .option('--insecure', 'allow binding a non-loopback address without API keys (env THRESHOLD_INSECURE=1)')
    .option(
      '--retention <age>',
      'remove traces that started longer ago than this: 90s, 30m, 12h, 7d; default keep all (env THRESHOLD_RETENTION)',
    )
    .option(
      '--cors-origin <origin>',
      'origin allowed to call the API from a browser, repeatable; none by default (env THRESHOLD_CORS_ORIGINS)',
      collect,
    )
    .action(async (flags: Record<string, string | string[] | boolean | undefined>) => {
      const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
      const raw: RawSettings = {
        port: text(flags.port),
        host: text(flags.host),
        dataDir: text(flags.dataDir),
        quietPeriodMs: text(flags.quietPeriodMs),
        maxBodyBytes: text(flags.maxBodyBytes),
        maxQueuedSpans: text(flags.maxQueuedSpans),
        maxAnalysisLag: text(flags.maxAnalysisLag),
        maxSpansPerTrace: text(flags.maxSpansPerTrace),
        workers: text(flags.workers),
        duckdbMemoryMb: text(flags.duckdbMemoryMb),
        budget: flags.budget as string[] | undefined,
        taskClass: flags.taskClass as string[] | undefined,
        alertRules: text(flags.alertRules),
        mapping: text(flags.mapping),
        alertWebhook: flags.alertWebhook as string[] | undefined,
        dashboardUrl: text(flags.dashboardUrl),
        store: text(flags.store),
        clickhouseUrl: text(flags.clickhouseUrl),
        clickhouseDatabase: text(flags.clickhouseDatabase),
      };
      let options;
      let security;
      let retentionMs: number | undefined;
      let grpcPort: number | undefined;
      try {
        options = optionsFromSettings(raw, settingsFromEnv(process.env));
        grpcPort = grpcPortFromSettings(text(flags.grpcPort), process.env.THRESHOLD_GRPC_PORT || undefined, options.port);
        security = securityFromSettings(
          { keysFile: text(flags.keys), insecure: flags.insecure === true, corsOrigins: flags.corsOrigin as string[] | undefined },
          process.env,
          options.host,
        );
        const retentionText = text(flags.retention) ?? (process.env.THRESHOLD_RETENTION || undefined);
        retentionMs = retentionText === undefined ? undefined : parseRetention(retentionText);
        if (retentionText !== undefined && retentionMs === undefined) {
          throw new ConfigError(`retention must look like 90s, 30m, 12h or 7d, got "${retentionText}"`);
        }
      } catch (error) {
        if (error instanceof ConfigError) fail(error.message, 2);
        throw error;
      }
      // Before the collector starts its threads (DuckDB's, the analysis pool's): see malloc-arenas.ts.
      limitMallocArenas();
      let collector;
      try {
        collector = await startServer({ options, access: security.access, corsOrigins: security.corsOrigins, retentionMs, grpcPort });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (error instanceof GrpcBindError && code === 'EADDRINUSE')
          fail(`gRPC port ${grpcPort} on ${options.host} is already in use: give --grpc-port another port, or off`, 1);
        if (code === 'EADDRINUSE') fail(`port ${options.port} on ${options.host} is already in use`, 1);
        if (code === 'EADDRNOTAVAIL') fail(`cannot bind to ${options.host}`, 1);
        fail(error instanceof Error ? error.message : String(error), 1);
      }
      console.log(
        `threshold: collector listening on ${collector.url} (OTLP/HTTP ${collector.url}/v1/traces, OTLP/gRPC ${collector.grpc?.address ?? 'off'}, dashboard ${collector.url}/, data in ${options.store === 'clickhouse' ? `ClickHouse ${options.clickhouseUrl} database ${options.clickhouseDatabase}` : options.dataDir}${security.access.projects.length > 0 ? `, projects ${security.access.projects.map((project) => project.name).join(', ')}` : ''})`,
      );
      const stop = () => {
        collector.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
