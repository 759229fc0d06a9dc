import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's `clickhouse-server` package puts the binary and its stock configuration. */
const SERVER_BINARY = '/usr/sbin/clickhouse-server';
const STOCK_CONFIG_DIR = '/etc/clickhouse-server';
const START_TIMEOUT_MS = 30_000;

export interface ClickHouseServer {
  /** `http://127.0.0.1:<port>` of the HTTP interface. */
  url: string;
  /** `SELECT version()` as the server answered it. */
  version: string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/** The stock config with every path under `dir`, loopback IPv4 only, and the given ports. */
function privateConfig(dir: string, ports: { http: number; tcp: number; interserver: number }): string {
  return readFileSync(join(STOCK_CONFIG_DIR, 'config.xml'), 'utf8')
    .replaceAll('/var/lib/clickhouse/', `${dir}/data/`)
    .replaceAll('/var/log/clickhouse-server/', `${dir}/log/`)
    .replace(/<http_port>\d+<\/http_port>/, `<http_port>${ports.http}</http_port>`)
    .replace(/<tcp_port>\d+<\/tcp_port>/, `<tcp_port>${ports.tcp}</tcp_port>`)
    .replace(/<interserver_http_port>\d+<\/interserver_http_port>/, `<interserver_http_port>${ports.interserver}</interserver_http_port>`)
    .replace(/^\s*<listen_host>::1<\/listen_host>\s*$/m, '');
}

async function answerVersion(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/?query=${encodeURIComponent('SELECT version()')}`, { signal: AbortSignal.timeout(1_000) });
    return response.ok ? (await response.text()).trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a private ClickHouse server on loopback (its own data directory and free ports) and
 * waits until it answers `SELECT version()`; throws after 30 s or if the process exits. Needs
 * Debian's `clickhouse-server` package (`apt-get install -y clickhouse-server`).
 */
export async function startClickHouseServer(): Promise<ClickHouseServer> {
  if (!existsSync(SERVER_BINARY)) {
    throw new Error(`${SERVER_BINARY} is missing: install it with \`apt-get install -y clickhouse-server\``);
  }
  const dir = mkdtempSync(join(tmpdir(), 'threshold-clickhouse-'));
  for (const sub of ['data', 'log']) mkdirSync(join(dir, sub));
  const ports = { http: await freePort(), tcp: await freePort(), interserver: await freePort() };
  writeFileSync(join(dir, 'config.xml'), privateConfig(dir, ports));
  copyFileSync(join(STOCK_CONFIG_DIR, 'users.xml'), join(dir, 'users.xml'));
  const child: ChildProcess = spawn(SERVER_BINARY, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const url = `http://127.0.0.1:${ports.http}`;
  const stop = async () => {
    process.removeListener('exit', kill);
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const forced = setTimeout(kill, 5_000);
      await gone;
      clearTimeout(forced);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const version = await answerVersion(url);
    if (version !== undefined) return { url, version, stop };
    if (exited || Date.now() > deadline) {
      const log = existsSync(join(dir, 'log', 'clickhouse-server.err.log'))
        ? readFileSync(join(dir, 'log', 'clickhouse-server.err.log'), 'utf8').slice(-2_000)
        : '';
      await stop();
      throw new Error(`clickhouse-server did not answer on ${url} within ${START_TIMEOUT_MS} ms${exited ? ' (it exited)' : ''}\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
