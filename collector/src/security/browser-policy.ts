import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The dashboard's Content-Security-Policy: scripts and styles from the collector only (no inline
 * script, no eval), data fetched from the collector only, never framed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every answer. */
export function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
}

/**
 * CORS, closed by default: a cross-origin browser request gets CORS headers only when its
 * origin is listed. Answers a preflight itself (true = answered, stop here).
 */
export function applyCors(request: IncomingMessage, response: ServerResponse, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  const allowed = origin !== undefined && (allowedOrigins.includes(origin) || allowedOrigins.includes('*'));
  if (allowed) {
    response.setHeader('Access-Control-Allow-Origin', allowedOrigins.includes('*') ? '*' : origin);
    response.setHeader('Vary', 'Origin');
    response.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  }
  if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
    if (!allowed) {
      response
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `origin ${origin ?? '(none)'} is not allowed` }));
      return true;
    }
    response.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Content-Encoding',
      'Access-Control-Max-Age': '600',
    });
    response.end();
    return true;
  }
  return false;
}
