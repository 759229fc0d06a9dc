import { decodeTraceRequestJson, decodeTraceRequestProtobuf } from '../otlp/index.js';
import { capSpans } from '../security/span-caps.js';
import type { DecodeRequest } from './store.js';

/** Stored requests were accepted once, so they decode again; their spans are what ingest kept. */
export const decodeStoredRequest: DecodeRequest = (format, body) => {
  const spans = (format === 'protobuf' ? decodeTraceRequestProtobuf(body) : decodeTraceRequestJson(body)).spans;
  capSpans(spans); // the same caps as at ingest, so re-analysis sees what was first analysed
  return spans;
};
