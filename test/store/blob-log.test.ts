import { appendFileSync, mkdtempSync, readdirSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { BlobLogError, type BlobLog } from '../../collector/src/store/blob-log/blob-log.js';
import { FileBlobLog } from '../../collector/src/store/blob-log/file-blob-log.js';
import { MemoryBlobLog } from '../../collector/src/store/blob-log/memory-blob-log.js';

/** Files opened through `node:fs/promises` (the log's own opens among them), counted as they pass through. */
const opens = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: (...args: Parameters<typeof actual.open>) => {
      opens.count++;
      return actual.open(...args);
    },
  };
});

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'threshold-blob-log-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A value of `length` bytes, each `seed + i` (mod 256), so any mix-up shows. */
const value = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (seed + i) % 256);

describe.each([
  ['file', () => FileBlobLog.open(freshDir())],
  ['memory', async () => new MemoryBlobLog()],
] as const)('%s blob log', (_name, openLog: () => Promise<BlobLog>) => {
  test('reads back every appended value exactly, whatever the batch', async () => {
    const log = await openLog();
    const first = await log.append([value(10, 1), value(0, 2), value(70_000, 3)]);
    const second = await log.append([value(5, 4)]);
    expect([...first, ...second].map((ref) => ref.length)).toEqual([10, 0, 70_000, 5]);
    expect(await log.read(first[0])).toEqual(Buffer.from(value(10, 1)));
    expect(await log.read(first[1])).toEqual(Buffer.alloc(0));
    expect(await log.read(first[2])).toEqual(Buffer.from(value(70_000, 3)));
    expect(await log.read(second[0])).toEqual(Buffer.from(value(5, 4)));
    await log.close();
  });

  test('a reference of the wrong length is refused, not read as other bytes', async () => {
    const log = await openLog();
    const [ref] = await log.append([value(100, 9)]);
    await expect(log.read({ ...ref, length: 99 })).rejects.toBeInstanceOf(BlobLogError);
    await log.close();
  });
});

describe('file blob log on disk', () => {
  test('values stay readable after the log is closed and opened again, and appends continue after them', async () => {
    const dir = freshDir();
    let log = await FileBlobLog.open(dir);
    const [a] = await log.append([value(1_000, 5)]);
    await log.close();
    log = await FileBlobLog.open(dir);
    const [b] = await log.append([value(2_000, 6)]);
    expect(b.offset).toBeGreaterThan(a.offset + a.length);
    expect(await log.read(a)).toEqual(Buffer.from(value(1_000, 5)));
    expect(await log.read(b)).toEqual(Buffer.from(value(2_000, 6)));
    await log.close();
  });

  test('bytes left by an append a crash cut short are skipped: later values are found by their references', async () => {
    const dir = freshDir();
    let log = await FileBlobLog.open(dir);
    const [a] = await log.append([value(300, 1)]);
    await log.close();
    const [segmentFile] = readdirSync(dir);
    appendFileSync(join(dir, segmentFile), Buffer.from([0xde, 0xad, 0xbe])); // a torn frame
    log = await FileBlobLog.open(dir);
    const [b] = await log.append([value(400, 2)]);
    expect(await log.read(a)).toEqual(Buffer.from(value(300, 1)));
    expect(await log.read(b)).toEqual(Buffer.from(value(400, 2)));
    await log.close();
  });

  test('a damaged byte is an error on read, never different bytes', async () => {
    const dir = freshDir();
    const log = await FileBlobLog.open(dir);
    const [ref] = await log.append([value(64, 7)]);
    const handle = await open(join(dir, readdirSync(dir)[0]), 'r+');
    await handle.write(Buffer.from([0xff ^ value(64, 7)[10]]), 0, 1, ref.offset + 10);
    await handle.close();
    await expect(log.read(ref)).rejects.toThrow(/damaged/);
    await log.close();
  });

  test('a value past the end of its segment (a truncated file) is an error', async () => {
    const dir = freshDir();
    const log = await FileBlobLog.open(dir);
    const [ref] = await log.append([value(64, 7)]);
    await expect(log.read({ ...ref, offset: ref.offset + 1_000 })).rejects.toThrow(/cut short/);
    await log.close();
  });

  test('segments roll at their size; only sealed segments no row refers to are removed', async () => {
    const dir = freshDir();
    const log = await FileBlobLog.open(dir, 500);
    const refs = [];
    for (let i = 0; i < 5; i++) refs.push(...(await log.append([value(600, i)])));
    expect(refs.map((ref) => ref.segment)).toEqual([1, 2, 3, 4, 5]);
    expect(readdirSync(dir).sort()).toEqual([
      '000000000001.seg',
      '000000000002.seg',
      '000000000003.seg',
      '000000000004.seg',
      '000000000005.seg',
    ]);
    writeFileSync(join(dir, 'notes.txt'), 'not a segment');
    // Rows still refer to segments 2 and 4; 5 is the active one.
    expect(await log.removeSegmentsExcept(new Set([2, 4]))).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['000000000002.seg', '000000000004.seg', '000000000005.seg', 'notes.txt']);
    expect(await log.read(refs[1])).toEqual(Buffer.from(value(600, 1)));
    expect(await log.read(refs[4])).toEqual(Buffer.from(value(600, 4)));
    await expect(log.read(refs[0])).rejects.toBeInstanceOf(BlobLogError);
    await log.close();
  });

  test('a sealed segment that cannot be opened is not remembered so: a later read opens it again', async () => {
    const dir = freshDir();
    const log = await FileBlobLog.open(dir, 500);
    const [ref] = await log.append([value(600, 1)]);
    await log.append([value(10, 2)]); // seals segment 1
    const sealed = join(dir, '000000000001.seg');
    renameSync(sealed, `${sealed}.away`);
    await expect(log.read(ref)).rejects.toBeInstanceOf(BlobLogError);
    renameSync(`${sealed}.away`, sealed);
    expect(await log.read(ref)).toEqual(Buffer.from(value(600, 1)));
    await log.close();
  });

  test('reads arriving together for a sealed segment share one file handle, closed with the log', async () => {
    const dir = freshDir();
    const log = await FileBlobLog.open(dir, 500);
    const refs = await log.append([value(200, 1), value(200, 2), value(200, 3)]);
    await log.append([value(10, 4)]); // seals segment 1
    const sealed = join(dir, '000000000001.seg');
    const opensBefore = opens.count;
    const read = await Promise.all(Array.from({ length: 24 }, (_, i) => log.read(refs[i % 3])));
    read.forEach((bytes, i) => expect(bytes).toEqual(Buffer.from(value(200, (i % 3) + 1))));
    expect(opens.count - opensBefore).toBe(1);
    expect(openHandlesTo(sealed)).toBe(1);
    await log.close();
    expect(openHandlesTo(sealed)).toBe(0);
  });
});

/** This process's open file descriptors on `path`. */
function openHandlesTo(path: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(join('/proc/self/fd', fd)) === path) count++;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}

describe('memory blob log', () => {
  test('frees a sealed segment of 1,024 values once no row refers to it', async () => {
    const log = new MemoryBlobLog();
    const refs = await log.append(Array.from({ length: 2_050 }, (_, i) => value(3, i)));
    expect([refs[0].segment, refs[1_023].segment, refs[1_024].segment, refs[2_049].segment]).toEqual([0, 0, 1, 2]);
    expect(await log.removeSegmentsExcept(new Set([1]))).toBe(1);
    await expect(log.read(refs[0])).rejects.toBeInstanceOf(BlobLogError);
    expect(await log.read(refs[1_024])).toEqual(Buffer.from(value(3, 1_024)));
    expect(await log.read(refs[2_049])).toEqual(Buffer.from(value(3, 2_049)));
  });
});
