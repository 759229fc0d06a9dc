import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TASK_CLASS_CONFIG, type TaskClassConfig } from '@threshold/core';
import { ClickHouseStore, DuckDbStore, decodeStoredRequest, type CreateCollectorOptions, type TraceStore } from '@threshold/collector';
import { afterAll, beforeAll } from 'vitest';
import { startClickHouseServer, type ClickHouseServer } from '../support/clickhouse-server.js';

/**
 * A storage engine the shared suite runs against. `setUp` starts what the engine needs (a private
 * ClickHouse server for the file); each `openStore` / `collectorOptions` is a fresh, empty store.
 */
export interface StoreEngine {
  name: 'duckdb' | 'clickhouse';
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  openStore(taskClasses?: TaskClassConfig): Promise<TraceStore>;
  /** Options that make `createCollector` open a fresh store of this engine; `shareWith` reuses one. */
  collectorOptions(shareWith?: Partial<CreateCollectorOptions>): Partial<CreateCollectorOptions>;
}

let databaseSeq = 0;
const freshDatabase = () => `threshold_test_${process.pid}_${databaseSeq++}`;

function duckDbEngine(): StoreEngine {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'threshold-store-'));
    dirs.push(dir);
    return dir;
  };
  return {
    name: 'duckdb',
    setUp: async () => undefined,
    tearDown: async () => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
    openStore: (taskClasses = DEFAULT_TASK_CLASS_CONFIG) =>
      DuckDbStore.open(freshDir(), { taskClasses, decodeRequest: decodeStoredRequest }),
    collectorOptions: (shareWith) => shareWith ?? { dataDir: freshDir() },
  };
}

function clickHouseEngine(): StoreEngine {
  let server: ClickHouseServer | undefined;
  const url = () => {
    if (!server) throw new Error('ClickHouse engine used before setUp');
    return server.url;
  };
  return {
    name: 'clickhouse',
    setUp: async () => {
      server = await startClickHouseServer();
    },
    tearDown: async () => {
      await server?.stop();
      server = undefined;
    },
    openStore: (taskClasses = DEFAULT_TASK_CLASS_CONFIG) =>
      ClickHouseStore.open({ url: url(), database: freshDatabase(), taskClasses, decodeRequest: decodeStoredRequest }),
    collectorOptions: (shareWith) => shareWith ?? { store: 'clickhouse', clickhouseUrl: url(), clickhouseDatabase: freshDatabase() },
  };
}

/** Both engines, for `describe.each`: every test of the suite runs on DuckDB and on ClickHouse. */
export const STORE_ENGINES: ReadonlyArray<{ engine: StoreEngine }> = [{ engine: duckDbEngine() }, { engine: clickHouseEngine() }];

/** The ClickHouse engine alone (replica tests). */
export const clickHouseOnly = clickHouseEngine;

/** Starts what every engine needs before the file's tests (a private ClickHouse server) and stops it after them. */
export function setUpStoreEngines(): void {
  beforeAll(async () => {
    for (const { engine } of STORE_ENGINES) await engine.setUp();
  }, 60_000);
  afterAll(async () => {
    for (const { engine } of STORE_ENGINES) await engine.tearDown();
  });
}
