import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BodyError, readBody } from '../../collector/src/ingest/read-body.js';

/** A request body the test feeds by hand, with the fields readBody reads. */
function body(headers: Record<string, string> = {}) {
  const stream = new PassThrough() as PassThrough & { headers: Record<string, string>; complete: boolean };
  stream.headers = headers;
  stream.complete = false;
  stream.on('end', () => (stream.complete = true));
  return stream;
}

describe('a request body that stalls', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is refused with 408 once no byte arrived for the idle timeout', async () => {
    const request = body();
    const read = readBody(request as unknown as IncomingMessage, 1_000, { idleTimeoutMs: 10_000 });
    const outcome = read.then(
      () => 'read',
      (error: BodyError) => [error.status, error.message],
    );
    request.write('{"resourceSpans"');
    await vi.advanceTimersByTimeAsync(9_999);
    request.write(':[');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(await Promise.race([outcome, Promise.resolve('pending')])).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toEqual([408, 'no body bytes arrived for 10000 ms: send the body without pauses']);
  });

  it('is read in full when its bytes keep coming, and leaves no timer behind', async () => {
    const request = body({ 'content-encoding': 'gzip' });
    const read = readBody(request as unknown as IncomingMessage, 1_000, { idleTimeoutMs: 10_000 });
    const compressed = gzipSync('{"resourceSpans":[]}');
    for (const byte of compressed) {
      request.write(Buffer.from([byte]));
      await vi.advanceTimersByTimeAsync(5_000);
    }
    request.end();
    const result = await read;
    expect(result.body.toString()).toBe('{"resourceSpans":[]}');
    expect(result.encoding).toBe('gzip');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('uses the timers it is given', async () => {
    const armed: Array<{ callback: () => void; ms: number; cleared: boolean }> = [];
    const timers = {
      setTimeout: (callback: () => void, ms: number) => {
        armed.push({ callback, ms, cleared: false });
        return armed.length - 1;
      },
      clearTimeout: (timer: unknown) => {
        armed[timer as number].cleared = true;
      },
    };
    const request = body();
    const read = readBody(request as unknown as IncomingMessage, 1_000, { idleTimeoutMs: 300, timers });
    request.write('{');
    await Promise.resolve();
    expect(armed.map(({ ms, cleared }) => [ms, cleared])).toEqual([
      [300, true],
      [300, false],
    ]);
    armed[1].callback();
    await expect(read).rejects.toEqual(new BodyError(408, 'no body bytes arrived for 300 ms: send the body without pauses'));
  });
});
