import type { LiveHubStats } from '../live/live-hub.js';
import type { MetricFamily } from './prometheus-text.js';

/** The `/api/live` streams as `/metrics` shows them: how many are open, their unsent bytes, drops and refusals. */
export function liveStreamFamilies(stats: LiveHubStats): MetricFamily[] {
  return [
    single('threshold_live_streams', 'Live event streams (/api/live) open now.', 'gauge', stats.streams),
    single(
      'threshold_live_buffered_bytes',
      'Bytes written to open live streams and not yet taken by their sockets.',
      'gauge',
      stats.bufferedBytes,
    ),
    single(
      'threshold_live_streams_dropped_total',
      'Live streams closed because their reader fell too far behind (more unsent bytes than the per-stream limit).',
      'counter',
      stats.dropped,
    ),
    single(
      'threshold_live_streams_refused_total',
      'Live streams refused with 503 because the most the collector serves were open.',
      'counter',
      stats.refused,
    ),
  ];
}

function single(name: string, help: string, type: 'gauge' | 'counter', value: number): MetricFamily {
  return { name, help, type, samples: [{ name, labels: {}, value }] };
}
