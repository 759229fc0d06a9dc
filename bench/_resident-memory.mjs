import { readFileSync } from 'node:fs';

const MiB = 1024 * 1024;
const V8_PAGE_BYTES = 256 * 1024;
const THREAD_ARENA_BYTES = 64 * MiB;

/**
 * What a process's resident memory is made of, in MiB, read from /proc/<pid>/smaps (Linux, glibc):
 *
 * - `v8`: anonymous mappings of exactly 256 KiB, V8's heap pages (every isolate: the event loop
 *   and the analysis threads);
 * - `mallocMain`: `[heap]`, the event loop's malloc arena (Buffers and other native allocations
 *   made on it);
 * - `mallocThreads`: anonymous mappings starting on a 64 MiB boundary and no larger, glibc's
 *   per-thread arenas (DuckDB's and libuv's threads, the analysis threads' native allocations);
 * - `otherAnonymous`: every other anonymous mapping: DuckDB's own allocator and large single
 *   allocations;
 * - `files`: mapped files (node, libduckdb, ...).
 *
 * The classes are read from mapping sizes and addresses, so they are approximate; they sum to the
 * RSS. Undefined when the process is gone or smaps cannot be read.
 */
export function residentComposition(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = { v8: 0, mallocMain: 0, mallocThreads: 0, otherAnonymous: 0, files: 0 };
  let current = 'files';
  for (const line of text.split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const start = BigInt(`0x${mapping[1]}`);
      const size = Number(BigInt(`0x${mapping[2]}`) - start);
      const path = mapping[3].trim();
      if (path === '[heap]') current = 'mallocMain';
      else if (path !== '') current = 'files';
      else if (size === V8_PAGE_BYTES) current = 'v8';
      else if (start % BigInt(THREAD_ARENA_BYTES) === 0n && size <= THREAD_ARENA_BYTES) current = 'mallocThreads';
      else current = 'otherAnonymous';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) kib[current] += Number(rss[1]);
  }
  return Object.fromEntries(Object.entries(kib).map(([key, value]) => [key, Math.round(value / 1024)]));
}

/** One line for a composition: "V8 heap 280, malloc: event loop 230, other threads 120; other anonymous 200; files 83 (MiB)". */
export function compositionText(composition) {
  if (!composition) return 'composition unavailable';
  const { v8, mallocMain, mallocThreads, otherAnonymous, files } = composition;
  return `V8 heap ${v8}, malloc: event loop ${mallocMain}, other threads ${mallocThreads}; other anonymous ${otherAnonymous}; files ${files} (MiB)`;
}
