/**
 * The large hostile requests of issue 19's red-team pass, for the decode benchmark (bench/run.mjs
 * skips files starting with `_`): written straight into Buffers, as test/support/hostile-requests.ts
 * writes them for the tests.
 */

function varint(value) {
  let remaining = BigInt.asUintN(64, BigInt(value));
  const out = [];
  while (remaining >= 0x80n) {
    out.push(Number(remaining & 0x7fn) | 0x80);
    remaining >>= 7n;
  }
  out.push(Number(remaining));
  return Buffer.from(out);
}

const lengthField = (fieldNumber, payload) => Buffer.concat([varint((fieldNumber << 3) | 2), varint(payload.length), payload]);
const textField = (fieldNumber, text) => lengthField(fieldNumber, Buffer.from(text));
const intField = (fieldNumber, value) => Buffer.concat([varint(fieldNumber << 3), varint(value)]);
const timeField = (fieldNumber, nanos) => {
  const field = Buffer.alloc(9);
  field[0] = (fieldNumber << 3) | 1;
  field.writeBigUInt64LE(nanos, 1);
  return field;
};
const keyValue = (key, anyValue) => Buffer.concat([textField(1, key), lengthField(2, anyValue)]);
const spanAttribute = (key, anyValue) => lengthField(9, keyValue(key, anyValue));
const nowNs = () => BigInt(Date.now() - 60_000) * 1_000_000n;
const idOf = (n, bytes) => n.toString(16).padStart(2 * bytes, '0');

function span({ traceId, spanId, name = 'step', startNs = nowNs(), extra = [] }) {
  return Buffer.concat([
    lengthField(1, Buffer.from(traceId, 'hex')),
    lengthField(2, Buffer.from(spanId, 'hex')),
    textField(5, name),
    timeField(7, startNs),
    timeField(8, startNs + 5_000_000n),
    ...extra,
  ]);
}

function request(service, spans) {
  const resource = lengthField(1, keyValue('service.name', textField(1, service)));
  const scopeSpans = Buffer.concat([lengthField(1, textField(1, 'hostile')), ...spans.map((fields) => lengthField(2, fields))]);
  return lengthField(1, Buffer.concat([lengthField(1, resource), lengthField(2, scopeSpans)]));
}

/** One span of `count` small int attributes (900,000: 14.5 MiB). */
export function manyAttributesRequest(count, trace = 1) {
  const attributes = [];
  for (let index = 0; index < count; index++) attributes.push(spanAttribute(`a${index}`, intField(3, index)));
  return request('hostile', [span({ traceId: idOf(trace, 16), spanId: idOf(1, 8), extra: [Buffer.concat(attributes)] })]);
}

/** Trace `trace`'s id, or with traces of `spansPerTrace` spans, the id of the one span `index` falls in. */
const traceIdFor = (trace, index, spansPerTrace) => idOf(trace * 1_000_000 + Math.floor(index / spansPerTrace), 16);

/** `count` spans, two attributes each (100,000: 9.4 MiB), all of one trace unless `spansPerTrace` says. */
export function manySpansRequest(count, trace = 1, spansPerTrace = count) {
  const spans = [];
  for (let index = 0; index < count; index++) {
    spans.push(
      span({
        traceId: traceIdFor(trace, index, spansPerTrace),
        spanId: idOf(index + 1, 8),
        extra: [spanAttribute('gen_ai.request.model', textField(1, 'gpt-4o')), spanAttribute('n', intField(3, index))],
      }),
    );
  }
  return request('hostile', spans);
}

/** A 10 MiB service name and two 10 MiB attribute keys. */
export function poisonRequest(trace = 1) {
  const long = (letter) => letter.repeat(10 * 1024 * 1024);
  return request(long('s'), [
    span({
      traceId: idOf(trace, 16),
      spanId: idOf(1, 8),
      extra: [spanAttribute(long('k'), textField(1, 'v')), spanAttribute(long('q'), textField(1, 'v'))],
    }),
  ]);
}

/** OTLP/JSON of about `megabytes` MiB: spans of three GenAI attributes, all of one trace unless `spansPerTrace` says. */
export function largeJsonRequest(megabytes, trace = 1, spansPerTrace = Infinity) {
  const spans = [];
  let size = 0;
  const startNs = nowNs();
  for (let index = 0; size < megabytes * 1024 * 1024 - 2_000; index++) {
    const item = {
      traceId: traceIdFor(trace, index, spansPerTrace),
      spanId: idOf(index + 1, 8),
      name: 'chat gpt-4o',
      startTimeUnixNano: String(startNs + BigInt(index)),
      endTimeUnixNano: String(startNs + BigInt(index) + 5_000_000n),
      attributes: [
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: String(index) } },
        { key: 'gen_ai.system', value: { stringValue: 'openai' } },
      ],
    };
    size += JSON.stringify(item).length + 1;
    spans.push(item);
  }
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hostile' } }] }, scopeSpans: [{ spans }] }],
    }),
  );
}
