/**
 * A row of the span log's per-trace index (`span_batches`): how many spans of one trace one
 * stored request holds. Both engines write one per trace of a request; the request id is the
 * engine's own (DuckDB a counter, ClickHouse a string that sorts in arrival order across replicas).
 */
export interface SpanBatchRow<RequestId = number> {
  traceId: string;
  spanCount: number;
  requestId: RequestId;
}

/** One row per trace of a request. */
export function toSpanBatchRows<RequestId>(traceSpanCounts: ReadonlyMap<string, number>, requestId: RequestId): SpanBatchRow<RequestId>[] {
  const rows: SpanBatchRow<RequestId>[] = [];
  for (const [traceId, spanCount] of traceSpanCounts) rows.push({ traceId, spanCount, requestId });
  return rows;
}
