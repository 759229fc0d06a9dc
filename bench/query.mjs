#!/usr/bin/env node
/**
 * Query latency over a large store: 1,000,000 analysed traces and 10,000,000 spans, seeded into
 * DuckDB directly (INSERT … SELECT over range(), in the collector's own layout), then served by a
 * real collector process on loopback. Reports the median of repeated requests:
 *
 *   GET /api/stats (groupBy taskClass, service, name)   target < 100 ms
 *   GET /api/traces/:id (random ids)                    target < 20 ms
 *   GET /api/traces/:id of traces sent over OTLP after the seed: their span views derived from
 *     the stored spans (how the collector stores what it analyses), with the seeded million traces'
 *     index rows beside them
 *   GET /api/critical-path (the week, the last day, one task class)
 *
 *   node bench/query.mjs   (after `npx tsc -b`; QUERY_TRACES=200000 for a quicker run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, blobValue } from '@duckdb/node-api';
import { DUCKDB_FILE_NAME, DuckDbStore, decodeStoredRequest } from '../collector/dist/index.js';
import http from 'node:http';
import { copyTraceIds, freePort, postProtobuf, requestCopies, startCollectorProcess, stopCollectorProcess } from './_loopback.mjs';
import { agentRequestBodies } from './decode.mjs';

const TRACES = Number(process.env.QUERY_TRACES ?? 1_000_000);
const SPANS_PER_TRACE = 10;
const STATS_REPEATS = 15;
const DETAIL_REPEATS = 200;
/** Requests of 25 twenty-span agent turns sent after the seed, whose details are derived when read. */
const SENT_REQUESTS = 40;
const WINDOW_MS = 7 * 24 * 3_600_000;
const END_MS = Date.UTC(2026, 10, 1);

/** One trace's detail: ten spans as the analysis stores them (about 2.5 KB of JSON, stored as its bytes). */
const DETAIL_SQL = `'{"spans":[' || list_aggregate(list_transform(range(${SPANS_PER_TRACE}), s ->
  '{"spanId":"' || substr(md5(id::VARCHAR || '-' || s::VARCHAR), 1, 16) || '","name":"' ||
  CASE WHEN s = 0 THEN 'invoke_agent support-bot' WHEN s % 2 = 1 THEN 'chat gpt-4o' ELSE 'execute_tool search_docs' END ||
  '","category":"' || CASE WHEN s = 0 THEN 'task' WHEN s % 2 = 1 THEN 'llm' ELSE 'tool' END ||
  '","startOffsetMs":' || (s * 100)::VARCHAR || ',"durationMs":' || (duration_ms / 10)::VARCHAR ||
  ',"selfMs":12.5,"critical":true,"status":"ok","attributes":{"gen_ai.operation.name":"chat","gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":' || (800 + s)::VARCHAR || '}}'), 'string_agg', ',') ||
  '],"findings":[],"warnings":[]}'`;

async function seed(dataDir) {
  const taskClasses = { budgetsMs: {}, defaultBudgetMs: 5000, classByTaskName: {}, simpleMaxLlmCalls: 5, simpleMaxToolCalls: 5 };
  const schema = await DuckDbStore.open(dataDir, { taskClasses, decodeRequest: decodeStoredRequest });
  await schema.close();
  const instance = await DuckDBInstance.create(join(dataDir, DUCKDB_FILE_NAME));
  const connection = await instance.connect();
  const started = performance.now();
  await connection.run(`CREATE TEMP TABLE seed AS
    SELECT i AS id, md5(i::VARCHAR) AS trace_id,
      ${END_MS - WINDOW_MS} + (i * ${WINDOW_MS / TRACES})::DOUBLE AS start_ms,
      round(50 + 12000 * pow(random(), 3), 3) AS duration_ms,
      'service-' || (i % 5)::VARCHAR AS service, 'task-' || (i % 20)::VARCHAR AS name,
      CASE WHEN i % 4 = 0 THEN 'complex' ELSE 'simple' END AS task_class
    FROM range(${TRACES}) t(i)`);
  await connection.run(`INSERT INTO traces SELECT
      trace_id, start_ms, duration_ms, duration_ms * 0.4 AS perceived_ms, service, name, task_class,
      'session-' || (id % 50000)::VARCHAR, (id % 7)::INTEGER,
      CASE WHEN duration_ms < 100 THEN 'instant' WHEN duration_ms < 500 THEN 'responsive' WHEN duration_ms < 2000 THEN 'noticeable'
           WHEN duration_ms < 5000 THEN 'frustrating' WHEN duration_ms < 10000 THEN 'uncomfortable' ELSE 'broken' END,
      CASE WHEN duration_ms * 0.4 < 100 THEN 'instant' WHEN duration_ms * 0.4 < 500 THEN 'responsive' WHEN duration_ms * 0.4 < 2000 THEN 'noticeable'
           WHEN duration_ms * 0.4 < 5000 THEN 'frustrating' WHEN duration_ms * 0.4 < 10000 THEN 'uncomfortable' ELSE 'broken' END,
      CASE WHEN task_class = 'simple' THEN 2000 ELSE 5000 END,
      duration_ms > CASE WHEN task_class = 'simple' THEN 2000 ELSE 5000 END,
      ${SPANS_PER_TRACE}, 5, 4, 180 + (id % 300), id % 50 = 0,
      duration_ms * 0.6, duration_ms * 0.25, duration_ms * 0.05, duration_ms * 0.02, duration_ms * 0.08,
      4000 + (id % 900), ${SPANS_PER_TRACE}, encode(${DETAIL_SQL}),
      NULL, NULL, NULL -- the detail kept inline, as rows written before the blob log keep it
    FROM seed ORDER BY id`);
  // Raw requests: one real OTLP request body stands for the raw bytes; every trace is indexed to it.
  const { protobuf } = agentRequestBodies({ traces: 1, spansPerTrace: SPANS_PER_TRACE });
  await connection.run(`INSERT INTO span_requests VALUES (1, ${END_MS}, 'protobuf', 'identity', $1, NULL, NULL, NULL)`, [
    blobValue(protobuf),
  ]);
  await connection.run(`INSERT INTO span_batches SELECT trace_id, ${SPANS_PER_TRACE}, 1 FROM seed ORDER BY id`);
  await connection.run(`INSERT INTO span_facts SELECT s.trace_id, s.start_ms, s.service,
      CASE WHEN k % 3 = 0 THEN 'llm' WHEN k % 3 = 1 THEN 'tool' ELSE 'state' END,
      CASE WHEN k % 3 = 0 THEN 'chat' WHEN k % 3 = 1 THEN 'search_docs' ELSE 'load session' END,
      CASE WHEN k % 3 = 0 THEN (['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5'])[1 + (s.id % 3)] END,
      CASE WHEN k % 3 = 0 THEN 'openai' END, CASE WHEN k % 3 = 0 THEN s.id % 2 = 0 END,
      CASE WHEN k % 3 = 0 THEN 150 + (s.id % 400) END, CASE WHEN k % 3 = 0 THEN 15 + (s.id % 20) END,
      CASE WHEN k % 3 = 0 THEN 800 + k END, CASE WHEN k % 3 = 0 THEN 120 + k END,
      s.duration_ms / ${SPANS_PER_TRACE}, CASE WHEN k % 3 = 1 THEN k % 4 = 0 END, CASE WHEN k % 3 = 1 THEN k % 5 = 0 END,
      false, false, CASE WHEN k % 3 = 0 AND s.id % 2 = 0 THEN 20 + (s.id % 900) END, k % 3 = 0
    FROM seed s, range(${SPANS_PER_TRACE}) r(k) ORDER BY s.id`);
  // Critical paths by operation, five per trace, summing to its duration: slow tasks wait longer on the tool.
  await connection.run(
    `INSERT INTO critical_path_traces SELECT trace_id, start_ms, service, task_class, name, duration_ms FROM seed ORDER BY id`,
  );
  await connection.run(`INSERT INTO critical_path_operations SELECT s.trace_id, s.start_ms, s.service, s.task_class, s.name, s.duration_ms,
      o.category, CASE o.category WHEN 'llm' THEN (['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5'])[1 + (s.id % 3)] WHEN 'other' THEN s.name ELSE o.operation END,
      s.duration_ms * CASE WHEN s.duration_ms > 4000 THEN o.slow_share ELSE o.share END
    FROM seed s, (VALUES ('llm', 'chat', 0.6, 0.4), ('tool', 'search_docs', 0.25, 0.45), ('state', 'load session', 0.05, 0.05),
      ('orchestration', 'rate-limit wait', 0.02, 0.02), ('other', '', 0.08, 0.08)) o(category, operation, share, slow_share)
    ORDER BY s.id`);
  await connection.run('CHECKPOINT');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const [[traces, facts, critical]] = (
    await connection.runAndReadAll(
      'SELECT (SELECT count(*) FROM traces), (SELECT count(*) FROM span_facts), (SELECT count(*) FROM critical_path_operations)',
    )
  ).getRowsJS();
  const ids = (await connection.runAndReadAll(`SELECT trace_id FROM seed USING SAMPLE ${DETAIL_REPEATS} ROWS`))
    .getRowsJS()
    .map((row) => row[0]);
  connection.closeSync();
  instance.closeSync();
  console.log(
    `seeded ${Number(traces).toLocaleString('en-US')} traces (${SPANS_PER_TRACE} spans each in their stored detail), ${Number(facts).toLocaleString('en-US')} per-span rows ` +
      `and ${Number(critical).toLocaleString('en-US')} critical-path operation rows in ${seconds} s`,
  );
  return ids;
}

/**
 * Sends SENT_REQUESTS requests of 25 twenty-span agent turns (fresh ids), waits until the last
 * trace is served, and returns a sample of DETAIL_REPEATS of their ids, spread over the requests.
 */
async function sendTurns(port) {
  const { protobuf } = agentRequestBodies({ traces: 25, spansPerTrace: 20 });
  const copyOf = requestCopies(Buffer.from(protobuf));
  const idsOf = copyTraceIds(Buffer.from(protobuf));
  const agent = new http.Agent({ keepAlive: true });
  const ids = [];
  for (let request = 1; request <= SENT_REQUESTS; request++) {
    const status = await postProtobuf(agent, port, copyOf(request));
    if (status !== 200) throw new Error(`ingest answered ${status}`);
    ids.push(...idsOf(request));
  }
  agent.destroy();
  const last = `http://127.0.0.1:${port}/api/traces/${ids.at(-1)}`;
  const deadline = Date.now() + 60_000;
  while ((await fetch(last)).status !== 200) {
    if (Date.now() > deadline) throw new Error('the traces sent were not analysed within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const step = ids.length / DETAIL_REPEATS;
  return Array.from({ length: DETAIL_REPEATS }, (_, index) => ids[Math.floor(index * step)]);
}

async function timeRequests(urls) {
  const times = [];
  for (const url of urls) {
    const started = performance.now();
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    await response.arrayBuffer();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
}

const dataDir = mkdtempSync(join(tmpdir(), 'threshold-bench-query-'));
let collector;
try {
  const ids = await seed(dataDir);
  const port = await freePort();
  collector = await startCollectorProcess(port, ['--data-dir', dataDir]);
  const base = `http://127.0.0.1:${port}`;
  // Let start-up recovery (a scan for traces with unanalysed spans) finish before timing.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await timeRequests([`${base}/api/stats`, `${base}/api/traces/${ids[0]}`]);
  const format = ({ median, p90 }) => `median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms`;
  // The groupings take turns, so background work of the collector (alert evaluation, start-up
  // warm-up) falls on all of them alike rather than on whichever is measured first.
  const groupings = ['taskClass', 'service', 'name'];
  const timesByGrouping = new Map(groupings.map((groupBy) => [groupBy, []]));
  for (let run = 0; run < STATS_REPEATS; run++) {
    for (const groupBy of groupings) timesByGrouping.get(groupBy).push(await timeRequests([`${base}/api/stats?groupBy=${groupBy}`]));
  }
  for (const groupBy of groupings) {
    const times = timesByGrouping
      .get(groupBy)
      .map((result) => result.median)
      .sort((a, b) => a - b);
    const result = { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
    console.log(`GET /api/stats?groupBy=${groupBy.padEnd(9)} ${format(result)}  (target < 100 ms, ${STATS_REPEATS} runs)`);
  }
  const windowed = await timeRequests(
    Array.from({ length: STATS_REPEATS }, () => `${base}/api/stats?from=${END_MS - 86_400_000}&to=${END_MS}`),
  );
  console.log(`GET /api/stats (last day)      ${format(windowed)}`);
  const detail = await timeRequests(ids.map((id) => `${base}/api/traces/${id}`));
  console.log(
    `GET /api/traces/:id            ${format(detail)}  (target < 20 ms, ${ids.length} random ids; views stored in the seeded detail)`,
  );
  const sent = await sendTurns(port);
  const derived = await timeRequests(sent.map((id) => `${base}/api/traces/${id}`));
  console.log(
    `GET /api/traces/:id            ${format(derived)}  (target < 20 ms, ${sent.length} of the turns sent over OTLP; views derived from their stored spans)`,
  );
  const list = await timeRequests(Array.from({ length: STATS_REPEATS }, () => `${base}/api/traces?limit=50`));
  console.log(`GET /api/traces?limit=50       ${format(list)}`);
  // The dashboard's other views over the whole week, answered by DuckDB within its memory limit.
  const week = `from=${END_MS - WINDOW_MS}&to=${END_MS}`;
  for (const path of ['/api/timeseries', '/api/models', '/api/operations', '/api/sessions', '/api/filters']) {
    const result = await timeRequests(Array.from({ length: 5 }, () => `${base}${path}?${path === '/api/filters' ? '' : week}`));
    console.log(`GET ${path.padEnd(27)}${format(result)}  (whole week, 5 runs)`);
  }
  // Where the slow tail goes: thresholds over the window, then the operations of both groups.
  for (const [label, query] of [
    ['week, P95', `${week}&tail=95`],
    ['week, P99, complex', `${week}&tail=99&taskClass=complex`],
    ['last day, P95', `from=${END_MS - 86_400_000}&to=${END_MS}&tail=95`],
  ]) {
    const result = await timeRequests(Array.from({ length: STATS_REPEATS }, () => `${base}/api/critical-path?${query}`));
    console.log(`GET /api/critical-path (${label.padEnd(18)}) ${format(result)}  (${STATS_REPEATS} runs)`);
  }
} finally {
  if (collector) {
    await stopCollectorProcess(collector, 'SIGINT');
  }
  rmSync(dataDir, { recursive: true, force: true });
}
