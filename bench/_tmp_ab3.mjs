import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance, DuckDBDataChunk, BIGINT, VARCHAR, INTEGER, LIST, listValue } from '@duckdb/node-api';
import { compressForStorage } from '/work/main/collector/dist/store/raw-request-codec.js';
import { agentRequestBodies } from '/work/main/bench/decode.mjs';
import { requestCopies } from '/work/main/bench/_loopback.mjs';
const { protobuf } = agentRequestBodies({ traces: 25, spansPerTrace: 20 });
const copyOf = requestCopies(Buffer.from(protobuf));
const comp = []; for (let i = 0; i < 2200; i++) comp.push(compressForStorage({ format: 'protobuf', encoding: 'identity', bytes: copyOf(i) }));
const inst = await DuckDBInstance.create(join(mkdtempSync(join(tmpdir(), 'ab-')), 'x.duckdb'), { memory_limit: '256MB' });
const c = await inst.connect();
await c.run('create table r(id bigint, ms double, fmt varchar, enc varchar, b blob)');
await c.run('create table s(t varchar, id bigint, n integer)');
const N = 11;
const sql = 'insert into r values ' + Array.from({ length: N }, (_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`).join(', ');
const ps = await c.prepare(sql);
let ins = 0, sb = 0, lb = 0; const ps2 = await c.prepare('insert into s select unnest($1), unnest($2), unnest($3)'); let id = 0;
const e0 = performance.eventLoopUtilization(); let t = performance.now();
for (let k = 0; k < 200; k++) {
  await c.run('BEGIN TRANSACTION');
  let a = performance.now();
  const rows = comp.slice(k * N, k * N + N);
  rows.forEach((r, i) => { ps.bindBigInt(i * 5 + 1, BigInt(++id)); ps.bindDouble(i * 5 + 2, 1); ps.bindVarchar(i * 5 + 3, 'protobuf'); ps.bindVarchar(i * 5 + 4, 'br'); ps.bindBlob(i * 5 + 5, r.bytes); });
  await ps.run(); ins += performance.now() - a;
  a = performance.now();
  if (process.env.MODE === 'list') {
    ps2.bindList(1, listValue(Array.from({ length: 275 }, (_, i) => 'abcdefabcdefabcdefabcdefabcdef' + (i + k * 1000))), LIST(VARCHAR));
    ps2.bindList(2, listValue(Array.from({ length: 275 }, () => BigInt(id))), LIST(BIGINT));
    ps2.bindList(3, listValue(Array.from({ length: 275 }, () => 20)), LIST(INTEGER));
    const l0 = performance.now(); lb += l0 - a;
    await ps2.run();
  } else {
  const ap2 = await c.createAppender('s');
  const ch2 = DuckDBDataChunk.create([VARCHAR, BIGINT, INTEGER], 275);
  ch2.setColumns([Array.from({ length: 275 }, (_, i) => 'abcdefabcdefabcdefabcdefabcdef' + (i + k * 1000)), Array.from({ length: 275 }, () => BigInt(id)), Array.from({ length: 275 }, () => 20)]);
  ap2.appendDataChunk(ch2); ap2.flushSync(); ap2.closeSync(); }
  sb += performance.now() - a;
  await c.run('COMMIT');
}
const el = performance.now() - t; const e = performance.eventLoopUtilization(e0);
console.log(`prepared: per commit wall ${(el / 200).toFixed(2)} loop ${(e.active / 200).toFixed(2)} insert(wall) ${(ins / 200).toFixed(2)} batches ${(sb/200).toFixed(2)} listbind ${(lb/200).toFixed(2)}`);
const r = await c.runAndReadAll('select (select count(*) from r), (select count(*) from s), (select sum(n) from s)'); console.log(r.getRows());
