import type { ServerResponse } from 'node:http';
import type { TraceSummary } from '@threshold/core';

/** A comment line every 15 s keeps proxies and browsers from closing an idle stream. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/**
 * Server-Sent Events fan-out for `/api/live`: each analysed (or re-analysed) trace goes to every
 * open stream as `event: trace` with its TraceSummary.
 */
export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;

  get clientCount(): number {
    return this.clients.size;
  }

  /** Starts an event stream on `response`; it ends when the client goes away or the hub closes. */
  subscribe(response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write(': connected\n\n');
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.broadcastRaw(': heartbeat\n\n'), HEARTBEAT_INTERVAL_MS);
      this.heartbeat.unref();
    }
  }

  publish(summary: TraceSummary): void {
    if (this.clients.size === 0) return;
    this.broadcastRaw(`event: trace\ndata: ${JSON.stringify(summary)}\n\n`);
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private broadcastRaw(text: string): void {
    for (const client of this.clients) client.write(text);
  }
}
