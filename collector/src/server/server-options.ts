import type { Server } from 'node:http';
import type { Clock } from '../assembly/clock.js';
import type { CollectorOptions } from '../config.js';
import type { Collector } from '../create-collector.js';
import type { AccessConfig } from '../security/access-config.js';
import type { IngestAdmissionLimits } from '../security/ingest-admission.js';
import type { SessionStoreOptions } from '../security/session-store.js';
import type { CollectorOverrides } from './project-collectors.js';

export interface ServerOptions {
  /** Every collector's settings, defaults filled in (`resolveOptions`); tests give port 0 and `dataDir: ':memory:'` or a temporary dir. */
  options?: Partial<CollectorOptions>;
  /** Projects and keys; open access (one `default` project, Host checked on loopback) when absent. */
  access?: AccessConfig;
  /** Origins allowed to call the API from a browser (`*` for any); none by default. */
  corsOrigins?: readonly string[];
  /** Traces that started longer ago are removed on a schedule; kept for ever when absent. */
  retentionMs?: number;
  /** Bounds on ingest requests in flight (default 64 requests, 64 MiB; with several projects, half each at most). */
  ingestAdmission?: IngestAdmissionLimits;
  /** Longest time to receive a whole request, headers and body (default 30 s); then 408 and the connection closed. */
  requestTimeoutMs?: number;
  /** Dashboard sessions: lifetime, how many (default 12 h, 10,000); their clock is `clock` unless given here. */
  sessions?: Partial<SessionStoreOptions>;
  /** OTLP/gRPC ingest on this port of the same host (0 picks a free one); none when absent. */
  grpcPort?: number;
  /** Time of trace assembly, alert evaluation, sessions and retention (tests drive it by hand); the system clock by default. */
  clock?: Clock;
  /** Passed to every project's collector (tests: a wrapped store, a findings provider, small assembly bounds). */
  collectorOverrides?: Omit<CollectorOverrides, 'clock'>;
}

export interface ThresholdServer {
  /** `http://host:port` of the HTTP server: OTLP/HTTP ingest, the API and the dashboard. */
  url: string;
  port: number;
  /** The listening node:http server. */
  http: Server;
  /** The OTLP/gRPC ingest address (`host:port`) and port, when `grpcPort` was given. */
  grpc?: { address: string; port: number };
  /** The settings every project's collector started from (a keyed project's data dir is below `dataDir`). */
  options: CollectorOptions;
  /** One collector per project; with open access a single one named `default`. */
  collectors: ReadonlyMap<string, Collector>;
  /**
   * Stops taking requests, lets admitted ingest finish (10 s at most), stops gRPC and retention,
   * then closes every collector (commits drained, pending traces analysed, stores closed).
   */
  close(): Promise<void>;
}
