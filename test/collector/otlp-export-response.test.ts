import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
// The OpenTelemetry JS project's own protobuf reader: an independent check of the Status bytes.
import { ProtobufReader } from '@opentelemetry/otlp-transformer/build/src/common/protobuf/protobuf-reader.js';
import { describe, expect, it } from 'vitest';
import { encodeExportResponse, encodeStatus } from '../../collector/src/otlp/index.js';

/** Moves the reader past a field this check does not read (ProtobufReader's own `skip`). */
const passOver = (reader: ProtobufReader, wireType: number) => reader['skip'](wireType);

/** google.rpc.Status { int32 code = 1; string message = 2; repeated Any details = 3; } */
function readStatus(bytes: Uint8Array): { code: number; message: string; fields: number[] } {
  const reader = new ProtobufReader(bytes);
  const status = { code: 0, message: '', fields: [] as number[] };
  while (!reader.isAtEnd()) {
    const { fieldNumber, wireType } = reader.readTag();
    status.fields.push(fieldNumber);
    if (fieldNumber === 1 && wireType === 0) status.code = reader.readVarint();
    else if (fieldNumber === 2 && wireType === 2) status.message = reader.readString();
    else passOver(reader, wireType);
  }
  return status;
}

describe('export responses read back by the official OpenTelemetry client code', () => {
  it('answers a full success with an empty message in both encodings', () => {
    const protobuf = encodeExportResponse('protobuf') as Uint8Array;

    expect(protobuf).toEqual(new Uint8Array(0));
    expect(ProtobufTraceSerializer.deserializeResponse(protobuf)).toEqual({});
    expect(encodeExportResponse('json')).toBe('{}');
    expect(JsonTraceSerializer.deserializeResponse(new TextEncoder().encode('{}'))).toEqual({});
  });

  it('carries a partial success the exporters can read', () => {
    const partial = { rejectedSpans: 2, errorMessage: '2 spans rejected: invalid span id (1), end before start (1)' };

    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse('protobuf', partial) as Uint8Array)).toEqual({
      partialSuccess: partial,
    });
    const json = encodeExportResponse('json', partial) as string;
    expect(JsonTraceSerializer.deserializeResponse(new TextEncoder().encode(json))).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: partial.errorMessage },
    });
  });

  it('encodes a large rejected count and a non-ASCII message exactly', () => {
    const partial = { rejectedSpans: 300_000, errorMessage: 'spans rejected — end before start' };

    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse('protobuf', partial) as Uint8Array)).toEqual({
      partialSuccess: partial,
    });
  });

  it('treats zero rejected and no message as a full success, as the spec does', () => {
    expect(encodeExportResponse('protobuf', { rejectedSpans: 0, errorMessage: '' })).toEqual(new Uint8Array(0));
    expect(encodeExportResponse('json', { rejectedSpans: 0, errorMessage: '' })).toBe('{}');
  });

  it('encodes google.rpc.Status with code, message and no details', () => {
    const message = 'resourceSpans must be an array';

    expect(readStatus(encodeStatus('protobuf', 3, message) as Uint8Array)).toEqual({ code: 3, message, fields: [1, 2] });
    expect(JSON.parse(encodeStatus('json', 3, message) as string)).toEqual({ code: 3, message, details: [] });
    expect(readStatus(encodeStatus('protobuf', 0, '') as Uint8Array)).toEqual({ code: 0, message: '', fields: [] });
  });
});
