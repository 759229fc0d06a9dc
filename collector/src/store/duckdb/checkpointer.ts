import { statSync } from 'node:fs';
import type { SerialWriter } from './serial-writer.js';

/**
 * Write-ahead log size past which the store checkpoints. DuckDB checkpoints by itself inside the
 * COMMIT that crosses its `checkpoint_threshold`, concurrently with the other connection's
 * transactions; under heavy ingest such a checkpoint needed more than the whole memory
 * limit, then 256 MiB ("failed to pin block"), and a failed checkpoint invalidates the database.
 * The store checkpoints instead, while it holds every writer, once the log passes this size: the data a
 * checkpoint writes is bounded by it, and nothing else is being written meanwhile.
 */
export const CHECKPOINT_WAL_BYTES = 16 * 1024 * 1024;

/** DuckDB's own threshold, set so far out that only the store's checkpoints run. */
export const DUCKDB_CHECKPOINT_THRESHOLD = '1TB';

/** Runs checkpoints on the store's schedule: one at a time, with every writer held. */
export class Checkpointer {
  private running: Promise<void> | undefined;

  constructor(
    /** The database's write-ahead log (undefined for an in-memory database: nothing to checkpoint). */
    private readonly walPath: string | undefined,
    /** Every connection that writes, held in this order while a checkpoint runs. */
    private readonly writers: readonly SerialWriter[],
    private readonly walBytesLimit = CHECKPOINT_WAL_BYTES,
  ) {}

  /** Bytes in the write-ahead log now (0 when there is none). */
  walBytes(): number {
    if (this.walPath === undefined) return 0;
    try {
      return statSync(this.walPath).size;
    } catch {
      return 0;
    }
  }

  /** Starts a checkpoint if the log has grown past the limit and none is running; resolves when it is done. */
  maybeCheckpoint(): Promise<void> {
    if (this.running || this.walBytes() < this.walBytesLimit) return this.running ?? Promise.resolve();
    return this.checkpoint();
  }

  /** Checkpoints now (waits for the one running, then runs another). */
  checkpoint(): Promise<void> {
    const run = async () => {
      await this.holdAll(0, () => this.writers[0].connection.run('FORCE CHECKPOINT').then(() => undefined));
    };
    const started = (this.running ?? Promise.resolve()).then(run, run).finally(() => {
      if (this.running === started) this.running = undefined;
    });
    this.running = started;
    return started;
  }

  private holdAll(index: number, body: () => Promise<void>): Promise<void> {
    if (index === this.writers.length) return body();
    return this.writers[index].exclusive(() => this.holdAll(index + 1, body));
  }
}
