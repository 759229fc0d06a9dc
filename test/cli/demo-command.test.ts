import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('threshold demo', () => {
  it('starts a collector on a free port, runs the agents, prints the dashboard URL and a summary, and exits with --exit', async () => {
    const result = await runCli(
      ['demo', '--port', '0', '--users', '1', '--duration', '1s', '--seed', '3', '--time-scale', '0.2', '--exit'],
      { timeoutMs: 60_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^threshold demo: dashboard at http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(lines[1]).toMatch(/^ {2}1 simulated user for 1s, seed 3; data in .*threshold-demo-.* \(temporary\)$/);
    expect(result.stdout).toMatch(
      /\nRan 1 simulated user for .* \(seed 3\): \d+ tasks — \d+ customer service, 0 research, 0 coding; \d+ model requests\.\n/,
    );
    expect(lines).toContain('Latency per task class');
    expect(lines).toContain('Top recommendations');
  }, 90_000);

  describe('bad arguments', () => {
    it.each([
      [['--users', '0'], 'threshold: --users expects a whole number from 1 to 500, got "0"'],
      [['--duration', '10'], 'threshold: --duration expects a duration like 30s, 5m or 1h, got "10"'],
      [['--time-scale', '0'], 'threshold: --time-scale expects a number above 0 and at most 10, got "0"'],
    ])('demo %j exits 2 with one line', async (args, message) => {
      expect(await runCli(['demo', ...args])).toEqual({ exitCode: 2, stdout: '', stderr: `${message}\n` });
    });

    it('--help lists the options', async () => {
      const result = await runCli(['demo', '--help']);
      expect(result.exitCode).toBe(0);
      for (const option of ['--users', '--duration', '--seed', '--port', '--data-dir', '--time-scale', '--exit'])
        expect(result.stdout).toContain(option);
    });
  });
});
