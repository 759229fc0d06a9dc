/**
 * `threshold demo`: simulated agents (customer service, research, coding) written with
 * @threshold/sdk sending traces to a collector, so a first run shows every view with something
 * real in it. The agents run in a worker thread (demo-agents.ts).
 *
 * The collector is the demo's own, with its dashboard, data in a fresh temporary directory
 * removed on exit unless `--data-dir` names one to keep. When a Threshold collector already
 * answers on the demo's port (`npm start` in another terminal), or `--endpoint` names one, the
 * agents send to that one instead and the demo ends with the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DemoSummary } from '@threshold/demo';
import type { Command } from 'commander';
import { ConfigError, resolveOptions } from '../config.js';
import type { Collector } from '../create-collector.js';
import { OPEN_ACCESS } from '../security/access-config.js';
import { checkBindPolicy } from '../security/bind-policy.js';
import type { ThresholdServer } from '../server/server-options.js';
import { startServer } from '../server/start-server.js';
import { completedTasks, DEMO_SERVICE, describeRun, runDemoInWorker } from './demo-agents.js';
import { demoPackageMissing } from './demo-package.js';
import { parseDurationMs } from './duration-text.js';
import { fail } from './fail.js';
import { collectorReport } from './report.js';
import { identifyAddress, waitForAnalysedTraces } from './running-collector.js';

interface DemoFlags {
  users: string;
  duration: string;
  seed: string;
  port: string;
  host: string;
  dataDir?: string;
  endpoint?: string;
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

function parseFlags(flags: DemoFlags, command: Command): DemoSettings {
  const users = Number(flags.users);
  if (!/^\d+$/.test(flags.users) || users < 1 || users > 500) fail(`--users expects a whole number from 1 to 500, got "${flags.users}"`, 2);
  const durationMs = parseDurationMs(flags.duration);
  if (durationMs === undefined) fail(`--duration expects a duration like 30s, 5m or 1h, got "${flags.duration}"`, 2);
  if (!/^\d+$/.test(flags.seed) || Number(flags.seed) > 0xffffffff)
    fail(`--seed expects a whole number from 0 to 4294967295, got "${flags.seed}"`, 2);
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port) || port > 65_535) fail(`--port expects a port number from 0 to 65535, got "${flags.port}"`, 2);
  const timeScale = Number(flags.timeScale);
  if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 10)
    fail(`--time-scale expects a number above 0 and at most 10, got "${flags.timeScale}"`, 2);
  if (flags.endpoint !== undefined) {
    if (!/^https?:\/\/[^/]+/.test(flags.endpoint)) fail(`--endpoint expects the collector's http://host:port, got "${flags.endpoint}"`, 2);
    const ownCollectorFlags = ['port', 'host', 'dataDir'].filter((name) => command.getOptionValueSource(name) === 'cli');
    if (ownCollectorFlags.length > 0) {
      const names = ownCollectorFlags.map((name) => `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`).join(', ');
      fail(
        `${names} set${ownCollectorFlags.length === 1 ? 's' : ''} up the demo's own collector; with --endpoint the agents send to a running one`,
        2,
      );
    }
  }
  return { users, durationMs, seed: Number(flags.seed), port, timeScale };
}

/** Runs the agents against `collectorUrl`, printing failures (the first three); undefined if they stopped. */
async function runAgents(collectorUrl: string, settings: DemoSettings): Promise<DemoSummary | undefined> {
  let errorsShown = 0;
  try {
    return await runDemoInWorker(
      { collectorUrl, users: settings.users, durationMs: settings.durationMs, seed: settings.seed, timeScale: settings.timeScale },
      (message) => {
        if (errorsShown++ < 3) console.error(`threshold demo: a task failed: ${message}`);
      },
    );
  } catch (error) {
    console.error(`threshold demo: the simulated agents stopped: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function describeUsers(settings: DemoSettings, flags: DemoFlags): string {
  return `${settings.users} simulated user${settings.users === 1 ? '' : 's'} for ${flags.duration}, seed ${settings.seed}`;
}

/** Waits until the collector has analysed every trace it received (bounded). */
async function settle(collector: Collector, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs + collector.options.quietPeriodMs;
  await sleep(collector.options.quietPeriodMs);
  while (Date.now() < deadline && (collector.assembler.pendingCount > 0 || collector.commitQueue.depth > 0)) await sleep(100);
}

/** The agents against a collector that already runs; the demo ends with the run. */
async function demoOnRunningCollector(url: string, settings: DemoSettings, flags: DemoFlags, found: boolean): Promise<never> {
  const how = found
    ? `a Threshold collector already answers at ${url}: the simulated agents send their traces to it`
    : `sending the simulated agents' traces to ${url}`;
  console.log(`threshold demo: ${how} (dashboard at ${url}/)`);
  console.log(`  ${describeUsers(settings, flags)}`);
  const startedAtMs = Date.now();
  const summary = await runAgents(url, settings);
  if (summary === undefined) process.exit(1);
  // Its quiet period (2 s by default) and analysis: wait for the tasks run, 30 s at most.
  await waitForAnalysedTraces(url, DEMO_SERVICE, startedAtMs - 1_000, completedTasks(summary), 30_000);
  console.log(`\n${describeRun(summary)}\n`);
  console.log(await collectorReport(url, startedAtMs - 1_000, 5));
  console.log(`\nThe traces stay in that collector: its dashboard is at ${url}/ (service ${DEMO_SERVICE}).`);
  process.exit(0);
}

/** The agents against the collector `--endpoint` names, or why they cannot send to it. */
async function demoOnEndpoint(url: string, settings: DemoSettings, flags: DemoFlags): Promise<never> {
  const occupant = await identifyAddress(url);
  if (occupant.kind === 'collector') return demoOnRunningCollector(url, settings, flags, false);
  if (occupant.kind === 'collector-with-keys')
    fail(
      `the collector at ${url} needs keys, and the demo sends without one: leave out --endpoint to run the demo with a collector of its own`,
      1,
    );
  const detail = occupant.kind === 'nothing' ? `nothing answers there (${occupant.detail})` : occupant.detail;
  fail(`--endpoint ${url} is not a running Threshold collector: ${detail}. Start one (npm start), or leave out --endpoint`, 1);
}

/** Why the demo's port is taken, and what to do, when it is not a collector the demo can use. */
async function explainPortInUse(url: string, flags: DemoFlags, settings: DemoSettings): Promise<never> {
  const occupant = await identifyAddress(url);
  if (occupant.kind === 'collector') return demoOnRunningCollector(url, settings, flags, true);
  const where = `port ${settings.port} on ${flags.host}`;
  const options = `run the demo with a collector of its own on any free port (npm run demo -- --port 0), or send to a collector that takes spans without a key (--endpoint http://host:port)`;
  if (occupant.kind === 'collector-with-keys')
    fail(`${where} is a Threshold collector that needs keys, and the demo sends without one: ${options}`, 1);
  fail(`${where} is already in use by something that is not a Threshold collector (${occupant.detail}): free it, ${options}`, 1);
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run simulated agents against a collector of their own (with the dashboard), or one already running')
    .option('--users <n>', 'concurrent simulated users', '12')
    .option('--duration <duration>', 'how long users keep starting new turns, e.g. 60s or 5m', '60s')
    .option('--seed <n>', 'seed of every decision: the same seed replays the same run', '42')
    .option('--port <port>', "the demo collector's port (0 picks a free one); a Threshold collector already there is used instead", '4318')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'keep the demo data here (default: a temporary directory removed on exit)')
    .option('--endpoint <url>', 'send to this running collector instead of starting one (e.g. http://127.0.0.1:4318)')
    .option('--time-scale <factor>', 'multiply every simulated delay, models included (0.5 runs twice as fast)', '1')
    .option('--exit', 'stop when the simulation ends instead of keeping the dashboard up')
    .action(async (flags: DemoFlags, command: Command) => {
      const settings = parseFlags(flags, command);
      const missing = demoPackageMissing();
      if (missing !== undefined) fail(missing, 1);
      if (flags.endpoint !== undefined) await demoOnEndpoint(flags.endpoint.replace(/\/+$/, ''), settings, flags);
      const temporary = flags.dataDir === undefined;
      const dataDir = flags.dataDir ?? mkdtempSync(join(tmpdir(), 'threshold-demo-'));
      const cleanUp = () => {
        if (temporary) rmSync(dataDir, { recursive: true, force: true });
      };
      let server: ThresholdServer;
      let collector: Collector;
      try {
        // The demo is served like `threshold start` without keys: loopback only, Host checked.
        checkBindPolicy(flags.host, OPEN_ACCESS, false);
        server = await startServer({ options: resolveOptions({ port: settings.port, host: flags.host, dataDir }), access: OPEN_ACCESS });
        collector = [...server.collectors.values()][0];
      } catch (error) {
        cleanUp();
        if (error instanceof ConfigError) fail(error.message, 2);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE')
          await explainPortInUse(`http://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${settings.port}`, flags, settings);
        fail(error instanceof Error ? error.message : String(error), 1);
      }
      const stop = (exitCode: number) => {
        void server.close().finally(() => {
          cleanUp();
          process.exit(exitCode);
        });
      };
      process.once('SIGINT', () => stop(0));
      process.once('SIGTERM', () => stop(0));

      console.log(`threshold demo: dashboard at ${server.url}/`);
      console.log(`  ${describeUsers(settings, flags)}; data in ${dataDir}${temporary ? ' (temporary)' : ''}`);
      const startedAtMs = Date.now();
      const summary = await runAgents(server.url, settings);
      if (summary === undefined) {
        stop(1);
        return;
      }
      await settle(collector, 10_000);
      console.log(`\n${describeRun(summary)}\n`);
      console.log(await collectorReport(server.url, startedAtMs - 1_000, 5));
      if (flags.exit) {
        stop(0);
        return;
      }
      console.log(`\nThe dashboard stays up at ${server.url}/ — press Ctrl-C to stop.`);
    });
}
