/**
 * The `threshold` command of a checkout (the root package's bin, scripts/threshold.mjs): `npx
 * threshold …` from the repository root runs the CLI, and on first use builds what is missing.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OVER_BUDGET_JSON, REPOSITORY_ROOT, runCli, runProcess, type CliResult } from './run-cli.js';

/** Runs `command args…` in `cwd`; killed after `timeoutMs` (npx resolves the bin through npm, seconds on a busy machine). */
const run = (command: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<CliResult> =>
  runProcess(command, args, { cwd, timeoutMs, env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('npx threshold from the repository root', { timeout: 300_000 }, () => {
  it('prints the help of every command', async () => {
    const result = await run('npx', ['threshold', '--help'], REPOSITORY_ROOT);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Usage: threshold [options] [command]');
    expect(result.stdout.match(/^ {2}(\w+) \[options\]/gm)).toEqual([
      '  start [options]',
      '  demo [options]',
      '  report [options]',
      '  check [options]',
      '  compare [options]',
    ]);
  });

  it('runs a check exactly as the built CLI does, exit code included', async () => {
    const [viaNpx, direct] = await Promise.all([
      run('npx', ['threshold', 'check', '--file', OVER_BUDGET_JSON], REPOSITORY_ROOT),
      runCli(['check', '--file', OVER_BUDGET_JSON], { timeoutMs: 120_000 }),
    ]);
    expect(direct.exitCode).toBe(1);
    expect(viaNpx).toEqual(direct);
  });
});

describe('the launcher in a checkout without a build', { timeout: 300_000 }, () => {
  const checkouts: string[] = [];
  afterAll(() => {
    for (const dir of checkouts) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A checkout of its own for each test (one test breaks its source): the launcher's two files, a
   * one-file "collector" for tsc -b to build, and the repository's node_modules (real TypeScript).
   */
  function freshCheckout(): string {
    const checkout = mkdtempSync(join(tmpdir(), 'threshold-launcher-'));
    checkouts.push(checkout);
    mkdirSync(join(checkout, 'scripts'));
    mkdirSync(join(checkout, 'collector/src'), { recursive: true });
    for (const file of ['threshold.mjs', 'ensure-built.mjs'])
      cpSync(join(REPOSITORY_ROOT, 'scripts', file), join(checkout, 'scripts', file));
    symlinkSync(join(REPOSITORY_ROOT, 'node_modules'), join(checkout, 'node_modules'));
    writeFileSync(join(checkout, 'tsconfig.json'), JSON.stringify({ files: [], references: [{ path: 'collector' }] }));
    writeFileSync(
      join(checkout, 'collector/tsconfig.json'),
      JSON.stringify({
        compilerOptions: { composite: true, module: 'nodenext', target: 'es2022', rootDir: 'src', outDir: 'dist', types: [] },
        include: ['src'],
      }),
    );
    writeFileSync(join(checkout, 'collector/package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(checkout, 'collector/src/cli.ts'),
      "declare const process: { argv: string[] };\nconsole.log(`cli ran with ${process.argv.slice(2).join(' ')}`);\n",
    );
    return checkout;
  }

  it('builds the packages on first use, telling stderr, and runs the CLI with its arguments; later runs go straight to it', async () => {
    const checkout = freshCheckout();
    const launcher = join(checkout, 'scripts/threshold.mjs');
    const first = await run(process.execPath, [launcher, 'check', '--file', 'x.json'], checkout);
    expect(first).toEqual({
      exitCode: 0,
      stdout: 'cli ran with check --file x.json\n',
      stderr: 'threshold: building the TypeScript packages (first run only)…\n',
    });
    const second = await run(process.execPath, [launcher, '--help'], checkout);
    expect(second).toEqual({ exitCode: 0, stdout: 'cli ran with --help\n', stderr: '' });
  });

  it('stops with the compiler’s exit code and says what to run when the build fails', async () => {
    const checkout = freshCheckout();
    writeFileSync(join(checkout, 'collector/src/cli.ts'), 'const broken: number = "text";\n');
    const result = await run(process.execPath, [join(checkout, 'scripts/threshold.mjs'), '--help'], checkout);
    expect(result.exitCode).toBe(1); // tsc -b: errors found
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(result.stderr.endsWith('threshold: the build failed (above); run `npm run build` to see why.\n')).toBe(true);
  });
});
