import { describe, expect, it } from 'vitest';
import { canonicalTarget } from '../../collector/src/security/request-target.js';

describe('the canonical request target', () => {
  it.each([
    ['/api/traces', { ok: true, path: '/api/traces', search: '' }],
    ['/api/traces?limit=5&service=a%2Fb', { ok: true, path: '/api/traces', search: '?limit=5&service=a%2Fb' }],
    ['/', { ok: true, path: '/', search: '' }],
    ['/API/traces/', { ok: true, path: '/API/traces/', search: '' }],
    ['/%61pi/%74races', { ok: true, path: '/api/traces', search: '' }],
    ['/%41PI/traces', { ok: true, path: '/API/traces', search: '' }],
    ['/api/sessions/user%2f7%20b', { ok: true, path: '/api/sessions/user%2F7%20b', search: '' }],
    ['/api/x%7e%2D', { ok: true, path: '/api/x~-', search: '' }],
    ['http://127.0.0.1:4318/api/traces?x=1', { ok: true, path: '/api/traces', search: '?x=1', authority: '127.0.0.1:4318' }],
    ['HTTPS://Example.com', { ok: true, path: '/', search: '', authority: 'Example.com' }],
    ['http://localhost?x=1', { ok: true, path: '/', search: '?x=1', authority: 'localhost' }],
  ])('%s is %j', (raw, expected) => {
    expect(canonicalTarget(raw)).toEqual(expected);
  });

  it.each([
    ['*', 'request target must be a path starting with /'],
    ['api/traces', 'request target must be a path starting with /'],
    ['', 'request target must be a path starting with /'],
    ['ftp://host/api/traces', 'request target scheme "ftp" is not served: send a path such as /v1/traces'],
    ['http://user@host/api/traces', 'request target must not carry user info'],
    ['http:///api/traces', 'request target has an empty authority'],
    ['/api/traces#x', 'request target must not carry a fragment (#)'],
    ['/api/traces?x=#y', 'request target must not carry a fragment (#)'],
    ['/api/traces/%zz', 'path has a malformed percent-escape at character 13'],
    ['/api/traces/%', 'path has a malformed percent-escape at character 13'],
    ['/api/traces%00', 'path must not hold an encoded NUL (%00)'],
    ['/api\\traces', 'path must not hold a backslash'],
    ['/api/tr aces', 'path must be printable ASCII: percent-encode other characters'],
    ['/api/tr\u00e4ces', 'path must be printable ASCII: percent-encode other characters'],
    ['/api/./traces', 'path must not hold . or .. segments'],
    ['/api/x/../traces', 'path must not hold . or .. segments'],
    ['/api/x/%2e%2E/traces', 'path must not hold . or .. segments'],
    ['/api/..', 'path must not hold . or .. segments'],
    ['//api/traces', 'path must not hold an empty segment (//)'],
    ['/api//traces', 'path must not hold an empty segment (//)'],
  ])('refuses %j: %s', (raw, error) => {
    expect(canonicalTarget(raw)).toEqual({ ok: false, error });
  });
});
