import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CollectorOptions } from '../config.js';
import { createCollector, type Collector, type CreateCollectorOptions } from '../create-collector.js';
import type { AccessConfig } from './access-config.js';
import { applyCors, setSecurityHeaders } from './browser-policy.js';
import { IngestAdmission, type IngestAdmissionLimits } from './ingest-admission.js';
import { bearerKey, cookieKey, KeyRegistry, SESSION_COOKIE, type KeyGrant } from './key-registry.js';
import { RateLimiter } from './rate-limiter.js';
import { retentionIntervalMs, startRetention, type RetentionSchedule } from '../retention/retention-schedule.js';

export interface GatewayOptions {
  options: CollectorOptions;
  access: AccessConfig;
  /** Origins allowed to call the API from a browser (`*` for any); none by default. */
  corsOrigins?: readonly string[];
  /** Traces that started longer ago are removed on a schedule; kept for ever when absent. */
  retentionMs?: number;
  /** Bounds on ingest requests in flight (default 64 requests, 64 MiB). */
  ingestAdmission?: IngestAdmissionLimits;
  /** Passed to every project's collector (tests: clock, stores). */
  collectorOverrides?: Omit<CreateCollectorOptions, 'listen' | 'publicUrl'>;
}

export interface Gateway {
  url: string;
  port: number;
  server: Server;
  /** One collector per project; with open access a single one named `default`. */
  collectors: ReadonlyMap<string, Collector>;
  close(): Promise<void>;
}

const DEFAULT_PROJECT = 'default';
const MAX_SIGN_IN_BODY_BYTES = 4_096;
/** Longest wait on shutdown for admitted ingest requests to be answered. */
const DRAIN_TIMEOUT_MS = 10_000;

function answerJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

type Area = 'ingest' | 'read' | 'session' | 'public';

function areaOf(path: string): Area {
  if (path === '/v1/traces' || path.startsWith('/v1/')) return 'ingest';
  if (path === '/api/session') return 'session';
  if (path.startsWith('/api/') || path === '/api' || path === '/metrics') return 'read';
  return 'public';
}

/** Options of one project's collector: its own data dir and ClickHouse database when keys are in use. */
function projectOptions(options: CollectorOptions, project: string, keyed: boolean): CollectorOptions {
  if (!keyed) return options;
  return {
    ...options,
    dataDir: options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, 'projects', project),
    clickhouseDatabase: `${options.clickhouseDatabase}_${project}`,
  };
}

function readSmallBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_SIGN_IN_BODY_BYTES) {
        request.destroy();
        resolve(undefined);
      }
    });
    request.on('end', () => resolve(text));
    request.on('error', () => resolve(undefined));
  });
}

/**
 * The collector as the network sees it: one HTTP server in front of one collector per project.
 * It sets the browser security headers, applies CORS, resolves the request's key to its project
 * (ingest keys may only send, read keys only read), rate-limits each ingest key, and hands the
 * request to that project's collector. With open access (no keys) every request goes to the one
 * `default` collector, whose data dir is the configured one.
 */
export async function startGateway({ options, access, corsOrigins = [], ingestAdmission, retentionMs, collectorOverrides = {} }: GatewayOptions): Promise<Gateway> {
  const keyed = access.projects.length > 0;
  const registry = new KeyRegistry(access);
  const limiter = new RateLimiter();
  const collectors = new Map<string, Collector>();
  const admission = new IngestAdmission(ingestAdmission, () => {
    let seconds = 0;
    for (const collector of collectors.values()) seconds = Math.max(seconds, collector.commitQueue.congestionSeconds());
    return seconds;
  });
  let ready = false;
  let shuttingDown = false;

  const grantOf = (request: IncomingMessage, allowCookie: boolean): KeyGrant | undefined =>
    registry.lookup(bearerKey(request.headers.authorization) ?? (allowCookie ? cookieKey(request.headers.cookie) : undefined));

  const signIn = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'DELETE') {
      answerJson(response, 200, { signedIn: false }, { 'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` });
      return;
    }
    if (request.method === 'GET') {
      if (!keyed) return answerJson(response, 200, { signedIn: true, project: DEFAULT_PROJECT, keysRequired: false });
      const grant = grantOf(request, true);
      if (grant?.role === 'read') return answerJson(response, 200, { signedIn: true, project: grant.project.name, keysRequired: true });
      return answerJson(response, 401, { error: 'sign in with a read key', keysRequired: true });
    }
    if (request.method !== 'POST') return answerJson(response, 405, { error: 'use GET, POST or DELETE on /api/session' });
    const text = await readSmallBody(request);
    let key: unknown;
    try {
      key = (JSON.parse(text ?? '') as { key?: unknown }).key;
    } catch {
      return answerJson(response, 400, { error: 'send {"key": "<read key>"} as JSON' });
    }
    if (!keyed) return answerJson(response, 200, { signedIn: true, project: DEFAULT_PROJECT, keysRequired: false });
    const grant = typeof key === 'string' ? registry.lookup(key) : undefined;
    if (!grant || grant.role !== 'read') return answerJson(response, 401, { error: 'that is not a read key of any project' });
    // A session cookie (no Max-Age): kept until the browser session ends; never readable by scripts.
    const cookie = `${SESSION_COOKIE}=${encodeURIComponent(key as string)}; Path=/; HttpOnly; SameSite=Strict`;
    answerJson(response, 200, { signedIn: true, project: grant.project.name, keysRequired: true }, { 'set-cookie': cookie });
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    setSecurityHeaders(response);
    if (applyCors(request, response, corsOrigins)) return;
    if (!ready) return answerJson(response, 503, { error: 'collector is starting' }, { 'retry-after': '1' });
    if (shuttingDown) {
      request.resume();
      return answerJson(response, 503, { error: 'collector is shutting down' }, { 'retry-after': '1', connection: 'close' });
    }
    const path = (request.url ?? '/').split('?')[0];
    const area = areaOf(path);
    if (area === 'session') return void signIn(request, response);
    let project = DEFAULT_PROJECT;
    if (keyed && area !== 'public') {
      const grant = grantOf(request, area === 'read');
      if (!grant) {
        request.resume();
        const what = area === 'ingest' ? 'an ingest key' : 'a read key';
        return answerJson(response, 401, { error: `${what} is required: send Authorization: Bearer <key>` }, { 'www-authenticate': 'Bearer' });
      }
      if (grant.role !== area) {
        request.resume();
        return answerJson(response, 403, { error: `a ${grant.role} key cannot ${area === 'ingest' ? 'send spans' : 'read traces'}` });
      }
      if (area === 'ingest') {
        const taken = limiter.take(grant.keyId, grant.project.ingestRequestsPerSecond);
        if (!taken.allowed) {
          request.resume();
          const seconds = String(taken.retryAfterSeconds);
          return answerJson(response, 429, { code: 8, message: `ingest rate limit of ${grant.project.ingestRequestsPerSecond} requests/s for this key reached` }, { 'retry-after': seconds });
        }
      }
      project = grant.project.name;
    } else if (keyed) {
      project = access.projects[0].name; // static dashboard files are the same for every project
    }
    if (area === 'ingest' && request.method === 'POST' && !admission.admit(request, response)) {
      request.resume();
      return answerJson(response, 503, { code: 14, message: 'collector is overloaded: too many ingest requests in flight' }, { 'retry-after': String(admission.retryAfterSeconds()) });
    }
    collectors.get(project)!.app(request, response);
  };

  const server = createServer(handle);
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
  try {
    for (const name of keyed ? access.projects.map((project) => project.name) : [DEFAULT_PROJECT]) {
      const collector = await createCollector({ ...collectorOverrides, ...projectOptions(options, name, keyed), listen: false, publicUrl: url });
      collectors.set(name, collector);
    }
  } catch (error) {
    await Promise.all([...collectors.values()].map((collector) => collector.close()));
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
    collectors,
    close: () =>
      (closing ??= (async () => {
        shuttingDown = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Requests already admitted finish (their spans stored and answered) before the collectors drain.
        const deadline = Date.now() + DRAIN_TIMEOUT_MS;
        while (admission.inFlight.requests > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        await Promise.all(retention.map((schedule) => schedule.stop()));
        // Each collector waits for its commits (answering in-flight requests) and analyses what is pending.
        await Promise.all([...collectors.values()].map((collector) => collector.close()));
        server.closeAllConnections();
        await stopped;
      })()),
  };
}
