/**
 * The one error the OTLP decoders throw: the body is not a well-formed OTLP trace request.
 * The ingest route answers 400 with its message, so messages say what was wrong and where
 * ("resourceSpans must be an array", "truncated varint at byte 17").
 */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
