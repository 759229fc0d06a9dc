import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export interface RawRequest {
  method?: string;
  /** Sent exactly as given: `/API/traces`, `http://host/api/traces`, `*`, `/a/../b`. */
  target: string;
  /** Host defaults to 127.0.0.1:<port>; pass `host: ''` to send none. */
  headers?: Record<string, string>;
  body?: string;
}

function decodeChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) return Buffer.concat(parts);
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/**
 * One HTTP/1.1 request over a plain socket, so a test can send request targets no URL class
 * would let through (fetch and http.request normalise them). The connection is closed after
 * the answer; an event stream is answered as soon as its headers arrive.
 */
export function rawRequest(port: number, { method = 'GET', target, headers = {}, body }: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const lines = [`${method} ${target} HTTP/1.1`];
    const all: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close', ...headers };
    if (body !== undefined) all['content-length'] = String(Buffer.byteLength(body));
    for (const [name, value] of Object.entries(all)) if (value !== '') lines.push(`${name}: ${value}`);
    const socket = connect(port, '127.0.0.1', () => socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`));
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${method} ${target} within 10 s`)));
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (streamed: boolean) => {
      if (settled) return;
      const headerEnd = received.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        if (!streamed) reject(new Error(`no HTTP answer to ${method} ${target}: ${received.toString('latin1')}`));
        return;
      }
      const [statusLine, ...headerLines] = received.subarray(0, headerEnd).toString('latin1').split('\r\n');
      const responseHeaders: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        responseHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = received.subarray(headerEnd + 4);
      const eventStream = (responseHeaders['content-type'] ?? '').startsWith('text/event-stream');
      if (streamed && !eventStream) return;
      settled = true;
      socket.destroy();
      const bodyBytes = responseHeaders['transfer-encoding'] === 'chunked' ? decodeChunked(rest) : rest;
      resolve({ status: Number(statusLine.split(' ')[1]), headers: responseHeaders, body: eventStream ? '' : bodyBytes.toString('utf8') });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish(true);
    });
    socket.on('close', () => finish(false));
    socket.on('error', (error) => {
      if (!settled && received.length === 0) reject(error);
    });
  });
}
