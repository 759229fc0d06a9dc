/**
 * The collector as an install of `@threshold/collector` alone has it: its own files and declared
 * dependencies, without `@threshold/demo` (an optional peer) and the openai and Anthropic SDKs the
 * demo brings. Laid out in a temporary directory as npm would: the built collector copied under
 * `node_modules/@threshold/collector`, `@threshold/core` and every other installed package linked
 * from this checkout, except those three. The server must start and store spans there; the demo
 * command must say what to do instead of failing in a worker thread.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf } from '../collector/otlp-json-body.js';
import { REPOSITORY_ROOT } from '../cli/run-cli.js';

/** What a server install leaves out: the demo package and the model SDKs only it uses. */
const LEFT_OUT = ['@threshold', 'openai', '@anthropic-ai', '.bin', '.package-lock.json'];

function layOutServerInstall(root: string): string {
  const modules = join(root, 'node_modules');
  const collector = join(modules, '@threshold', 'collector');
  mkdirSync(collector, { recursive: true });
  cpSync(join(REPOSITORY_ROOT, 'collector', 'dist'), join(collector, 'dist'), { recursive: true });
  cpSync(join(REPOSITORY_ROOT, 'collector', 'package.json'), join(collector, 'package.json'));
  symlinkSync(join(REPOSITORY_ROOT, 'packages', 'core'), join(modules, '@threshold', 'core'));
  for (const entry of readdirSync(join(REPOSITORY_ROOT, 'node_modules'))) {
    if (!LEFT_OUT.includes(entry)) symlinkSync(join(REPOSITORY_ROOT, 'node_modules', entry), join(modules, entry));
  }
  return join(collector, 'dist', 'cli.js');
}

describe('the collector installed without the demo package', () => {
  let root: string;
  let cli: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'threshold-server-install-'));
    cli = layOutServerInstall(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resolves neither the demo package nor the model SDKs', () => {
    const require = createRequire(cli);
    const resolvable = (name: string) => {
      try {
        require.resolve(name);
        return true;
      } catch {
        return false;
      }
    };
    expect(['@threshold/core', 'express', '@threshold/demo', 'openai', '@anthropic-ai/sdk'].map(resolvable)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('starts, stores spans and stops on SIGTERM', async () => {
    const dataDir = join(root, 'data');
    const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data-dir', dataDir, '--grpc-port', 'off'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const look = () => {
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) resolve(match[1]);
        };
        child.stdout.on('data', look);
        void exited.then((code) => reject(new Error(`the collector exited with ${code}: ${output}`)));
      });
      const traceId = traceIdOf(0x5e);
      const body = otlpJsonBody('server-install', Date.now() - 1_000, [
        { traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 120, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
      ]);
      expect((await postJson(url, body)).status).toBe(200);
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('answers threshold demo with what to do, exit code 1', async () => {
    const child = spawn(process.execPath, [cli, 'demo', '--port', '0', '--exit'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect({ exitCode, stderr }).toEqual({
      exitCode: 1,
      stderr:
        'threshold: the demo needs the @threshold/demo package (simulated agents and model servers), which an install of the ' +
        'collector alone leaves out: run the demo from a Threshold checkout (npm ci && npm run demo)\n',
    });
  });
});
