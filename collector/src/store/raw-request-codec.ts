import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, inflateSync } from 'node:zlib';
import type { RawRequest } from './span-log.js';

const BROTLI_FASTEST = { params: { [constants.BROTLI_PARAM_QUALITY]: 0 } };

/**
 * Stored requests are kept compressed: a gzip or deflate request as it came, any other with
 * Brotli at quality 0 (OTLP repeats attribute keys, so a 250 KB protobuf request of 500 agent spans
 * becomes 28 KB). Synchronously, on purpose: measured on that request, 0.14 ms of CPU, where
 * zlib's asynchronous deflate at level 1 took 1.2 ms of CPU across the event loop and the thread pool.
 */
export function compressForStorage(request: RawRequest): RawRequest {
  if (request.encoding !== 'identity') return request;
  return { ...request, encoding: 'br', bytes: brotliCompressSync(request.bytes, BROTLI_FASTEST) };
}

/** The decompressed body of a stored request. */
export function storedRequestBody(encoding: string, bytes: Uint8Array): Uint8Array {
  if (encoding === 'gzip') return gunzipSync(bytes);
  if (encoding === 'deflate') return inflateSync(bytes);
  if (encoding === 'br') return brotliDecompressSync(bytes);
  return bytes;
}
