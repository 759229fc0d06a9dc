import { decodeTraceRequestJson, decodeTraceRequestProtobuf } from '../otlp/index.js';
import type { DecodeRequest } from './store.js';

/** Stored requests were accepted once, so they decode again; their spans are what ingest kept. */
export const decodeStoredRequest: DecodeRequest = (format, body) =>
  (format === 'protobuf' ? decodeTraceRequestProtobuf(body) : decodeTraceRequestJson(body)).spans;
