import { writeLengthDelimitedField, writeStringField, writeVarintField } from '../otlp/protobuf-writer.js';

/**
 * The rich error a gRPC answer carries in its `grpc-status-details-bin` trailer, for what the
 * status code alone cannot say: how long to wait before retrying. OTLP/gRPC exporters retry
 * UNAVAILABLE and RESOURCE_EXHAUSTED with the delay of a `google.rpc.RetryInfo` when there is one
 * (the OTLP spec's throttling rule); it is the gRPC form of HTTP's Retry-After.
 *
 *   google.rpc.Status    { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
 *   google.protobuf.Any  { string type_url = 1; bytes value = 2; }
 *   google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1; }
 *   google.protobuf.Duration { int64 seconds = 1; int32 nanos = 2; }
 */

export const STATUS_DETAILS_TRAILER = 'grpc-status-details-bin';
export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/** A google.rpc.Status, with a RetryInfo of `retryAfterSeconds` in its details when given. */
export function encodeRpcStatus(code: number, message: string, retryAfterSeconds?: number): Buffer {
  const status: number[] = [];
  if (code !== 0) writeVarintField(status, 1, code);
  if (message !== '') writeStringField(status, 2, message);
  if (retryAfterSeconds !== undefined) {
    const duration: number[] = [];
    if (retryAfterSeconds !== 0) writeVarintField(duration, 1, retryAfterSeconds);
    const retryInfo: number[] = [];
    writeLengthDelimitedField(retryInfo, 1, duration);
    const any: number[] = [];
    writeStringField(any, 1, RETRY_INFO_TYPE_URL);
    writeLengthDelimitedField(any, 2, retryInfo);
    writeLengthDelimitedField(status, 3, any);
  }
  return Buffer.from(status);
}
