/**
 * A span as it arrives, decoded from OTLP but not yet interpreted: the storage-neutral input to
 * everything in Threshold. Times stay in integer nanoseconds (bigint) so no precision is lost
 * before offsets are taken inside a trace.
 */

/** An OTLP attribute value, flattened: int64 becomes a number when safe, else its decimal string. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

/** OTLP status codes. */
export type StatusCode = 0 | 1 | 2;

export type SpanStatus = 'unset' | 'ok' | 'error';

export interface SpanEventRecord {
  /** Event name, e.g. `threshold.first_output` or `ai.stream.firstChunk`. */
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

export interface SpanRecord {
  /** 32 lower-case hex characters. */
  traceId: string;
  /** 16 lower-case hex characters. */
  spanId: string;
  /** 16 lower-case hex characters; absent for a root. */
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer). */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  statusCode: StatusCode;
  statusMessage?: string;
  /** `service.name` of the span's resource ('unknown_service' when absent). */
  service: string;
  /** Instrumentation scope name, when given. */
  scope?: string;
  attributes: Attributes;
  events: SpanEventRecord[];
}

export function statusName(code: StatusCode): SpanStatus {
  return code === 2 ? 'error' : code === 1 ? 'ok' : 'unset';
}
