import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

describe('threshold demo binding', () => {
  it('refuses a non-loopback address, as threshold start does without keys', async () => {
    expect(await runCli(['demo', '--host', '0.0.0.0', '--port', '0', '--exit'])).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'threshold: refusing to listen on 0.0.0.0 without API keys: anyone who can reach it could send and read traces. Give --keys <file> (env THRESHOLD_KEYS_FILE), bind 127.0.0.1, or pass --insecure\n',
    });
  });
});
