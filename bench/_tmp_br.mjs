import { performance } from 'node:perf_hooks';
import { brotliCompress, brotliCompressSync, constants } from 'node:zlib';
import { promisify } from 'node:util';
import { agentRequestBodies } from '/work/main/bench/decode.mjs';
import { requestCopies } from '/work/main/bench/_loopback.mjs';
const { protobuf } = agentRequestBodies({ traces: 25, spansPerTrace: 20 });
const copyOf = requestCopies(Buffer.from(protobuf));
const bodies = Array.from({ length: 1000 }, (_, i) => copyOf(i));
const p = promisify(brotliCompress);
for (const chunk of [16384, 1 << 20]) {
  const opts = { chunkSize: chunk, params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_SIZE_HINT]: protobuf.length } };
  const e0 = performance.eventLoopUtilization(); const c0 = process.cpuUsage(); const t = performance.now();
  for (let i = 0; i < 1000; i += 4) await Promise.all(bodies.slice(i, i + 4).map((b) => p(b, opts)));
  const e = performance.eventLoopUtilization(e0); const c = process.cpuUsage(c0);
  console.log(`async chunk ${chunk}: wall/req ${((performance.now() - t) / 1000).toFixed(3)} loop/req ${(e.active / 1000).toFixed(3)} cpu/req ${((c.user + c.system) / 1e6).toFixed(3)}`);
}
const c0 = process.cpuUsage(); const t = performance.now();
for (const b of bodies) brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 0 } });
const c = process.cpuUsage(c0);
console.log(`sync: wall/req ${((performance.now() - t) / 1000).toFixed(3)} cpu/req ${((c.user + c.system) / 1e6).toFixed(3)}`);
