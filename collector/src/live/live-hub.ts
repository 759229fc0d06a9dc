import type { ServerResponse } from 'node:http';
import type { TraceSummary } from '@threshold/core';

/** A comment line every 15 s keeps proxies and browsers from closing an idle stream. */
export const HEARTBEAT_INTERVAL_MS = 15_000;
/**
 * Streams open at once (every dashboard tab holds one). Past it a new stream is refused with 503,
 * so the bytes buffered for streams stay under `MAX_LIVE_STREAMS × MAX_STREAM_BUFFER_BYTES`.
 */
export const MAX_LIVE_STREAMS = 64;
/**
 * Bytes one stream may have waiting in user space (beyond what the socket's kernel buffers
 * already took) before it is dropped: about 1,500 summaries of the usual size, seconds of a
 * burst. A reader that keeps up never comes near it; one that stopped reading would otherwise
 * hold every later trace in memory.
 */
export const MAX_STREAM_BUFFER_BYTES = 1024 * 1024;

/** What `/metrics` shows of the live streams. */
export interface LiveHubStats {
  /** Streams open now. */
  streams: number;
  /** Bytes written to open streams and not yet taken by their sockets. */
  bufferedBytes: number;
  /** Streams closed since start because their reader fell `MAX_STREAM_BUFFER_BYTES` behind. */
  dropped: number;
  /** Streams refused since start because `MAX_LIVE_STREAMS` were open. */
  refused: number;
}

/**
 * Server-Sent Events fan-out for `/api/live`: each analysed (or re-analysed) trace goes to every
 * open stream as `event: trace` with its TraceSummary. Bounded: at most `MAX_LIVE_STREAMS`
 * streams, and a stream whose unsent bytes pass `MAX_STREAM_BUFFER_BYTES` is destroyed (its buffer
 * freed at once; the browser's EventSource reconnects by itself, and the dashboard's views read
 * the API again at the next event).
 */
export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;
  private droppedCount = 0;
  private refusedCount = 0;

  get clientCount(): number {
    return this.clients.size;
  }

  stats(): LiveHubStats {
    let bufferedBytes = 0;
    for (const client of this.clients) bufferedBytes += client.writableLength;
    return { streams: this.clients.size, bufferedBytes, dropped: this.droppedCount, refused: this.refusedCount };
  }

  /**
   * Starts an event stream on `response`; it ends when the client goes away, falls too far
   * behind, or the hub closes. False (and nothing written) when `MAX_LIVE_STREAMS` are open.
   */
  subscribe(response: ServerResponse): boolean {
    if (this.clients.size >= MAX_LIVE_STREAMS) {
      this.refusedCount++;
      return false;
    }
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
    return true;
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

  /**
   * Writes `text` to every stream that has room for it. A stream that would pass its limit is
   * destroyed rather than written: `end()` would keep the whole backlog until a reader that has
   * stopped reading takes it.
   */
  private broadcastRaw(text: string): void {
    const bytes = Buffer.byteLength(text);
    for (const client of this.clients) {
      const waiting = client.writableLength;
      // An empty buffer always takes the next event, however large, so a stream holds at most its limit plus one event.
      if (waiting > 0 && waiting + bytes > MAX_STREAM_BUFFER_BYTES) {
        this.clients.delete(client);
        this.droppedCount++;
        client.destroy();
        continue;
      }
      client.write(text);
    }
  }
}
