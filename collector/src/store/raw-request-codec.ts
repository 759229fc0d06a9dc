import { promisify } from 'node:util';
import { deflate, gunzipSync, inflateSync } from 'node:zlib';
import type { RawRequest } from './store.js';

const deflateAsync = promisify(deflate);

/**
 * Stored requests are kept compressed: a gzip request as it came, any other deflated at level 1
 * on the thread pool (OTLP repeats attribute keys, so this shrinks it several times for little
 * CPU, and none of it on the event loop).
 */
export async function compressForStorage(request: RawRequest): Promise<RawRequest> {
  if (request.encoding !== 'identity') return request;
  return { ...request, encoding: 'deflate', bytes: await deflateAsync(request.bytes, { level: 1 }) };
}

/** The decompressed body of a stored request. */
export function storedRequestBody(encoding: string, bytes: Uint8Array): Uint8Array {
  if (encoding === 'gzip') return gunzipSync(bytes);
  if (encoding === 'deflate') return inflateSync(bytes);
  return bytes;
}
