import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { CollectorOptions } from '../config.js';
import { createCollector, type Collector, type CreateCollectorOptions } from '../create-collector.js';
import { startGrpcIngest, type CallAdmission, type GrpcIngestServer } from '../grpc/grpc-ingest-server.js';
import { exportTraces, refusedBeforeReading } from '../ingest/export-traces.js';
import type { AccessConfig } from './access-config.js';
import { accessRule, isSafeMethod } from './access-policy.js';
import { answerJson } from './answer-json.js';
import { isLoopbackHost } from './bind-policy.js';
import { applyCors, setSecurityHeaders } from './browser-policy.js';
import { crossSiteRefusal } from './cross-site-check.js';
import { loopbackHostRefusal } from './host-check.js';
import { IngestAdmission, perProjectLimits, DEFAULT_INGEST_ADMISSION, type IngestAdmissionLimits } from './ingest-admission.js';
import { IngestAuthorizer } from './ingest-authorization.js';
import { bearerKey, canRead, KeyRegistry, type KeyGrant, type KeyRole } from './key-registry.js';
import { RateLimiter } from './rate-limiter.js';
import { canonicalTarget } from './request-target.js';
import { DEFAULT_SESSION_OPTIONS, SessionStore, sessionToken, type SessionStoreOptions } from './session-store.js';
import { createSignIn } from './sign-in.js';
import { retentionIntervalMs, startRetention, type RetentionSchedule } from '../retention/retention-schedule.js';

export interface GatewayOptions {
  options: CollectorOptions;
  access: AccessConfig;
  /** Origins allowed to call the API from a browser (`*` for any); none by default. */
  corsOrigins?: readonly string[];
  /** Traces that started longer ago are removed on a schedule; kept for ever when absent. */
  retentionMs?: number;
  /** Bounds on ingest requests in flight (default 64 requests, 64 MiB; with several projects, half each at most). */
  ingestAdmission?: IngestAdmissionLimits;
  /** Longest time to receive a whole request, headers and body (default 30 s); then 408 and the connection closed. */
  requestTimeoutMs?: number;
  /** Dashboard sessions: lifetime, how many, clock (default 12 h, 10,000). */
  sessions?: Partial<SessionStoreOptions>;
  /** OTLP/gRPC ingest on this port of the same host (0 picks a free one); none when absent. */
  grpcPort?: number;
  /** Passed to every project's collector (tests: clock, stores). */
  collectorOverrides?: Omit<CreateCollectorOptions, 'listen' | 'publicUrl'>;
}

export interface Gateway {
  url: string;
  port: number;
  server: Server;
  /** The OTLP/gRPC ingest address (`host:port`) and port, when `grpcPort` was given. */
  grpc?: { address: string; port: number };
  /** One collector per project; with open access a single one named `default`. */
  collectors: ReadonlyMap<string, Collector>;
  close(): Promise<void>;
}

const DEFAULT_PROJECT = 'default';
/** Longest wait on shutdown for admitted ingest requests to be answered. */
const DRAIN_TIMEOUT_MS = 10_000;
/** An exporter gives a whole export 10 s; a request still arriving after 30 s only holds resources. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;

const NEEDED_KEY: Record<KeyRole, string> = { ingest: 'an ingest key', read: 'a read key', admin: 'an admin key' };

/** Options of one project's collector: its own data dir and ClickHouse database when keys are in use. */
function projectOptions(options: CollectorOptions, project: string, keyed: boolean): CollectorOptions {
  if (!keyed) return options;
  return {
    ...options,
    dataDir: options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, 'projects', project),
    clickhouseDatabase: `${options.clickhouseDatabase}_${project}`,
  };
}

/** Whether a grant's role covers what the route needs: admin keys read too; ingest keys only send. */
function roleCovers(granted: KeyRole, needed: KeyRole): boolean {
  return needed === 'read' ? canRead(granted) : granted === needed;
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
    socket.write(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/**
 * The collector as the network sees it: one HTTP server in front of one collector per project.
 * It sets the browser security headers, applies CORS, and decides every request on one canonical
 * spelling of its target (request-target.ts), which is then the only path the project's router
 * sees, routing case-sensitively and strictly: access is decided on what runs. It resolves the
 * request's key to its project and role (access-policy.ts: deny by default), checks Host on open
 * loopback access (host-check.ts) and the origin of cookie-authorised changes
 * (cross-site-check.ts), rate-limits each ingest key, bounds ingest in flight per project and in
 * all, and hands the request to that project's collector. With open access (no keys) every
 * request goes to the one `default` collector, whose data dir is the configured one. OTLP/gRPC
 * ingest, on its own port, is decided by the same rules (ingest-authorization.ts) and takes its
 * slots from the same admission, so the limits hold across both transports.
 */
export async function startGateway({
  options,
  access,
  corsOrigins = [],
  ingestAdmission = DEFAULT_INGEST_ADMISSION,
  requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  sessions: sessionOptions = {},
  retentionMs,
  grpcPort,
  collectorOverrides = {},
}: GatewayOptions): Promise<Gateway> {
  const keyed = access.projects.length > 0;
  const checkHost = !keyed && isLoopbackHost(options.host);
  const registry = new KeyRegistry(access);
  const sessions = new SessionStore({ ...DEFAULT_SESSION_OPTIONS, ...sessionOptions });
  const signIn = createSignIn({ registry, sessions, keyed, defaultProject: DEFAULT_PROJECT });
  const limiter = new RateLimiter();
  const ingestAuthorizer = new IngestAuthorizer(registry, limiter);
  const collectors = new Map<string, Collector>();
  const admission = new IngestAdmission(perProjectLimits(ingestAdmission, access.projects.length), () => {
    let seconds = 0;
    for (const collector of collectors.values()) seconds = Math.max(seconds, collector.commitQueue.congestionSeconds());
    return seconds;
  });
  let ready = false;
  let shuttingDown = false;

  const refuse = (request: IncomingMessage, response: ServerResponse, status: number, error: string, headers: Record<string, string> = {}) => {
    request.resume();
    answerJson(response, status, { error }, headers);
  };

  /** The grant of a bearer key, else (never for ingest) of the session cookie; `viaCookie` marks ambient authority. */
  const grantOf = (request: IncomingMessage, role: KeyRole): { grant?: KeyGrant; viaCookie: boolean } => {
    const bearer = bearerKey(request.headers.authorization);
    if (bearer !== undefined || role === 'ingest') return { grant: registry.lookup(bearer), viaCookie: false };
    return { grant: sessions.lookup(sessionToken(request.headers.cookie)), viaCookie: true };
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    setSecurityHeaders(response);
    const target = canonicalTarget(request.url);
    if (!target.ok) return refuse(request, response, 400, target.error, { connection: 'close' });
    const host = target.authority ?? request.headers.host;
    if (checkHost) {
      const refusal = loopbackHostRefusal(host);
      if (refusal !== undefined) return refuse(request, response, 403, refusal);
    }
    if (applyCors(request, response, corsOrigins)) return;
    if (!ready) return answerJson(response, 503, { error: 'collector is starting' }, { 'retry-after': '1' });
    if (shuttingDown) return refuse(request, response, 503, 'collector is shutting down', { 'retry-after': '1', connection: 'close' });
    const method = request.method ?? 'GET';
    const rule = accessRule(method, target.path);
    if (rule.kind === 'refused') return refuse(request, response, rule.status, rule.error, rule.allow ? { allow: rule.allow } : {});
    if (rule.kind === 'session') return void signIn(request, response, host);
    let project = keyed ? access.projects[0].name : DEFAULT_PROJECT; // static dashboard files are the same for every project
    if (rule.kind === 'key') {
      if (keyed && rule.role === 'ingest') {
        const decision = ingestAuthorizer.authorize(request.headers.authorization);
        if (!decision.allowed) {
          if (decision.refusal === 'unauthenticated') return refuse(request, response, 401, decision.message, { 'www-authenticate': 'Bearer' });
          if (decision.refusal === 'permission-denied') return refuse(request, response, 403, decision.message);
          request.resume();
          return answerJson(response, 429, { code: 8, message: decision.message }, { 'retry-after': String(decision.retryAfterSeconds) });
        }
        project = decision.project;
      } else if (keyed) {
        const { grant, viaCookie } = grantOf(request, rule.role);
        if (!grant) return refuse(request, response, 401, `${NEEDED_KEY[rule.role]} is required: send Authorization: Bearer <key>`, { 'www-authenticate': 'Bearer' });
        if (!roleCovers(grant.role, rule.role)) {
          const instead = rule.role === 'admin' && grant.role === 'read' ? ': use an admin key' : '';
          return refuse(request, response, 403, `${grant.role === 'admin' ? 'an' : 'a'} ${grant.role} key cannot ${rule.action}${instead}`);
        }
        if (viaCookie && !isSafeMethod(method)) {
          const crossSite = crossSiteRefusal(request, host, { corsOrigins, sameOriginOnly: true });
          if (crossSite !== undefined) return refuse(request, response, 403, crossSite);
        }
        project = grant.project.name;
      } else if (!isSafeMethod(method)) {
        // Open access: reaching the port is the credential, so a change must not come from another site's page.
        const crossSite = crossSiteRefusal(request, host, { corsOrigins, sameOriginOnly: false });
        if (crossSite !== undefined) return refuse(request, response, 403, crossSite);
      }
      if (rule.misspelt) return refuse(request, response, 404, `no route at ${target.path.slice(0, 200)}: paths are case-sensitive (/api, /v1, /metrics)`);
    }
    if (rule.kind === 'key' && rule.role === 'ingest' && method === 'POST') {
      const admitted = admission.admit(request, response, project);
      if (!admitted.admitted) {
        request.resume();
        return answerJson(response, 503, { code: 14, message: admitted.reason }, { 'retry-after': String(admission.retryAfterSeconds()) });
      }
    }
    // The project's router sees exactly the path decided on above.
    request.url = target.path + target.search;
    collectors.get(project)!.app(request, response);
  };

  /** An OTLP/gRPC call, decided from its metadata as an HTTP export is from its headers. */
  const admitCall = (authorization: string | undefined): CallAdmission => {
    if (!ready || shuttingDown) {
      return { admitted: false, refusal: 'unavailable', message: ready ? 'collector is shutting down' : 'collector is starting', retryAfterSeconds: 1 };
    }
    let project = DEFAULT_PROJECT;
    if (keyed) {
      const decision = ingestAuthorizer.authorize(authorization);
      if (!decision.allowed) {
        const { refusal, message } = decision;
        return { admitted: false, refusal, message, ...(refusal === 'rate-limited' ? { retryAfterSeconds: decision.retryAfterSeconds } : {}) };
      }
      project = decision.project;
    }
    // What the HTTP route refuses before reading a body (analysis too far behind, the store being
    // reopened) is refused here before the message is read.
    const early = refusedBeforeReading(collectors.get(project)!);
    if (early?.kind === 'unavailable') return { admitted: false, refusal: 'unavailable', message: early.message, retryAfterSeconds: early.retryAfterSeconds };
    const slot = admission.acquire(project);
    if (!slot.admitted) return { admitted: false, refusal: 'unavailable', message: slot.reason, retryAfterSeconds: admission.retryAfterSeconds() };
    return { admitted: true, project, release: slot.release };
  };

  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
      // The request timeout is checked this often: a tenth of it, between 50 ms and 1 s.
      connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(requestTimeoutMs / 10))),
    },
    handle,
  );
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${urlHost}:${port}`;
  let grpc: GrpcIngestServer | undefined;
  try {
    if (grpcPort !== undefined) {
      grpc = await startGrpcIngest({
        host: options.host,
        port: grpcPort,
        maxMessageBytes: options.maxBodyBytes,
        messageTimeoutMs: requestTimeoutMs,
        admit: admitCall,
        exportTraces: (project, message) => exportTraces(collectors.get(project)!, { format: 'protobuf', body: message, wire: message, encoding: 'identity' }),
      });
    }
  } catch (error) {
    server.close();
    throw error;
  }
  try {
    for (const name of keyed ? access.projects.map((project) => project.name) : [DEFAULT_PROJECT]) {
      const collector = await createCollector({ ...collectorOverrides, ...projectOptions(options, name, keyed), listen: false, publicUrl: url });
      collectors.set(name, collector);
    }
  } catch (error) {
    await Promise.all([...collectors.values()].map((collector) => collector.close()));
    await grpc?.close(0);
    server.close();
    throw error;
  }
  const retention: RetentionSchedule[] =
    retentionMs === undefined
      ? []
      : [...collectors.values()].map((collector) => startRetention(collector.store, { maxAgeMs: retentionMs, intervalMs: retentionIntervalMs(retentionMs) }));
  ready = true;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    server,
    ...(grpc ? { grpc: { address: grpc.address, port: grpc.port } } : {}),
    collectors,
    close: () =>
      (closing ??= (async () => {
        shuttingDown = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Requests already admitted finish (their spans stored and answered) before the collectors drain.
        const deadline = Date.now() + DRAIN_TIMEOUT_MS;
        while (admission.inFlight.requests > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        await grpc?.close();
        await Promise.all(retention.map((schedule) => schedule.stop()));
        // Each collector waits for its commits (answering in-flight requests) and analyses what is pending.
        await Promise.all([...collectors.values()].map((collector) => collector.close()));
        server.closeAllConnections();
        await stopped;
      })()),
  };
}
