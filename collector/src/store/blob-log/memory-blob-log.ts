import { BlobLogError, type BlobLog, type BlobRef } from './blob-log.js';

/** Values per segment of the in-memory log: retention frees a segment once no row refers to it. */
const VALUES_PER_SEGMENT = 1_024;

/** The log of an in-memory store (`:memory:`): segments of values in a map, nothing on disk. */
export class MemoryBlobLog implements BlobLog {
  private readonly segments = new Map<number, Buffer[]>();
  private count = 0;

  async append(values: readonly Uint8Array[]): Promise<BlobRef[]> {
    return values.map((value) => {
      const segment = Math.floor(this.count / VALUES_PER_SEGMENT);
      const offset = this.count % VALUES_PER_SEGMENT;
      this.count++;
      let list = this.segments.get(segment);
      if (!list) this.segments.set(segment, (list = []));
      list.push(Buffer.from(value));
      return { segment, offset, length: value.byteLength };
    });
  }

  async read(ref: BlobRef): Promise<Buffer> {
    const value = this.segments.get(ref.segment)?.[ref.offset];
    if (!value || value.byteLength !== ref.length) throw new BlobLogError(`no stored value at ${ref.segment}:${ref.offset}`);
    return value;
  }

  async removeSegmentsExcept(live: ReadonlySet<number>): Promise<number> {
    const active = Math.floor(this.count / VALUES_PER_SEGMENT);
    let removed = 0;
    for (const segment of [...this.segments.keys()]) {
      if (segment === active || live.has(segment)) continue;
      this.segments.delete(segment);
      removed++;
    }
    return removed;
  }

  async close(): Promise<void> {
    this.segments.clear();
  }
}
