import type { ServerResponse } from 'node:http';

/** A JSON answer written by the gateway itself (before any project's app sees the request), with its length. */
export function answerJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers })
    .end(text);
}
