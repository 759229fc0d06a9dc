import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { startTestCollector, waitForTraces, type TestCollector } from '../support/collector-harness.js';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args…` in `cwd`, collecting its output; killed after `timeoutMs`. */
export function runProcess(
  command: string,
  args: readonly string[],
  { cwd = REPOSITORY_ROOT, timeoutMs = 25_000, env = process.env }: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/** Runs the built `threshold` CLI (collector/dist/cli.js, made by `npm test`'s build step). */
export function runCli(args: readonly string[], { timeoutMs = 25_000 } = {}): Promise<CliResult> {
  return runProcess(process.execPath, ['collector/dist/cli.js', ...args], { timeoutMs });
}

/** The over-budget fixture's 14 tasks (test/fixtures/record-budget-fixtures.ts), as OTLP/JSON. */
export const OVER_BUDGET_JSON = fileURLToPath(new URL('../fixtures/over-budget.otlp.json', import.meta.url));

/** A test collector holding the over-budget fixture, every one of its 14 traces analysed. */
export async function collectorWithOverBudgetFixture(): Promise<TestCollector> {
  const collector = await startTestCollector();
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: readFileSync(OVER_BUDGET_JSON),
  });
  expect(response.status).toBe(200);
  await waitForTraces(collector.url, 14);
  return collector;
}
