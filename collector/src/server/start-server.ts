import { systemClock } from '../assembly/clock.js';
import { resolveOptions } from '../config.js';
import type { Collector } from '../create-collector.js';
import { startGrpcIngest, type GrpcIngestServer } from '../grpc/grpc-ingest-server.js';
import { exportTraces } from '../ingest/export-traces.js';
import { retentionIntervalMs, startRetention, type RetentionSchedule } from '../retention/retention-schedule.js';
import { OPEN_ACCESS } from '../security/access-config.js';
import { createProjectGateway, projectNames } from '../security/project-gateway.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, listenHttp } from './http-listener.js';
import { openProjectCollectors } from './project-collectors.js';
import type { ServerOptions, ThresholdServer } from './server-options.js';

/** Longest wait on shutdown for admitted ingest requests to be answered. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Threshold's one composition root: what `threshold start` and `threshold demo` run, and what
 * every test that talks HTTP to a collector starts. In order: the HTTP server listens (answering
 * 503 "collector is starting" until ready) with the project gateway as its only request listener
 * (keys, CORS, Host check, admission: security/project-gateway.ts); OTLP/gRPC ingest starts on
 * its port, decided by the same gateway; one collector per project opens behind it; retention
 * starts per project; then the gateway opens. Listening before the stores open lets a caller
 * see the port taken at once, and exporters get a 503 they retry rather than a refused connection.
 */
export async function startServer({
  options: optionOverrides = {},
  access = OPEN_ACCESS,
  corsOrigins = [],
  retentionMs,
  ingestAdmission,
  requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  sessions = {},
  grpcPort,
  clock = systemClock,
  collectorOverrides = {},
}: ServerOptions = {}): Promise<ThresholdServer> {
  const options = resolveOptions(optionOverrides);
  const collectors = new Map<string, Collector>();
  const gateway = createProjectGateway({
    access,
    host: options.host,
    corsOrigins,
    ...(ingestAdmission ? { ingestAdmission } : {}),
    sessions: { nowMs: () => clock.nowMs(), ...sessions },
    collectors,
  });
  const http = await listenHttp(gateway.handle, { host: options.host, port: options.port, requestTimeoutMs });
  let grpc: GrpcIngestServer | undefined;
  try {
    if (grpcPort !== undefined) {
      grpc = await startGrpcIngest({
        host: options.host,
        port: grpcPort,
        maxMessageBytes: options.maxBodyBytes,
        messageTimeoutMs: requestTimeoutMs,
        admit: gateway.admitCall,
        exportTraces: (project, message) =>
          exportTraces(collectors.get(project)!, { format: 'protobuf', body: message, wire: message, encoding: 'identity' }),
      });
    }
    const keyed = access.projects.length > 0;
    await openProjectCollectors(collectors, {
      projects: projectNames(access),
      keyed,
      options,
      overrides: { ...collectorOverrides, clock },
      publicUrl: http.url,
    });
  } catch (error) {
    await grpc?.close(0);
    http.server.close();
    // Connections kept alive after a "collector is starting" answer would hold the port.
    http.server.closeAllConnections();
    throw error;
  }
  const retention: RetentionSchedule[] =
    retentionMs === undefined
      ? []
      : [...collectors.values()].map((collector) =>
          startRetention(collector.store, { maxAgeMs: retentionMs, intervalMs: retentionIntervalMs(retentionMs) }, () => clock.nowMs()),
        );
  gateway.open();

  let closing: Promise<void> | undefined;
  return {
    url: http.url,
    port: http.port,
    http: http.server,
    ...(grpc ? { grpc: { address: grpc.address, port: grpc.port } } : {}),
    options,
    collectors,
    close: () =>
      (closing ??= (async () => {
        gateway.shutDown();
        const stopped = new Promise<void>((resolve) => http.server.close(() => resolve()));
        http.server.closeIdleConnections();
        // Requests already admitted finish (their spans stored and answered) before the collectors drain.
        const deadline = Date.now() + DRAIN_TIMEOUT_MS;
        while (gateway.ingestInFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        await grpc?.close();
        await Promise.all(retention.map((schedule) => schedule.stop()));
        // Each collector waits for its commits (answering in-flight requests) and analyses what is pending.
        await Promise.all([...collectors.values()].map((collector) => collector.close()));
        http.server.closeAllConnections();
        await stopped;
      })()),
  };
}
