/**
 * `threshold demo`: a collector with its dashboard, and simulated agents (customer service,
 * research, coding) written with @threshold/sdk sending it traces, so a first run shows every
 * view with something real in it. The agents run in a worker thread, the collector here. Data
 * goes to a fresh temporary directory, removed on exit, unless `--data-dir` names one to keep.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { DemoOptions, DemoSummary } from '@threshold/demo';
import type { Command } from 'commander';
import { ConfigError, resolveOptions } from '../config.js';
import type { Collector } from '../create-collector.js';
import { OPEN_ACCESS } from '../security/access-config.js';
import { checkBindPolicy } from '../security/bind-policy.js';
import { startGateway, type Gateway } from '../security/project-gateway.js';
import type { DemoWorkerMessage } from './demo-worker.js';
import { parseDurationMs } from './duration-text.js';
import { fail } from './fail.js';
import { collectorReport } from './report.js';
import { formatMs } from './terminal-table.js';

interface DemoFlags {
  users: string;
  duration: string;
  seed: string;
  port: string;
  host: string;
  dataDir?: string;
  timeScale: string;
  exit?: boolean;
}

interface DemoSettings {
  users: number;
  durationMs: number;
  seed: number;
  port: number;
  timeScale: number;
}

function parseFlags(flags: DemoFlags): DemoSettings {
  const users = Number(flags.users);
  if (!/^\d+$/.test(flags.users) || users < 1 || users > 500) fail(`--users expects a whole number from 1 to 500, got "${flags.users}"`, 2);
  const durationMs = parseDurationMs(flags.duration);
  if (durationMs === undefined) fail(`--duration expects a duration like 30s, 5m or 1h, got "${flags.duration}"`, 2);
  if (!/^\d+$/.test(flags.seed) || Number(flags.seed) > 0xffffffff) fail(`--seed expects a whole number from 0 to 4294967295, got "${flags.seed}"`, 2);
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port) || port > 65_535) fail(`--port expects a port number from 0 to 65535, got "${flags.port}"`, 2);
  const timeScale = Number(flags.timeScale);
  if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 10) fail(`--time-scale expects a number above 0 and at most 10, got "${flags.timeScale}"`, 2);
  return { users, durationMs, seed: Number(flags.seed), port, timeScale };
}

/** Runs the agents in a worker thread (see demo-worker.ts); resolves with the run's summary. */
function runDemoInWorker(options: Omit<DemoOptions, 'onError'>, onTaskFailed: (message: string) => void): Promise<DemoSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./demo-worker.js', import.meta.url), { workerData: options });
    worker.on('message', (message: DemoWorkerMessage) => {
      if (message.type === 'task-failed') onTaskFailed(message.message);
      else resolve(message.summary);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before finishing`)));
  });
}

/** Waits until the collector has analysed every trace it received (bounded). */
async function settle(collector: Collector, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs + collector.options.quietPeriodMs;
  await sleep(collector.options.quietPeriodMs);
  while (Date.now() < deadline && (collector.assembler.pendingCount > 0 || collector.commitQueue.depth > 0)) await sleep(100);
}

function describeRun(summary: DemoSummary): string {
  const { tasks } = summary;
  const total = tasks['customer-service'] + tasks.research + tasks.coding;
  return (
    `Ran ${summary.users} simulated user${summary.users === 1 ? '' : 's'} for ${formatMs(summary.elapsedMs)} (seed ${summary.seed}): ${total} tasks — ` +
    `${tasks['customer-service']} customer service, ${tasks.research} research, ${tasks.coding} coding` +
    `${summary.failedTasks > 0 ? `, ${summary.failedTasks} failed` : ''}; ${summary.modelRequests} model requests.`
  );
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start the collector and dashboard, and run simulated agents against them')
    .option('--users <n>', 'concurrent simulated users', '12')
    .option('--duration <duration>', 'how long users keep starting new turns, e.g. 60s or 5m', '60s')
    .option('--seed <n>', 'seed of every decision: the same seed replays the same run', '42')
    .option('--port <port>', 'collector port (0 picks a free one)', '4318')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'keep the demo data here (default: a temporary directory removed on exit)')
    .option('--time-scale <factor>', 'multiply every simulated delay, models included (0.5 runs twice as fast)', '1')
    .option('--exit', 'stop when the simulation ends instead of keeping the dashboard up')
    .action(async (flags: DemoFlags) => {
      const settings = parseFlags(flags);
      const temporary = flags.dataDir === undefined;
      const dataDir = flags.dataDir ?? mkdtempSync(join(tmpdir(), 'threshold-demo-'));
      const cleanUp = () => {
        if (temporary) rmSync(dataDir, { recursive: true, force: true });
      };
      let gateway: Gateway;
      let collector: Collector;
      try {
        // The demo is served like `threshold start` without keys: loopback only, Host checked.
        checkBindPolicy(flags.host, OPEN_ACCESS, false);
        gateway = await startGateway({ options: resolveOptions({ port: settings.port, host: flags.host, dataDir }), access: OPEN_ACCESS });
        collector = [...gateway.collectors.values()][0];
      } catch (error) {
        cleanUp();
        if (error instanceof ConfigError) fail(error.message, 2);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') fail(`port ${settings.port} on ${flags.host} is already in use (try --port 0)`, 1);
        fail(error instanceof Error ? error.message : String(error), 1);
      }
      const stop = (exitCode: number) => {
        gateway.close().finally(() => {
          cleanUp();
          process.exit(exitCode);
        });
      };
      process.once('SIGINT', () => stop(0));
      process.once('SIGTERM', () => stop(0));

      console.log(`threshold demo: dashboard at ${gateway.url}/`);
      console.log(`  ${settings.users} simulated user${settings.users === 1 ? '' : 's'} for ${flags.duration}, seed ${settings.seed}; data in ${dataDir}${temporary ? ' (temporary)' : ''}`);
      const startedAtMs = Date.now();
      let errorsShown = 0;
      let summary: DemoSummary;
      try {
        summary = await runDemoInWorker(
          { collectorUrl: gateway.url, users: settings.users, durationMs: settings.durationMs, seed: settings.seed, timeScale: settings.timeScale },
          (message) => {
            if (errorsShown++ < 3) console.error(`threshold demo: a task failed: ${message}`);
          },
        );
      } catch (error) {
        console.error(`threshold demo: the simulated agents stopped: ${error instanceof Error ? error.message : String(error)}`);
        stop(1);
        return;
      }
      await settle(collector, 10_000);
      console.log(`\n${describeRun(summary)}\n`);
      console.log(await collectorReport(gateway.url, startedAtMs - 1_000, 5));
      if (flags.exit) {
        stop(0);
        return;
      }
      console.log(`\nThe dashboard stays up at ${gateway.url}/ — press Ctrl-C to stop.`);
    });
}
