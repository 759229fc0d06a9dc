import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/** glibc's `mallopt` parameter for the most malloc arenas (`M_ARENA_MAX` in malloc.h). */
const M_ARENA_MAX = -8;

/**
 * The arena limit `threshold start` gives glibc. glibc gives each new thread an arena of its own,
 * up to eight per core, and keeps what each one freed for that arena alone. Under ingest the
 * collector's threads (DuckDB's, the analysis threads, libuv's) allocate and free bursts of
 * memory, and in soaks the other threads' arenas held anywhere from 43 to 500 MiB resident. The
 * arenas that exist when the limit is set stay (the event loop's and those of V8's and Node's own
 * threads, four here), and once that many exist glibc makes no more: the threads started after
 * share them. So limited, the other threads' arenas held 64 to 202 MiB, with the same throughput
 * within the noise of the runs (README, performance).
 */
const COLLECTOR_MALLOC_ARENAS = 2;

/** What `limitMallocArenas` did: the arenas set, or why it left malloc as it was. */
export type MallocArenaLimit = { limited: true; arenas: number } | { limited: false; reason: string };

/**
 * Limits glibc's malloc arenas for the rest of the process's life: arenas that exist stay, and
 * glibc makes a new one only while fewer than `arenas` exist (so call it before the collector
 * starts its threads; glibc fixes its limit for good once it has made nine). It changes nothing where
 * the C library is not glibc, or where the environment already chose (`MALLOC_ARENA_MAX`, or
 * `arena_max` in `GLIBC_TUNABLES`). Never throws: malloc's defaults are only less frugal.
 *
 * For `threshold start` alone, which owns its process; a program that embeds the collector
 * decides its own allocator settings.
 */
export function limitMallocArenas(arenas = COLLECTOR_MALLOC_ARENAS, env: NodeJS.ProcessEnv = process.env): MallocArenaLimit {
  if (process.platform !== 'linux') return { limited: false, reason: 'not Linux' };
  if (environmentSetsArenas(env)) return { limited: false, reason: 'the environment sets the arenas' };
  try {
    // Loaded here, not imported: a platform koffi has no binary for must not stop the collector.
    const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
    // Where the C library is not glibc (musl), there is no libc.so.6 to load.
    const mallopt = koffi.load('libc.so.6').func('int mallopt(int param, int value)');
    return mallopt(M_ARENA_MAX, arenas) === 1 ? { limited: true, arenas } : { limited: false, reason: 'mallopt refused the setting' };
  } catch (error) {
    return { limited: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** True when the environment chooses glibc's arena limit itself: `MALLOC_ARENA_MAX`, or `glibc.malloc.arena_max` in `GLIBC_TUNABLES`. */
export function environmentSetsArenas(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.MALLOC_ARENA_MAX) || /(^|:)glibc\.malloc\.arena_max=/.test(env.GLIBC_TUNABLES ?? '');
}
