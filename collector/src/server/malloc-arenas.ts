import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/** glibc's `mallopt` parameter for the most malloc arenas (`M_ARENA_MAX` in malloc.h). */
const M_ARENA_MAX = -8;

/**
 * Most malloc arenas `threshold start` lets glibc keep: the event loop's and one that every other
 * thread shares. glibc gives each new thread an arena of its own, up to eight per core, and keeps
 * what each one freed for that thread alone. Under ingest the collector's threads (DuckDB's, the
 * analysis threads, libuv's) allocate and free bursts of memory, and in 5-minute soaks the other
 * threads' arenas held anywhere from 43 to 402 MiB resident. Limited to two they held 64 to
 * 84 MiB, with the same throughput within the noise of the runs (README, performance).
 */
export const COLLECTOR_MALLOC_ARENAS = 2;

/** What `limitMallocArenas` did: the arenas set, or why it left malloc as it was. */
export type MallocArenaLimit = { limited: true; arenas: number } | { limited: false; reason: string };

/**
 * Limits glibc's malloc arenas for the rest of the process's life (threads that already have an
 * arena keep it, so call it before the collector starts its threads). It changes nothing where
 * the C library is not glibc, or where the environment already chose (`MALLOC_ARENA_MAX`, or
 * `arena_max` in `GLIBC_TUNABLES`). Never throws: malloc's defaults are only less frugal.
 *
 * For `threshold start` alone, which owns its process; a program that embeds the collector
 * decides its own allocator settings.
 */
export function limitMallocArenas(arenas = COLLECTOR_MALLOC_ARENAS, env: NodeJS.ProcessEnv = process.env): MallocArenaLimit {
  if (!isGlibc()) return { limited: false, reason: 'the C library is not glibc' };
  if (env.MALLOC_ARENA_MAX || /(^|:)glibc\.malloc\.arena_max=/.test(env.GLIBC_TUNABLES ?? '')) {
    return { limited: false, reason: 'the environment sets the arenas' };
  }
  try {
    // Loaded here, not imported: a platform koffi has no binary for must not stop the collector.
    const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
    const mallopt = koffi.load('libc.so.6').func('int mallopt(int param, int value)');
    return mallopt(M_ARENA_MAX, arenas) === 1 ? { limited: true, arenas } : { limited: false, reason: 'mallopt refused the setting' };
  } catch (error) {
    return { limited: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function isGlibc(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return typeof report?.header?.glibcVersionRuntime === 'string';
}
