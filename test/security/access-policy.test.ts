import { describe, expect, it } from 'vitest';
import { accessRule, type AccessRule } from '../../collector/src/security/access-policy.js';

const key = (role: 'ingest' | 'read' | 'admin', action: string, misspelt = false): AccessRule => ({ kind: 'key', role, action, misspelt });

describe('what a request needs (deny by default)', () => {
  it.each<[string, string, AccessRule]>([
    ['GET', '/api/traces', key('read', 'read traces')],
    ['HEAD', '/api/traces/0123', key('read', 'read traces')],
    ['OPTIONS', '/api/alerts/rules', key('read', 'read traces')],
    ['GET', '/api', key('read', 'read traces')],
    ['GET', '/api/', key('read', 'read traces')],
    ['GET', '/metrics', key('read', 'read traces')],
    ['GET', '/metrics/', key('read', 'read traces')],
    ['GET', '/METRICS', key('read', 'read traces', true)],
    ['GET', '/API/live', key('read', 'read traces', true)],
    ['GET', '/Api/session', key('read', 'read traces', true)],
    ['POST', '/api/whatif', key('read', 'read traces')],
    ['POST', '/api/whatif/', key('admin', 'POST /api/whatif/')],
    ['POST', '/v1/traces', key('ingest', 'send spans')],
    ['GET', '/v1/traces', key('ingest', 'send spans')],
    ['POST', '/V1/traces', key('ingest', 'send spans', true)],
    ['POST', '/api/alerts/rules', key('admin', 'change alert rules')],
    ['PUT', '/api/alerts/rules/simple-p99', key('admin', 'change alert rules')],
    ['DELETE', '/api/alerts/rules/simple-p99', key('admin', 'change alert rules')],
    ['DELETE', '/API/alerts/rules/simple-p99', key('admin', 'DELETE /API/alerts/rules/simple-p99', true)],
    ['PATCH', '/api/traces', key('admin', 'PATCH /api/traces')],
    ['TRACE', '/metrics', key('admin', 'TRACE /metrics')],
    ['GET', '/api/session', { kind: 'session' }],
    ['POST', '/api/session', { kind: 'session' }],
    ['GET', '/', { kind: 'public' }],
    ['HEAD', '/traces/0123', { kind: 'public' }],
    ['GET', '/apix/traces', { kind: 'public' }],
    ['GET', '/metrics.txt', { kind: 'public' }],
    ['GET', '/assets/%2E%2E%2Fkeys', { kind: 'refused', status: 400, error: 'path must not hold an encoded slash (%2F or %5C)' }],
    ['GET', '/api%2Ftraces', { kind: 'refused', status: 400, error: 'path must not hold an encoded slash (%2F or %5C)' }],
    [
      'POST',
      '/',
      {
        kind: 'refused',
        status: 405,
        error: 'POST is not served outside /api, /v1 and /metrics: the dashboard takes GET and HEAD',
        allow: 'GET, HEAD',
      },
    ],
    [
      'OPTIONS',
      '/index.html',
      {
        kind: 'refused',
        status: 405,
        error: 'OPTIONS is not served outside /api, /v1 and /metrics: the dashboard takes GET and HEAD',
        allow: 'GET, HEAD',
      },
    ],
  ])('%s %s', (method, path, rule) => {
    expect(accessRule(method, path)).toEqual(rule);
  });
});
