/**
 * A decode pool thread (see decode-pool.ts): decodes request bodies too large to decode on the
 * collector's event loop, by the very decoders ingest runs inline, and posts the spans back in
 * chunks of bounded weight. Receiving a message costs the event loop about what decoding it would
 * have (structured clone builds the same objects), but one chunk at a time: each message is its
 * own turn of the loop, a few milliseconds long, instead of one turn of seconds.
 */
import { parentPort } from 'node:worker_threads';
import type { AttributeValue, SpanRecord } from '@threshold/core';
import type { DecodeJob, DecodeWorkerMessage } from './decode-pool.js';
import { decodeTraceRequestJson } from './json-trace-request.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { decodeTraceRequestProtobuf } from './protobuf-trace-request.js';

/**
 * Values (attributes, list items, events, spans) per message. Structured clone reads back about
 * 200-400 values per 100 µs here, so a chunk costs the event loop a few milliseconds.
 */
const CHUNK_WEIGHT = 32_768;

const port = parentPort!;
const post = (message: DecodeWorkerMessage) => port.postMessage(message);

port.on('message', (job: DecodeJob) => {
  let spans: SpanRecord[];
  let account: Extract<DecodeWorkerMessage, { kind: 'done' }>;
  try {
    const body = new Uint8Array(job.body);
    const result = job.format === 'protobuf' ? decodeTraceRequestProtobuf(body) : decodeTraceRequestJson(body);
    spans = result.spans;
    account = {
      kind: 'done',
      rejectedSpans: result.rejectedSpans,
      ...(result.rejectionMessage !== undefined ? { rejectionMessage: result.rejectionMessage } : {}),
      ...(result.truncation !== undefined ? { truncation: result.truncation } : {}),
    };
  } catch (error) {
    post({ kind: 'failed', malformed: error instanceof OtlpDecodeError, message: error instanceof Error ? error.message : String(error) });
    return;
  }
  let chunkStart = 0;
  let weight = 0;
  for (let index = 0; index < spans.length; index++) {
    weight += spanWeight(spans[index]);
    if (weight >= CHUNK_WEIGHT) {
      post({ kind: 'spans', spans: spans.slice(chunkStart, index + 1) });
      chunkStart = index + 1;
      weight = 0;
    }
  }
  if (chunkStart < spans.length) post({ kind: 'spans', spans: spans.slice(chunkStart) });
  post(account);
});

/** How many values a span holds: itself, its attributes, list items and events (bounded by the span caps). */
function spanWeight(span: SpanRecord): number {
  let weight = 1 + valuesWeight(span.attributes);
  for (const event of span.events) weight += 1 + valuesWeight(event.attributes);
  return weight;
}

function valuesWeight(values: Record<string, AttributeValue> | AttributeValue[]): number {
  let weight = 0;
  for (const value of Array.isArray(values) ? values : Object.values(values)) {
    weight++;
    if (value !== null && typeof value === 'object') weight += valuesWeight(value);
  }
  return weight;
}
