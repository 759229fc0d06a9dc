import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SUMMARY_SELECT } from '../rows/summary-row.js';
import { StatsIndex } from '../stats-index/stats-index.js';
import * as alertQueries from './alert-queries.js';
import { Checkpointer, DUCKDB_CHECKPOINT_THRESHOLD } from './checkpointer.js';
import { migrateSchema, SCHEMA_STATEMENTS } from './schema.js';
import { SerialWriter } from './serial-writer.js';
import { traceRowToSummary } from './trace-row.js';

/** Read connections: queries run on them in turn so one slow query does not hold up the rest. */
const READ_CONNECTIONS = 2;

/**
 * One open DuckDB database and its connections. The store holds one at a time and replaces it
 * when DuckDB invalidates it after a fatal error: opening again replays the write-ahead log.
 */
export interface DuckDbDatabase {
  instance: DuckDBInstance;
  /** Analyses, retention and alert state, one transaction after another. */
  writes: SerialWriter;
  /** Ingest's appends, on a connection of their own so a span commit never waits behind an analysis. */
  ingestWrites: SerialWriter;
  /** Reads that must see one snapshot (a page and its total), one transaction after another. */
  snapshotReads: SerialWriter;
  readers: DuckDBConnection[];
  checkpointer: Checkpointer;
  /** The next request id to assign (one more than the largest stored). */
  nextRequestId: number;
  /** Summary columns of every stored trace, in memory (answers `/api/stats`). */
  statsIndex: StatsIndex;
}

/** Opens (or creates) the database at `path` (`:memory:` for none), brings its schema up to date and indexes its traces. */
export async function openDuckDbDatabase(path: string, memoryLimitMb: number | undefined): Promise<DuckDbDatabase> {
  const settings: Record<string, string> = { checkpoint_threshold: DUCKDB_CHECKPOINT_THRESHOLD };
  if (memoryLimitMb !== undefined) settings.memory_limit = `${Math.floor(memoryLimitMb)}MiB`;
  const instance = await DuckDBInstance.create(path, settings);
  const connections: DuckDBConnection[] = [];
  try {
    const connect = async () => {
      const connection = await instance.connect();
      connections.push(connection);
      return connection;
    };
    const writer = await connect();
    for (const statement of [...SCHEMA_STATEMENTS, ...alertQueries.ALERT_SCHEMA_STATEMENTS]) await writer.run(statement);
    await migrateSchema(
      async (sql) => (await writer.runAndReadAll(sql)).getRowsJS() as unknown[][],
      (sql) => writer.run(sql),
    );
    const ingestWriter = await connect();
    const snapshotReader = await connect();
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < READ_CONNECTIONS; i++) readers.push(await connect());
    const [[lastId]] = (await writer.runAndReadAll('SELECT coalesce(max(request_id), 0)::DOUBLE FROM span_requests')).getRowsJS();
    const statsIndex = new StatsIndex();
    const summaries = await writer.stream(`SELECT ${SUMMARY_SELECT} FROM traces`);
    for await (const rows of summaries.yieldRowsJs()) {
      for (const row of rows) statsIndex.add(traceRowToSummary(row));
    }
    statsIndex.settle();
    const writes = new SerialWriter(writer);
    const ingestWrites = new SerialWriter(ingestWriter);
    const snapshotReads = new SerialWriter(snapshotReader);
    return {
      instance,
      writes,
      ingestWrites,
      snapshotReads,
      readers,
      checkpointer: new Checkpointer(path === ':memory:' ? undefined : `${path}.wal`, [writes, ingestWrites, snapshotReads]),
      nextRequestId: (lastId as number) + 1,
      statsIndex,
    };
  } catch (error) {
    for (const connection of connections) connection.closeSync();
    instance.closeSync();
    throw error;
  }
}

/** Closes every connection and the instance; with `force`, errors of an invalidated database are ignored. */
export async function closeDuckDbDatabase(database: DuckDbDatabase, force = false): Promise<void> {
  const quietly = (close: () => void) => {
    try {
      close();
    } catch (error) {
      if (!force) throw error;
    }
  };
  if (force) {
    for (const writer of [database.writes, database.ingestWrites, database.snapshotReads]) quietly(() => writer.connection.closeSync());
  } else {
    await Promise.all([database.writes.close(), database.ingestWrites.close(), database.snapshotReads.close()]);
  }
  for (const connection of database.readers) quietly(() => connection.closeSync());
  quietly(() => database.instance.closeSync());
}
