import { bearerKey, type KeyRegistry } from './key-registry.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * Whether a sender may export spans, and into which project, whatever carried the request
 * (OTLP/HTTP's `Authorization` header, OTLP/gRPC's `authorization` metadata):
 *
 * - `unauthenticated`: no key, or one no project has (HTTP 401, gRPC UNAUTHENTICATED);
 * - `permission-denied`: a read or admin key, which never sends (HTTP 403, gRPC PERMISSION_DENIED);
 * - `rate-limited`: the key used its requests for now (HTTP 429, gRPC RESOURCE_EXHAUSTED), with
 *   the whole seconds until it has one again.
 */
export type IngestAuthorization =
  | { allowed: true; project: string }
  | { allowed: false; refusal: 'unauthenticated'; message: string }
  | { allowed: false; refusal: 'permission-denied'; message: string }
  | { allowed: false; refusal: 'rate-limited'; message: string; retryAfterSeconds: number };

/** One rule for both transports: an ingest key, its project, its own rate limit. */
export class IngestAuthorizer {
  constructor(
    private readonly registry: KeyRegistry,
    private readonly limiter: RateLimiter,
  ) {}

  /** Decides on an `authorization` value (`Bearer <key>`); takes a rate-limit token when allowed. */
  authorize(authorization: string | undefined): IngestAuthorization {
    const grant = this.registry.lookup(bearerKey(authorization));
    if (!grant)
      return { allowed: false, refusal: 'unauthenticated', message: 'an ingest key is required: send Authorization: Bearer <key>' };
    if (grant.role !== 'ingest') {
      return {
        allowed: false,
        refusal: 'permission-denied',
        message: `${grant.role === 'admin' ? 'an' : 'a'} ${grant.role} key cannot send spans`,
      };
    }
    const rate = grant.project.ingestRequestsPerSecond;
    const taken = this.limiter.take(grant.keyId, rate);
    if (!taken.allowed) {
      return {
        allowed: false,
        refusal: 'rate-limited',
        message: `ingest rate limit of ${rate} requests/s for this key reached`,
        retryAfterSeconds: taken.retryAfterSeconds,
      };
    }
    return { allowed: true, project: grant.project.name };
  }
}
