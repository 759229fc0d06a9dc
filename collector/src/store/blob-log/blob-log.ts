/**
 * Where the store keeps large values (stored requests, analysed trace details) outside DuckDB.
 *
 * DuckDB checkpoints a table's last row group whole, and a row group holds up to 122,880 rows:
 * with request bodies of 30–300 KB inline, every checkpoint re-read and re-wrote hundreds of MB,
 * needed more than DuckDB's memory limit (256 MiB then) ("failed to pin block") and the failed checkpoint
 * invalidated the database. In a log, a value is written once, fsynced, and found again by its
 * reference, which is all DuckDB keeps; its rows stay small whatever the spans carry.
 */
export interface BlobRef {
  /** Segment file number. */
  segment: number;
  /** Byte offset of the value in its segment. */
  offset: number;
  /** Length of the value in bytes. */
  length: number;
}

export interface BlobLog {
  /** Appends the values in one write; resolved means they are on disk (fsynced). */
  append(values: readonly Uint8Array[]): Promise<BlobRef[]>;
  /** Reads a value back; rejects with BlobLogError when the bytes are missing or damaged. */
  read(ref: BlobRef): Promise<Buffer>;
  /** Removes every sealed segment not named in `live` (the active one always stays); returns how many. */
  removeSegmentsExcept(live: ReadonlySet<number>): Promise<number>;
  close(): Promise<void>;
}

/** A value that cannot be read back as it was written. */
export class BlobLogError extends Error {
  override readonly name = 'BlobLogError';
}
