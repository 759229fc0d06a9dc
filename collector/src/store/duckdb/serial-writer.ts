import type { DuckDBConnection } from '@duckdb/node-api';
import { appendColumns, type ColumnSpec } from './append-columns.js';

/**
 * One DuckDB connection that runs its transactions one after another, in the order asked. The
 * store has two: ingest appends requests on one while analyses, retention and alert state are
 * written on the other, so a span commit never waits behind an analysis batch. DuckDB commits
 * concurrent transactions optimistically; the two never touch the same rows (ingest only
 * appends, and retention deletes only rows acknowledged long before).
 */
export class SerialWriter {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly connection: DuckDBConnection) {}

  /** Runs `body` in one transaction, after every earlier transaction of this writer has finished. */
  transaction(body: () => Promise<void>): Promise<void> {
    const run = async () => {
      await this.connection.run('BEGIN TRANSACTION');
      try {
        await body();
        await this.connection.run('COMMIT');
      } catch (error) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Appends rows inside the running transaction. */
  async append<T>(table: string, columns: readonly ColumnSpec<T>[], items: readonly T[]): Promise<void> {
    if (items.length === 0) return;
    const appender = await this.connection.createAppender(table);
    try {
      appendColumns(appender, columns, items);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** Waits for every transaction asked so far. */
  async drain(): Promise<void> {
    await this.chain.catch(() => undefined);
  }
}
