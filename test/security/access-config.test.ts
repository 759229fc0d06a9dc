import { describe, expect, it } from 'vitest';
import { parseAccessConfig } from '../../collector/src/security/access-config.js';
import { KeyRegistry } from '../../collector/src/security/key-registry.js';

const KEY = (name: string) => `${name}-0123456789abcdef`;

describe('the keys file', () => {
  it('gives each project ingest, read and admin keys, and resolves each key to its role', () => {
    const access = parseAccessConfig(
      JSON.stringify({
        projects: {
          shop: { ingestKeys: [KEY('ingest')], readKeys: [KEY('read')], adminKeys: [KEY('admin')], ingestRequestsPerSecond: 20 },
          lab: {},
        },
      }),
    );
    expect(access).toEqual({
      projects: [
        { name: 'shop', ingestKeys: [KEY('ingest')], readKeys: [KEY('read')], adminKeys: [KEY('admin')], ingestRequestsPerSecond: 20 },
        { name: 'lab', ingestKeys: [], readKeys: [], adminKeys: [], ingestRequestsPerSecond: 500 },
      ],
    });
    const registry = new KeyRegistry(access);
    expect([KEY('ingest'), KEY('read'), KEY('admin'), KEY('other'), undefined].map((key) => registry.lookup(key)?.role)).toEqual([
      'ingest',
      'read',
      'admin',
      undefined,
      undefined,
    ]);
    expect(registry.lookup(KEY('admin'))?.project.name).toBe('shop');
  });

  it.each([
    [
      { shop: { adminKeys: ['short'] } },
      'keys file: project "shop" adminKeys must be a list of keys of 16 to 256 letters, digits or ._~+/=-',
    ],
    [{ shop: { readKeys: [KEY('a')], adminKeys: [KEY('a')] } }, 'keys file: a key of project "shop" is used more than once'],
    [
      { shop: { adminKey: [KEY('a')] } },
      'keys file: project "shop" has an unknown field "adminKey" (expected ingestKeys, readKeys, adminKeys, ingestRequestsPerSecond)',
    ],
    [{ shop: [KEY('a')] }, 'keys file: project "shop" must be an object of key lists'],
    [{ shop: null }, 'keys file: project "shop" must be an object of key lists'],
  ])('refuses %j: %s', (projects, message) => {
    expect(() => parseAccessConfig(JSON.stringify({ projects }))).toThrow(message);
  });
});
