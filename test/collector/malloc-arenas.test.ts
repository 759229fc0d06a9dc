import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TraceList } from '@threshold/core';
import { afterEach, describe, expect, test } from 'vitest';
import { environmentSetsArenas, limitMallocArenas } from '../../collector/src/server/malloc-arenas.js';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { postProtobuf, protobufBody } from './otlp-protobuf-body.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/**
 * A process that starts six threads, each allocating and holding memory, and counts glibc's
 * arenas (from glibc's own `malloc_stats`) before and after; with `limit`, it first calls
 * `limitMallocArenas` as `threshold start` does.
 */
const ARENA_PROBE = `
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { limitMallocArenas } from './collector/dist/server/malloc-arenas.js';
const koffi = createRequire(import.meta.url)('koffi');
const mallocStats = koffi.load('libc.so.6').func('void malloc_stats(void)');
const result = process.argv[1] === 'limit' ? limitMallocArenas(2) : undefined;
process.stderr.write('--before\\n');
mallocStats();
const code = "const { parentPort } = require('node:worker_threads'); const held = []; for (let i = 0; i < 50; i++) held.push(Buffer.alloc(4096 + i)); parentPort.postMessage('ready'); parentPort.once('message', () => {});";
const workers = Array.from({ length: 6 }, () => new Worker(code, { eval: true, execArgv: [] }));
await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
process.stderr.write('--after\\n');
mallocStats();
await Promise.all(workers.map((worker) => worker.terminate()));
process.stdout.write(JSON.stringify(result ?? null));
`;

async function arenasAroundSixThreads(mode: 'limit' | 'leave'): Promise<{ result: unknown; before: number; after: number }> {
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', ARENA_PROBE, mode], { cwd: REPOSITORY_ROOT });
  const [, before = '', after = ''] = stderr.split(/^--(?:before|after)$/m);
  const arenas = (text: string) => text.split('\n').filter((line) => /^Arena \d+:$/.test(line)).length;
  return { result: JSON.parse(stdout) as unknown, before: arenas(before), after: arenas(after) };
}

/** glibc's per-thread arenas of a process: anonymous mappings that start on a 64 MiB boundary and are no larger (see bench/_resident-memory.mjs). */
function threadArenaMappings(pid: number): number {
  const ARENA_BYTES = 64n * 1024n * 1024n;
  let arenas = 0;
  for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (!mapping || mapping[3].trim() !== '') continue;
    const start = BigInt(`0x${mapping[1]}`);
    if (start % ARENA_BYTES === 0n && BigInt(`0x${mapping[2]}`) - start <= ARENA_BYTES) arenas++;
  }
  return arenas;
}

const isGlibc = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime !== undefined;

describe.runIf(process.platform === 'linux' && isGlibc)('malloc arenas (glibc)', () => {
  test('once limited, new threads get no arenas of their own; left alone, each one does', async () => {
    const limited = await arenasAroundSixThreads('limit');
    expect(limited.result).toEqual({ limited: true, arenas: 2 });
    // Arenas made before the call stay; none is added for the six threads.
    expect(limited.after).toBe(limited.before);

    // Left alone, glibc gives each new thread an arena of its own, up to eight per core.
    const left = await arenasAroundSixThreads('leave');
    expect(left.result).toBeNull();
    const glibcLimit = 8 * availableParallelism();
    expect(left.after).toBeGreaterThanOrEqual(Math.min(left.before + 6, glibcLimit));
    expect(left.after).toBeGreaterThan(left.before);
  });

  test('the environment decides when it sets the arenas itself', () => {
    expect(limitMallocArenas(2, { MALLOC_ARENA_MAX: '4' })).toEqual({ limited: false, reason: 'the environment sets the arenas' });
    expect(environmentSetsArenas({ MALLOC_ARENA_MAX: '4' })).toBe(true);
    expect(environmentSetsArenas({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=4' })).toBe(true);
    expect(environmentSetsArenas({ GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0:glibc.malloc.arena_max=4' })).toBe(true);
    // Other tunables, or an empty variable, leave the choice to the collector.
    expect(environmentSetsArenas({ GLIBC_TUNABLES: 'glibc.malloc.arena_test=4:glibc.malloc.tcache_count=0' })).toBe(false);
    expect(environmentSetsArenas({ MALLOC_ARENA_MAX: '', GLIBC_TUNABLES: '' })).toBe(false);
    expect(environmentSetsArenas({})).toBe(false);
  });

  describe('threshold start', () => {
    const collectors: CollectorProcess[] = [];
    afterEach(async () => {
      await Promise.all(collectors.splice(0).map((collector) => collector.stop()));
    });

    /** A collector with two analysis threads, after it analysed 40 traces (every thread has allocated). */
    async function busyCollector(env: NodeJS.ProcessEnv): Promise<CollectorProcess> {
      const collector = await startCollectorProcess({ args: ['--workers', '2'], env });
      collectors.push(collector);
      const plans = Array.from({ length: 40 }, (_, trace) => {
        const traceId = (trace + 1).toString(16).padStart(32, 'a');
        return Array.from({ length: 5 }, (_, span) => ({
          traceId,
          spanId: (trace * 8 + span + 1).toString(16).padStart(16, 'b'),
          ...(span > 0 ? { parentSpanId: (trace * 8 + 1).toString(16).padStart(16, 'b') } : {}),
          name: span === 0 ? 'agent.task' : `tool ${span}`,
          startMs: span * 10,
          endMs: span === 0 ? 100 : span * 10 + 8,
        }));
      }).flat();
      expect(await postProtobuf(collector.url, protobufBody('arenas', Date.now(), plans))).toBe(200);
      await expect
        .poll(async () => ((await (await fetch(`${collector.url}/api/traces?limit=1`)).json()) as TraceList).total, { timeout: 20_000 })
        .toBe(40);
      return collector;
    }

    test('limits its arenas: fewer than the same collector given its own MALLOC_ARENA_MAX', async () => {
      const limited = await busyCollector({ MALLOC_ARENA_MAX: '', GLIBC_TUNABLES: '' });
      const unlimited = await busyCollector({ MALLOC_ARENA_MAX: '64' });
      const [limitedArenas, unlimitedArenas] = [threadArenaMappings(limited.pid), threadArenaMappings(unlimited.pid)];
      expect(unlimitedArenas - limitedArenas).toBeGreaterThanOrEqual(3);
    }, 60_000);
  });
});
