import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';

/** Why a body could not be read: the route turns each into its HTTP status. */
export class BodyError extends Error {
  constructor(
    readonly status: 413 | 400 | 408 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** A request body: decompressed, and as it came on the wire. */
export interface ReadBody {
  body: Buffer;
  wire: Buffer;
  encoding: 'identity' | 'gzip' | 'deflate';
}

/** How long a body may go without a byte arriving: an exporter's whole export times out in 10 s. */
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 10_000;

/** The timer functions the idle timeout uses (tests pass fake ones). */
export interface BodyTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const SYSTEM_TIMERS: BodyTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export interface ReadBodyOptions {
  /** A body that sends no byte for this long is refused with 408 (default 10 s). */
  idleTimeoutMs?: number;
  timers?: BodyTimers;
}

/**
 * Reads a request body, decompressing `gzip`/`deflate` as it streams, and stops as soon as either
 * the bytes on the wire or the decompressed bytes pass `maxBytes`: a gzip bomb is refused after
 * inflating at most `maxBytes` (plus one zlib chunk), never in full. A body that stalls — no byte
 * for `idleTimeoutMs` — is refused with 408, so it gives its ingest slot back within seconds
 * instead of holding it until the server's request timeout.
 */
export function readBody(
  request: IncomingMessage,
  maxBytes: number,
  { idleTimeoutMs = DEFAULT_BODY_IDLE_TIMEOUT_MS, timers = SYSTEM_TIMERS }: ReadBodyOptions = {},
): Promise<ReadBody> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    return Promise.reject(new BodyError(413, `body of ${declaredLength} bytes exceeds the ${maxBytes}-byte limit`));
  }
  const decompressor =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'identity' || encoding === ''
          ? undefined
          : null;
  if (decompressor === null) {
    return Promise.reject(new BodyError(415, `unsupported Content-Encoding "${encoding}"`));
  }
  const wireEncoding = decompressor === undefined ? 'identity' : encoding === 'deflate' ? 'deflate' : 'gzip';
  return new Promise<ReadBody>((resolve, reject) => {
    const parts: Buffer[] = [];
    const wireParts: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;
    let idleTimer: unknown;
    const armIdleTimer = () => {
      if (idleTimer !== undefined) timers.clearTimeout(idleTimer);
      idleTimer = timers.setTimeout(
        () => fail(new BodyError(408, `no body bytes arrived for ${idleTimeoutMs} ms: send the body without pauses`)),
        idleTimeoutMs,
      );
    };
    const settle = () => {
      settled = true;
      if (idleTimer !== undefined) timers.clearTimeout(idleTimer);
    };
    const fail = (error: BodyError) => {
      if (settled) return;
      settle();
      request.unpipe();
      decompressor?.destroy();
      reject(error);
    };
    const tooLarge = (what: string) => fail(new BodyError(413, `${what} body exceeds the ${maxBytes}-byte limit`));
    const collect = (chunk: Buffer) => {
      if (settled) return;
      bodyBytes += chunk.length;
      if (bodyBytes > maxBytes) return tooLarge(decompressor ? 'decompressed' : 'request');
      parts.push(chunk);
    };
    const finish = () => {
      if (settled) return;
      settle();
      const body = Buffer.concat(parts, bodyBytes);
      resolve({ body, wire: decompressor ? Buffer.concat(wireParts, wireBytes) : body, encoding: wireEncoding });
    };
    armIdleTimer();
    request.on('data', (chunk: Buffer) => {
      if (!settled) armIdleTimer();
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) return tooLarge('request');
      if (decompressor) wireParts.push(chunk);
    });
    request.on('error', () => fail(new BodyError(400, 'request body was interrupted')));
    request.on('close', () => {
      if (!request.complete) fail(new BodyError(400, 'request body was interrupted'));
    });
    if (decompressor) {
      decompressor.on('data', collect);
      decompressor.on('end', finish);
      decompressor.on('error', () => fail(new BodyError(400, `body is not valid ${encoding} data`)));
      request.pipe(decompressor);
    } else {
      request.on('data', collect);
      request.on('end', finish);
    }
  });
}
