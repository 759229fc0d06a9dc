import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Collector } from '../create-collector.js';
import type { CallAdmission } from '../grpc/grpc-ingest-server.js';
import { refusedBeforeReading } from '../ingest/export-traces.js';
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

/** The one project of open access (no keys); its data dir is the configured one. */
export const DEFAULT_PROJECT = 'default';

export interface ProjectGatewayOptions {
  access: AccessConfig;
  /** The address the server binds: open access on a loopback address checks each request's Host. */
  host: string;
  /** Origins allowed to call the API from a browser (`*` for any); none by default. */
  corsOrigins?: readonly string[];
  /** Bounds on ingest requests in flight (default 64 requests, 64 MiB; with several projects, half each at most). */
  ingestAdmission?: IngestAdmissionLimits;
  /** Dashboard sessions: lifetime, how many, clock (default 12 h, 10,000). */
  sessions?: Partial<SessionStoreOptions>;
  /** One collector per project, filled by the server before it calls `open()`. */
  collectors: ReadonlyMap<string, Collector>;
}

export interface ProjectGateway {
  /** The node:http request listener: decides the request, then hands it to its project's app. */
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** The same decision for an OTLP/gRPC call, from its `authorization` metadata. */
  admitCall(authorization: string | undefined): CallAdmission;
  /** Starts handing requests on (until then they are answered 503 "collector is starting"). */
  open(): void;
  /** Refuses every new request (503, connection closed); admitted ones go on. */
  shutDown(): void;
  /** Ingest requests admitted and not yet answered, over both transports. */
  ingestInFlight(): number;
}

const NEEDED_KEY: Record<KeyRole, string> = { ingest: 'an ingest key', read: 'a read key', admin: 'an admin key' };

/** The projects requests are routed to: those of the keys file, or the one `default` of open access. */
export function projectNames(access: AccessConfig): string[] {
  return access.projects.length > 0 ? access.projects.map((project) => project.name) : [DEFAULT_PROJECT];
}

/** Whether a grant's role covers what the route needs: admin keys read too; ingest keys only send. */
function roleCovers(granted: KeyRole, needed: KeyRole): boolean {
  return needed === 'read' ? canRead(granted) : granted === needed;
}

/**
 * The collector as the network sees it, one request at a time, in front of one collector per
 * project. It sets the browser security headers, applies CORS, and decides every request on one
 * canonical spelling of its target (request-target.ts), which is then the only path the project's
 * router sees, routing case-sensitively and strictly: access is decided on what runs. It resolves
 * the request's key to its project and role (access-policy.ts: deny by default), checks Host on
 * open loopback access (host-check.ts) and the origin of cookie-authorised changes
 * (cross-site-check.ts), rate-limits each ingest key, bounds ingest in flight per project and in
 * all, and hands the request to that project's collector. With open access (no keys) every
 * request goes to the one `default` collector. OTLP/gRPC ingest is decided by the same rules
 * (ingest-authorization.ts) and takes its slots from the same admission, so the limits hold
 * across both transports. Listening, the collectors' lifetimes and shutdown belong to the server
 * (server/start-server.ts); this module holds every per-request decision and nothing else.
 */
export function createProjectGateway({
  access,
  host: boundHost,
  corsOrigins = [],
  ingestAdmission = DEFAULT_INGEST_ADMISSION,
  sessions: sessionOptions = {},
  collectors,
}: ProjectGatewayOptions): ProjectGateway {
  const keyed = access.projects.length > 0;
  const checkHost = !keyed && isLoopbackHost(boundHost);
  const registry = new KeyRegistry(access);
  const sessions = new SessionStore({ ...DEFAULT_SESSION_OPTIONS, ...sessionOptions });
  const signIn = createSignIn({ registry, sessions, keyed, defaultProject: DEFAULT_PROJECT });
  const limiter = new RateLimiter();
  const ingestAuthorizer = new IngestAuthorizer(registry, limiter);
  const admission = new IngestAdmission(perProjectLimits(ingestAdmission, access.projects.length), () => {
    let seconds = 0;
    for (const collector of collectors.values()) seconds = Math.max(seconds, collector.commitQueue.congestionSeconds());
    return seconds;
  });
  let ready = false;
  let shuttingDown = false;

  const refuse = (
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    error: string,
    headers: Record<string, string> = {},
  ) => {
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
          if (decision.refusal === 'unauthenticated')
            return refuse(request, response, 401, decision.message, { 'www-authenticate': 'Bearer' });
          if (decision.refusal === 'permission-denied') return refuse(request, response, 403, decision.message);
          request.resume();
          return answerJson(response, 429, { code: 8, message: decision.message }, { 'retry-after': String(decision.retryAfterSeconds) });
        }
        project = decision.project;
      } else if (keyed) {
        const { grant, viaCookie } = grantOf(request, rule.role);
        if (!grant)
          return refuse(request, response, 401, `${NEEDED_KEY[rule.role]} is required: send Authorization: Bearer <key>`, {
            'www-authenticate': 'Bearer',
          });
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
      if (rule.misspelt)
        return refuse(request, response, 404, `no route at ${target.path.slice(0, 200)}: paths are case-sensitive (/api, /v1, /metrics)`);
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
      return {
        admitted: false,
        refusal: 'unavailable',
        message: ready ? 'collector is shutting down' : 'collector is starting',
        retryAfterSeconds: 1,
      };
    }
    let project = DEFAULT_PROJECT;
    if (keyed) {
      const decision = ingestAuthorizer.authorize(authorization);
      if (!decision.allowed) {
        const { refusal, message } = decision;
        return {
          admitted: false,
          refusal,
          message,
          ...(refusal === 'rate-limited' ? { retryAfterSeconds: decision.retryAfterSeconds } : {}),
        };
      }
      project = decision.project;
    }
    // What the HTTP route refuses before reading a body (analysis too far behind, the store being
    // reopened) is refused here before the message is read.
    const early = refusedBeforeReading(collectors.get(project)!);
    if (early?.kind === 'unavailable')
      return { admitted: false, refusal: 'unavailable', message: early.message, retryAfterSeconds: early.retryAfterSeconds };
    const slot = admission.acquire(project);
    if (!slot.admitted)
      return { admitted: false, refusal: 'unavailable', message: slot.reason, retryAfterSeconds: admission.retryAfterSeconds() };
    return { admitted: true, project, release: slot.release };
  };

  return {
    handle,
    admitCall,
    open: () => {
      ready = true;
    },
    shutDown: () => {
      shuttingDown = true;
    },
    ingestInFlight: () => admission.inFlight.requests,
  };
}
