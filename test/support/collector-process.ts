import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CollectorProcessOptions {
  /** Data dir to use (kept on stop); a fresh temporary one when absent (removed on stop). */
  dataDir?: string;
  /** Port to listen on; 0 (a free one) when absent. Reuse `port` to restart on the same address. */
  port?: number;
  /** Extra `threshold start` arguments. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Milliseconds to wait for "listening on". */
  startTimeoutMs?: number;
}

export interface CollectorProcess {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGKILL, no chance to flush anything. */
  kill9(): Promise<number | string>;
  /** SIGTERM and wait for the exit. */
  terminate(): Promise<number | string>;
  /** Terminates if still running and removes a temporary data dir. */
  stop(): Promise<void>;
}

/** Result of a `threshold start` that was expected to refuse to start. */
export interface RefusedStart {
  exitCode: number | null;
  output: string;
}

function collectorArgs(options: CollectorProcessOptions, dataDir: string): string[] {
  const args = options.args ?? [];
  // OTLP/gRPC is off unless a test asks for it (`--grpc-port 0`, THRESHOLD_GRPC_PORT): processes run side by side and 4317 is one port.
  const grpcAsked = args.includes('--grpc-port') || options.env?.THRESHOLD_GRPC_PORT !== undefined;
  return [
    'collector/dist/cli.js',
    'start',
    '--port',
    String(options.port ?? 0),
    '--data-dir',
    dataDir,
    '--quiet-period-ms',
    '200',
    ...(grpcAsked ? [] : ['--grpc-port', 'off']),
    ...args,
  ];
}

/**
 * The built collector (`node collector/dist/cli.js start`) in its own process on loopback, so a
 * test can kill it with SIGKILL, send SIGTERM, watch its memory and restart it on the same data dir.
 */
export async function startCollectorProcess(options: CollectorProcessOptions = {}): Promise<CollectorProcess> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'threshold-hardening-'));
  const child = spawn(process.execPath, collectorArgs(options, dataDir), {
    cwd: REPOSITORY_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`collector did not start within ${options.startTimeoutMs ?? 20_000} ms: ${output}`));
    }, options.startTimeoutMs ?? 20_000);
    const look = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}: ${output}`));
    });
  });
  const waitExit = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    dataDir,
    child,
    output: () => output,
    exited,
    kill9: () => waitExit('SIGKILL'),
    terminate: () => waitExit('SIGTERM'),
    stop: async () => {
      await waitExit('SIGTERM');
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `threshold start` expecting it to exit by itself (a refused configuration); kills it after `timeoutMs`. */
export async function runRefusedStart(args: string[], { env = {}, timeoutMs = 15_000 } = {}): Promise<RefusedStart> {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-refused-'));
  try {
    const child = spawn(process.execPath, collectorArgs({ args, env }, dataDir), {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    clearTimeout(timer);
    return { exitCode, output };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export async function residentBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
