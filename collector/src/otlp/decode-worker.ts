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
import type { DecodeResult } from './decode-result.js';
import { decodeTraceRequestJson } from './json-trace-request.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { decodeTraceRequestProtobuf } from './protobuf-trace-request.js';

/**
 * Weight of the spans sent per message, a span counting its fields and its values (see
 * spanWeight). Structured clone reads spans back at 70-100 ns a value on this machine (a span of
 * two attributes in 1 µs, an agent span of ten attributes and an event in 3 µs), so a chunk
 * costs the event loop about 3 ms, and the hop there and back is a small part of it.
 */
const CHUNK_WEIGHT = 32_768;
/** What a span's own fields weigh (ids, name, kind, times, status, service, scope), and an event's. */
const SPAN_FIELDS_WEIGHT = 12;
const EVENT_FIELDS_WEIGHT = 4;

const port = parentPort!;
const post = (message: DecodeWorkerMessage) => port.postMessage(message);

/** What is still to be sent of the job in hand: its spans in chunks, then its account. */
let unsent: DecodeWorkerMessage[] = [];

/**
 * A job: decode, then send the first chunk. Each later chunk waits for the pool to ask for it
 * ('next'): Node hands a port's queued messages to the event loop all in one turn, so chunks sent
 * at once would be read back in one long block, as if they were one message.
 */
port.on('message', (message: DecodeJob | { kind: 'next' }) => {
  if ('kind' in message) {
    sendNext();
    return;
  }
  unsent = decodeInChunks(message);
  sendNext();
});

function sendNext(): void {
  const message = unsent.shift();
  if (message) post(message);
}

function decodeInChunks(job: DecodeJob): DecodeWorkerMessage[] {
  let result: DecodeResult;
  try {
    const body = new Uint8Array(job.body);
    result = job.format === 'protobuf' ? decodeTraceRequestProtobuf(body) : decodeTraceRequestJson(body);
  } catch (error) {
    return [
      { kind: 'failed', malformed: error instanceof OtlpDecodeError, message: error instanceof Error ? error.message : String(error) },
    ];
  }
  const { spans, rejectedSpans, rejectionMessage, truncation } = result;
  const messages: DecodeWorkerMessage[] = [];
  let chunkStart = 0;
  let weight = 0;
  for (let index = 0; index < spans.length; index++) {
    weight += spanWeight(spans[index]);
    if (weight >= CHUNK_WEIGHT || index === spans.length - 1) {
      messages.push({ kind: 'spans', spans: spans.slice(chunkStart, index + 1) });
      chunkStart = index + 1;
      weight = 0;
    }
  }
  messages.push({
    kind: 'done',
    rejectedSpans,
    ...(rejectionMessage !== undefined ? { rejectionMessage } : {}),
    ...(truncation !== undefined ? { truncation } : {}),
  });
  return messages;
}

/** How many values a span holds: its fields, attributes, list items and events (bounded by the span caps). */
function spanWeight(span: SpanRecord): number {
  let weight = SPAN_FIELDS_WEIGHT + valuesWeight(span.attributes);
  for (const event of span.events) weight += EVENT_FIELDS_WEIGHT + valuesWeight(event.attributes);
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
