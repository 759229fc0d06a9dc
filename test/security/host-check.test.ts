import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { crossSiteRefusal } from '../../collector/src/security/cross-site-check.js';
import { loopbackHostRefusal } from '../../collector/src/security/host-check.js';

describe('the Host check of open loopback access', () => {
  it.each([
    'localhost',
    'LOCALHOST:4318',
    'localhost:80',
    '127.0.0.1',
    '127.0.0.1:4318',
    '127.255.0.9:1',
    '[::1]',
    '[::1]:4318',
    '[::ffff:127.0.0.1]:4318',
  ])('answers Host %s', (host) => {
    expect(loopbackHostRefusal(host)).toBe(undefined);
  });

  it.each([
    'evil.example',
    'evil.example:4318',
    'localhost.evil.example',
    '127.0.0.1.evil.example',
    '128.0.0.1',
    '127.0.0.256',
    '10.0.0.1:4318',
    '[::2]',
    '[::1]:99999',
    'localhost:port',
    '0.0.0.0:4318',
  ])('refuses Host %s, naming it', (host) => {
    expect(loopbackHostRefusal(host)).toBe(
      `Host "${host}" is not this machine: without keys the collector answers only requests addressed to localhost, 127.0.0.1 or [::1] (a page on another name may be a DNS-rebinding attack); give --keys to serve other names`,
    );
  });

  it('refuses a request without Host', () => {
    expect(loopbackHostRefusal(undefined)).toBe(
      'a Host header is required: this collector has no keys and answers only requests addressed to localhost',
    );
  });
});

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const sameOrigin = { corsOrigins: ['https://app.example.com'], sameOriginOnly: true };
const openAccess = { corsOrigins: ['https://app.example.com'], sameOriginOnly: false };

describe('the cross-site check', () => {
  it.each<[Record<string, string>, string]>([
    [{ origin: 'http://127.0.0.1:4318' }, '127.0.0.1:4318'],
    [{ origin: 'http://LOCALHOST:4318', 'sec-fetch-site': 'same-origin' }, 'localhost:4318'],
    [{ origin: 'http://[::1]:4318' }, '[::1]:4318'],
    [{ origin: 'https://threshold.example.com' }, 'threshold.example.com:443'],
    [{ origin: 'http://threshold.example.com' }, 'threshold.example.com'],
    [{ 'sec-fetch-site': 'same-origin' }, 'localhost:4318'],
    [{ 'sec-fetch-site': 'none' }, 'localhost:4318'],
    [{}, 'localhost:4318'],
  ])("lets the collector's own page (or a client that is no browser) through: %j to %s", (headers, host) => {
    expect(crossSiteRefusal(request(headers), host, sameOrigin)).toBe(undefined);
  });

  it.each<[Record<string, string>, string, string]>([
    [
      { origin: 'https://evil.example' },
      'localhost:4318',
      "a page of https://evil.example may not make this request: it is not the collector's own dashboard",
    ],
    [
      { origin: 'http://localhost:5173' },
      'localhost:4318',
      "a page of http://localhost:5173 may not make this request: it is not the collector's own dashboard",
    ],
    [{ origin: 'null' }, 'localhost:4318', "a page of null may not make this request: it is not the collector's own dashboard"],
    [
      { origin: 'https://app.example.com' },
      'localhost:4318',
      "a page of https://app.example.com may not make this request: it is not the collector's own dashboard",
    ],
    [
      { 'sec-fetch-site': 'cross-site' },
      'localhost:4318',
      'a request caused by another site (Sec-Fetch-Site: cross-site) may not make this change',
    ],
    [
      { 'sec-fetch-site': 'same-site' },
      'localhost:4318',
      'a request caused by another site (Sec-Fetch-Site: same-site) may not make this change',
    ],
  ])('refuses a request another site caused: %j to %s', (headers, host, reason) => {
    expect(crossSiteRefusal(request(headers), host, sameOrigin)).toBe(reason);
  });

  it('trusts an origin given with --cors-origin for open-access calls, never for cookie sessions', () => {
    const fromApp = request({ origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' });
    expect(crossSiteRefusal(fromApp, 'localhost:4318', openAccess)).toBe(undefined);
    expect(crossSiteRefusal(fromApp, 'localhost:4318', sameOrigin)).toBe(
      "a page of https://app.example.com may not make this request: it is not the collector's own dashboard",
    );
    expect(crossSiteRefusal(request({ origin: 'https://evil.example' }), 'localhost:4318', openAccess)).toBe(
      "a page of https://evil.example may not make this request: it is not the collector's own dashboard",
    );
  });
});
