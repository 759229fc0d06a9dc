import { mkdirSync, readdirSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { BlobLogError, type BlobLog, type BlobRef } from './blob-log.js';

/** A segment is sealed and a new one begun once it reaches this size. */
export const SEGMENT_BYTES = 64 * 1024 * 1024;
/** Each value is framed: its length and CRC-32 (4 bytes each, little-endian), then its bytes. */
const FRAME_BYTES = 8;
const SEGMENT_NAME = /^(\d{12})\.seg$/;

const segmentFile = (segment: number) => `${String(segment).padStart(12, '0')}.seg`;

/**
 * Values appended to segment files under one directory. One append at a time: the values are
 * written with one `write` and made durable with one `fdatasync` (group commit: the callers batch).
 * A crash mid-append leaves bytes past the last value any committed row refers to; they are never
 * read, and the next append goes after them. A read checks the frame's length and CRC-32, so a
 * damaged or missing value is an error, never wrong spans.
 */
export class FileBlobLog implements BlobLog {
  private chain: Promise<unknown> = Promise.resolve();

  /**
   * Sealed segments opened for reading, one handle each. The opening is kept, not the handle:
   * reads that arrive together for a segment not yet open share one `open` (keeping the handle
   * after it, two reads each opened one and the first was left for the garbage collector to close).
   */
  private readonly readers = new Map<number, Promise<FileHandle>>();

  private constructor(
    private readonly dir: string,
    private active: { segment: number; handle: FileHandle; size: number },
    private readonly segmentBytes: number,
  ) {}

  /** Opens the log in `dir` (created if missing); appends continue in its newest segment. */
  static async open(dir: string, segmentBytes = SEGMENT_BYTES): Promise<FileBlobLog> {
    mkdirSync(dir, { recursive: true });
    const segments = readdirSync(dir)
      .map((name) => SEGMENT_NAME.exec(name)?.[1])
      .filter((found): found is string => found !== undefined)
      .map(Number);
    const segment = segments.length > 0 ? Math.max(...segments) : 1;
    const handle = await open(join(dir, segmentFile(segment)), 'a+');
    const { size } = await handle.stat();
    return new FileBlobLog(dir, { segment, handle, size }, segmentBytes);
  }

  append(values: readonly Uint8Array[]): Promise<BlobRef[]> {
    const run = () => this.appendNow(values);
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async appendNow(values: readonly Uint8Array[]): Promise<BlobRef[]> {
    if (values.length === 0) return [];
    if (this.active.size >= this.segmentBytes) await this.seal();
    const { segment, handle } = this.active;
    const parts: Uint8Array[] = [];
    const refs: BlobRef[] = [];
    let offset = this.active.size;
    for (const value of values) {
      const frame = Buffer.allocUnsafe(FRAME_BYTES);
      frame.writeUInt32LE(value.byteLength, 0);
      frame.writeUInt32LE(crc32(value), 4);
      parts.push(frame, value);
      refs.push({ segment, offset: offset + FRAME_BYTES, length: value.byteLength });
      offset += FRAME_BYTES + value.byteLength;
    }
    const bytes = Buffer.concat(parts);
    try {
      // Append mode: the bytes go at the end of the file whatever position is asked. A nearly full
      // disk may take part of a write without an error: the rest is written again until all of it
      // is, or the disk refuses (seen on a full tmpfs: a short write left later values misplaced).
      let written = 0;
      while (written < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.byteLength - written);
        if (bytesWritten <= 0) throw Object.assign(new Error('no space left on device (nothing written)'), { code: 'ENOSPC' });
        written += bytesWritten;
      }
      await handle.datasync();
    } catch (error) {
      // A partial write (disk full) leaves an unknown tail: the size is read again before the next append.
      this.active.size = (await handle.stat().catch(() => ({ size: this.active.size + bytes.byteLength }))).size;
      throw error;
    }
    this.active.size = offset;
    return refs;
  }

  private async seal(): Promise<void> {
    const next = this.active.segment + 1;
    const handle = await open(join(this.dir, segmentFile(next)), 'a+');
    const previous = this.active.handle;
    this.active = { segment: next, handle, size: 0 };
    await previous.close();
  }

  async read(ref: BlobRef): Promise<Buffer> {
    const handle = ref.segment === this.active.segment ? this.active.handle : await this.reader(ref.segment);
    const bytes = Buffer.allocUnsafe(FRAME_BYTES + ref.length);
    const { bytesRead } = await handle.read(bytes, 0, bytes.byteLength, ref.offset - FRAME_BYTES);
    if (bytesRead !== bytes.byteLength)
      throw new BlobLogError(`stored value ${ref.segment}:${ref.offset} is cut short (${bytesRead} of ${bytes.byteLength} bytes)`);
    const value = bytes.subarray(FRAME_BYTES);
    if (bytes.readUInt32LE(0) !== ref.length || bytes.readUInt32LE(4) !== crc32(value)) {
      throw new BlobLogError(`stored value ${ref.segment}:${ref.offset} is damaged`);
    }
    return value;
  }

  private reader(segment: number): Promise<FileHandle> {
    const kept = this.readers.get(segment);
    if (kept) return kept;
    const opening: Promise<FileHandle> = open(join(this.dir, segmentFile(segment)), 'r').catch((error: unknown) => {
      // Not kept: a later read tries again (a newer opening of the segment, if any, stays).
      if (this.readers.get(segment) === opening) this.readers.delete(segment);
      throw new BlobLogError(`segment ${segment} cannot be read: ${(error as Error).message}`);
    });
    this.readers.set(segment, opening);
    return opening;
  }

  async removeSegmentsExcept(live: ReadonlySet<number>): Promise<number> {
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      const found = SEGMENT_NAME.exec(name);
      if (!found) continue;
      const segment = Number(found[1]);
      if (segment >= this.active.segment || live.has(segment)) continue;
      const reader = this.readers.get(segment);
      this.readers.delete(segment);
      await (await reader?.catch(() => undefined))?.close();
      await unlink(join(this.dir, name));
      removed++;
    }
    return removed;
  }

  async close(): Promise<void> {
    await this.chain;
    for (const opening of this.readers.values()) await (await opening.catch(() => undefined))?.close();
    this.readers.clear();
    await this.active.handle.close();
  }
}
