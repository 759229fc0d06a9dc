import type { ClickHouseHttp } from './clickhouse-http.js';
import { sqlList, sqlLiteral } from './sql-literal.js';

/** Most ids written into one `IN (…)` list of a mutation. */
const IN_LIST_MAX = 1000;
/** How often the server is asked whether the deletes have been applied. */
const POLL_MS = 50;
/** Longest wait for the deletes; beyond, the pass fails and the next one finds the rest. */
const MUTATION_WAIT_MS = 120_000;

const TABLES = ['traces', 'span_batches', 'span_requests'] as const;

type ReadRows = (sql: string) => Promise<unknown[][]>;

/**
 * Retention on ClickHouse, which (18.16 and later) has no transactional DELETE: rows go by
 * `ALTER TABLE … DELETE` mutations that the server applies in the background. This removes up to
 * `maxTraces` analysed traces that started before `cutoffMs`, oldest first, with their per-trace
 * index rows and every stored request no remaining trace refers to; then it waits until the server
 * reports the mutations done, so the next call does not find the same traces again (the schedule
 * repeats while a call removes `maxTraces`, and must end). Returns how many traces it removed.
 *
 * A mutation rewrites the data parts holding matching rows, so the cost is proportional to the
 * parts touched, not to the rows removed: the schedule's large steps (thousands of traces) keep
 * the number of mutations small.
 */
export async function deleteTracesBefore(read: ReadRows, http: ClickHouseHttp, cutoffMs: number, maxTraces: number): Promise<number> {
  const limit = Math.max(1, Math.floor(maxTraces));
  const rows = await read(
    `SELECT trace_id FROM traces FINAL WHERE start_ms < ${sqlLiteral(cutoffMs)} ORDER BY start_ms, trace_id LIMIT ${sqlLiteral(limit)}`,
  );
  const traceIds = rows.map((row) => row[0] as string);
  for (let i = 0; i < traceIds.length; i += IN_LIST_MAX) {
    const list = sqlList(traceIds.slice(i, i + IN_LIST_MAX));
    // A request may also hold spans of traces that stay: only requests no other trace refers to go.
    const orphans = await read(
      `SELECT DISTINCT request_id FROM span_batches WHERE trace_id IN ${list} AND request_id NOT IN
         (SELECT request_id FROM span_batches WHERE trace_id NOT IN ${list} AND request_id IN (SELECT request_id FROM span_batches WHERE trace_id IN ${list}))`,
    );
    const requestIds = orphans.map((row) => row[0] as string);
    await http.command(`ALTER TABLE traces DELETE WHERE trace_id IN ${list}`);
    await http.command(`ALTER TABLE span_batches DELETE WHERE trace_id IN ${list}`);
    for (let j = 0; j < requestIds.length; j += IN_LIST_MAX) {
      await http.command(`ALTER TABLE span_requests DELETE WHERE request_id IN ${sqlList(requestIds.slice(j, j + IN_LIST_MAX))}`);
    }
  }
  if (traceIds.length > 0) await waitForMutations(read);
  return traceIds.length;
}

async function waitForMutations(read: ReadRows): Promise<void> {
  const deadlineMs = Date.now() + MUTATION_WAIT_MS;
  for (;;) {
    const [[running]] = await read(
      `SELECT toFloat64(count()) FROM system.mutations WHERE database = currentDatabase() AND table IN ${sqlList([...TABLES])} AND is_done = 0`,
    );
    if (running === 0) return;
    if (Date.now() > deadlineMs)
      throw new Error(`ClickHouse retention: ${String(running)} deletes still being applied after ${MUTATION_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
