import type { CollectorOptions } from '../config.js';
import { spanViewsOf } from '../pipeline/analyse-stage.js';
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { decodeStoredRequestOffThread } from './decode-stored-request.js';
import { DuckDbStore } from './duckdb/duckdb-store.js';
import type { TraceStore } from './store.js';

/** The engines, named here only: everything else depends on the store's roles (store/*.ts). */
export { ClickHouseStore, type ClickHouseStoreOptions } from './clickhouse/clickhouse-store.js';
export { DuckDbStore, DUCKDB_FILE_NAME } from './duckdb/duckdb-store.js';

/** The store the options name: DuckDB under `dataDir` (default), or the shared ClickHouse database. */
export function openConfiguredStore(options: CollectorOptions): Promise<TraceStore> {
  const storeOptions = { taskClasses: options.taskClasses, decodeRequest: decodeStoredRequestOffThread };
  if (options.store === 'clickhouse') {
    return ClickHouseStore.open({ ...storeOptions, url: options.clickhouseUrl, database: options.clickhouseDatabase });
  }
  // DuckDB keeps each span once, in the span log: a trace's span views are derived when it is read.
  const settings = { maxSpansPerTrace: options.maxSpansPerTrace, taskClasses: options.taskClasses };
  return DuckDbStore.open(options.dataDir, {
    ...storeOptions,
    memoryLimitMb: options.duckdbMemoryMb,
    spanViews: { settings, derive: spanViewsOf },
  });
}
