import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CollectorProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * The built collector (`threshold start`) in its own process on a free loopback port with a
 * temporary data dir, so its ingest and analysis do not share an event loop with the agents
 * whose latencies are being measured.
 */
export async function startCollectorProcess(): Promise<CollectorProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-demo-test-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['collector/dist/cli.js', 'start', '--port', '0', '--grpc-port', 'off', '--data-dir', dataDir, '--quiet-period-ms', '1000'],
    { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}: ${output}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
