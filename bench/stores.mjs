#!/usr/bin/env node
/**
 * DuckDB against ClickHouse on the same data. For each store a collector runs as its own process
 * (`threshold start --store …`, ClickHouse a private server on loopback started like the tests
 * start it), and receives the same protobuf requests of realistic agent spans (25 traces × 10
 * spans each, trace ids made unique per request) from 4 keep-alive clients. Reported:
 *
 *   ingest        spans/s acknowledged durable
 *   analysed      spans/s from the first request until every trace is analysed and queryable
 *   /api/stats    median of 15 (groupBy taskClass, then groupBy name)
 *   /api/traces/:id  median of 200 random ids
 *   /api/critical-path  median of 15 (P95, then P99)
 *
 *   node bench/stores.mjs   (after `npx tsc -b`; STORES_REQUESTS=800 for more data, default 400)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { decodeTraceRequestProtobuf } from '../collector/dist/otlp/index.js';
import { freePort, postProtobuf, requestCopies, startCollectorProcess, stopCollectorProcess } from './_loopback.mjs';
import { agentRequestBodies } from './decode.mjs';

const REQUESTS = Number(process.env.STORES_REQUESTS ?? 400);
const CLIENTS = 4;
const TRACES_PER_REQUEST = 25;
const SPANS_PER_TRACE = 10;
const STATS_REPEATS = 15;
const DETAIL_REPEATS = 200;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timedGet(url) {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - started;
}

const { protobuf, spanCount } = agentRequestBodies({ traces: TRACES_PER_REQUEST, spansPerTrace: SPANS_PER_TRACE });
const copyOf = requestCopies(Buffer.from(protobuf));
/** Request `index`: its trace ids fixed by the index (so they can be listed again), its times current. */
const requestBody = (index) => copyOf(index + 1);
const traceIdsOf = (index) => [...new Set(decodeTraceRequestProtobuf(requestBody(index)).spans.map((span) => span.traceId))];

async function measure(name, storeArgs) {
  const port = await freePort();
  const collector = await startCollectorProcess(port, ['--quiet-period-ms', '500', ...storeArgs]);
  const base = `http://127.0.0.1:${port}`;
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    let next = 0;
    let refused = 0;
    const client = async () => {
      while (next < REQUESTS) {
        const index = next++;
        let status = await postProtobuf(agent, port, requestBody(index));
        while (status === 503) {
          refused++;
          await new Promise((resolve) => setTimeout(resolve, 20));
          status = await postProtobuf(agent, port, requestBody(index));
        }
        if (status !== 200) throw new Error(`unexpected status ${status}`);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const ingestMs = performance.now() - started;
    agent.destroy();
    const traces = REQUESTS * TRACES_PER_REQUEST;
    for (;;) {
      const list = await (await fetch(`${base}/api/traces?limit=1`)).json();
      const state = await (await fetch(`${base}/api/health`)).json();
      if (list.total >= traces && state.pendingTraces === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const analysedMs = performance.now() - started;
    const statsMs = [];
    for (const groupBy of ['taskClass', 'name']) {
      await timedGet(`${base}/api/stats?groupBy=${groupBy}`);
      for (let i = 0; i < STATS_REPEATS; i++) statsMs.push(await timedGet(`${base}/api/stats?groupBy=${groupBy}`));
    }
    const criticalPathMs = [];
    for (const tail of [95, 99]) {
      await timedGet(`${base}/api/critical-path?tail=${tail}`);
      for (let i = 0; i < STATS_REPEATS; i++) criticalPathMs.push(await timedGet(`${base}/api/critical-path?tail=${tail}`));
    }
    const detailMs = [];
    for (let i = 0; i < DETAIL_REPEATS; i++) {
      const ids = traceIdsOf(Math.floor(Math.random() * REQUESTS));
      detailMs.push(await timedGet(`${base}/api/traces/${ids[Math.floor(Math.random() * ids.length)]}`));
    }
    const spans = REQUESTS * spanCount;
    return {
      name,
      ingest: (spans * 1000) / ingestMs,
      analysed: (spans * 1000) / analysedMs,
      statsMs: median(statsMs),
      detailMs: median(detailMs),
      criticalPathMs: median(criticalPathMs),
      refused,
    };
  } finally {
    await stopCollectorProcess(collector);
  }
}

const { startClickHouseServer } = await tsImport('../test/support/clickhouse-server.ts', import.meta.url);
const dataDir = mkdtempSync(join(tmpdir(), 'threshold-bench-stores-'));
const clickhouse = await startClickHouseServer();
const results = [];
try {
  console.log(
    `data: ${REQUESTS} requests × ${spanCount} spans (${(REQUESTS * spanCount).toLocaleString('en-US')} spans, ${(REQUESTS * TRACES_PER_REQUEST).toLocaleString('en-US')} traces); ClickHouse ${clickhouse.version}`,
  );
  results.push(await measure('DuckDB', ['--data-dir', dataDir]));
  results.push(
    await measure('ClickHouse', ['--store', 'clickhouse', '--clickhouse-url', clickhouse.url, '--clickhouse-database', 'bench']),
  );
} finally {
  await clickhouse.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
const number = (value) => Math.round(value).toLocaleString('en-US');
console.log(
  '| store | ingest (spans/s) | ingest → analysed (spans/s) | /api/stats median | /api/traces/:id median | /api/critical-path median |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const result of results) {
  console.log(
    `| ${result.name} | ${number(result.ingest)} | ${number(result.analysed)} | ${result.statsMs.toFixed(1)} ms | ${result.detailMs.toFixed(1)} ms | ${result.criticalPathMs.toFixed(1)} ms |` +
      (result.refused > 0 ? ` (${result.refused} answered 503, retried)` : ''),
  );
}
