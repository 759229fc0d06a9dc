import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An exporter gives a whole export 10 s; a request still arriving after 30 s only holds resources. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;
/** Longer than the 60 s idle timeout of common load balancers, so they close first, never mid-request. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface HttpListenerOptions {
  host: string;
  /** 0 picks a free port (see the `port` and `url` it resolves with). */
  port: number;
  /** Longest time to receive a whole request, headers and body; then 408 and the connection closed. */
  requestTimeoutMs: number;
}

export interface HttpListener {
  server: Server;
  port: number;
  /** `http://host:port`, the IPv6 host in brackets. */
  url: string;
}

/** A JSON answer to a malformed request the HTTP parser or the request timeout refused. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (socket.writable && !(socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    const [status, reason, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request did not arrive in full in time: send it without pauses']
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', 'the request headers are too large']
          : [400, 'Bad Request', 'malformed HTTP request'];
    const body = JSON.stringify({ error: message });
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * The process's one listening HTTP server: the request timeout bounds slow and stalled senders
 * (checked every tenth of it, between 50 ms and 1 s), and what the HTTP parser refuses is
 * answered in JSON like every other error. Rejects with the listen error (EADDRINUSE, …).
 */
export async function listenHttp(handler: RequestListener, { host, port, requestTimeoutMs }: HttpListenerOptions): Promise<HttpListener> {
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(requestTimeoutMs / 10))),
    },
    handler,
  );
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { server, port: bound, url: `http://${urlHost}:${bound}` };
}
