/**
 * A tiny OTLP/HTTP endpoint on loopback that answers the way a collector can misbehave: accept
 * (200), refuse (429 / 503 with Retry-After), or hang without answering. Records each request.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type StubMode = 'accept' | '429' | '503' | 'hang';

export interface StubRequest {
  headers: IncomingHttpHeaders;
  /** The body, gunzipped when it was gzip-encoded. */
  body: Buffer;
}

export interface StubCollector {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

export async function startStubCollector(mode: StubMode): Promise<StubCollector> {
  const requests: StubRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      requests.push({ headers: request.headers, body: request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw });
      if (mode === 'hang') {
        hanging.push(response);
        return;
      }
      if (mode === 'accept') {
        const json = request.headers['content-type'] === 'application/json';
        response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        response.end(json ? '{}' : Buffer.alloc(0));
        return;
      }
      response.writeHead(Number(mode), { 'retry-after': '1', 'content-type': 'application/json' });
      response.end('{"code":8,"message":"over capacity"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
