import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { compressForStorage } from '/work/main/collector/dist/store/raw-request-codec.js';
import { agentRequestBodies } from '/work/main/bench/decode.mjs';
import { requestCopies } from '/work/main/bench/_loopback.mjs';
const { protobuf } = agentRequestBodies({ traces: 25, spansPerTrace: 20 });
const copyOf = requestCopies(Buffer.from(protobuf));
let t = performance.now(); let bytes = 0; const comp = [];
for (let i = 0; i < 2200; i++) { const c = compressForStorage({ format: 'protobuf', encoding: 'identity', bytes: copyOf(i) }); comp.push(c); }
console.log('compress per request ms', ((performance.now() - t) / 2200).toFixed(3), 'raw', protobuf.length, 'stored', comp[0].bytes?.length ?? JSON.stringify(Object.keys(comp[0])));
const inst = await DuckDBInstance.create(join(mkdtempSync(join(tmpdir(), 'ab-')), 'x.duckdb'), { memory_limit: '256MB' });
const c = await inst.connect();
await c.run('create table r(id bigint, ms bigint, fmt varchar, enc varchar, b blob)');
await c.run('create table s(t varchar, id bigint, n integer)');
const { DuckDBDataChunk, BIGINT, VARCHAR, BLOB, INTEGER, blobValue } = await import('@duckdb/node-api');
let build = 0, app = 0, flush = 0, create = 0, commit = 0; let id = 0;
const e0 = performance.eventLoopUtilization(); t = performance.now();
for (let k = 0; k < 200; k++) {
  await c.run('BEGIN TRANSACTION');
  let a = performance.now(); const ap = await c.createAppender('r'); create += performance.now() - a;
  const rows = comp.slice(k * 11, k * 11 + 11);
  a = performance.now();
  const ch = DuckDBDataChunk.create([BIGINT, BIGINT, VARCHAR, VARCHAR, BLOB], rows.length);
  ch.setColumns([rows.map(() => BigInt(++id)), rows.map(() => 1n), rows.map(() => 'protobuf'), rows.map(() => 'br'), rows.map((r) => blobValue(r.bytes))]);
  build += performance.now() - a; a = performance.now(); ap.appendDataChunk(ch); app += performance.now() - a; a = performance.now(); ap.flushSync(); ap.closeSync(); flush += performance.now() - a;
  const ap2 = await c.createAppender('s');
  const ch2 = DuckDBDataChunk.create([VARCHAR, BIGINT, INTEGER], 275);
  ch2.setColumns([Array.from({ length: 275 }, (_, i) => 'abcdefabcdefabcdefabcdefabcdef' + (i + k * 1000)), Array.from({ length: 275 }, () => BigInt(id)), Array.from({ length: 275 }, () => 20)]);
  ap2.appendDataChunk(ch2); ap2.flushSync(); ap2.closeSync();
  a = performance.now(); await c.run('COMMIT'); commit += performance.now() - a;
}
const el = performance.now() - t; const e = performance.eventLoopUtilization(e0);
console.log(`per commit: wall ${(el / 200).toFixed(2)} loop ${(e.active / 200).toFixed(2)} createAppender ${(create / 200).toFixed(2)} build ${(build/200).toFixed(2)} appendChunk ${(app/200).toFixed(2)} flush ${(flush / 200).toFixed(2)} commit-wait ${(commit / 200).toFixed(2)}`);
