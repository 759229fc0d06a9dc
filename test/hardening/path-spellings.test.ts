import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRulesResponse, TraceList } from '@threshold/core';
import { rawRequest, type RawResponse } from '../security/raw-http.js';
import { DASHBOARD_PAGE, KEYS, markerRule, startTestGateway, type TestGateway } from '../security/test-gateway.js';
import { pollUntil, workloadBody, workloadTraceId } from './acknowledged-traces.js';

/**
 * Every spelling of a path × every kind of key, against a real gateway with two projects (alpha
 * listed first, so a request that slipped past the keys would land in alpha). Each request is
 * sent as raw bytes, so absolute-form targets, dot segments and backslashes reach the server
 * unchanged. Outcomes: a status, or the project whose collector answered (read from the alert
 * rule only that project has), or `ok` for a 2xx that names no project.
 */
type KeyName = keyof typeof KEYS | 'none';
type Outcome = number | 'alpha' | 'beta' | 'ok';

interface Spelling {
  label: string;
  target: (port: number) => string;
  /** With the key that may use the route (of alpha): a status, or 'own' for the key's own project. */
  withRightKey: number | 'own';
}

const BASE_MS = Date.UTC(2026, 0, 8, 9, 0, 0);
const bearer = (key: KeyName): Record<string, string> => (key === 'none' ? {} : { authorization: `Bearer ${KEYS[key]}` });

/** Spellings of one API path: `root` (`/api`, `/v1`, `/metrics`) and the rest of it (`/alerts/rules`). */
function apiSpellings(root: string, tail: string): Spelling[] {
  const upper = root.toUpperCase();
  const lowerFirst = root.replace(/^\/(.)/, (_, letter: string) => `/%${letter.charCodeAt(0).toString(16)}`);
  const upperFirst = upper.replace(/^\/(.)/, (_, letter: string) => `/%${letter.charCodeAt(0).toString(16).toUpperCase()}`);
  return [
    { label: 'canonical', target: () => `${root}${tail}`, withRightKey: 'own' },
    { label: 'upper-case prefix', target: () => `${upper}${tail}`, withRightKey: 404 },
    { label: 'mixed-case prefix', target: () => `${root[0]}${root[1].toUpperCase()}${root.slice(2)}${tail}`, withRightKey: 404 },
    { label: 'trailing slash', target: () => `${root}${tail}/`, withRightKey: 404 },
    { label: 'query string', target: () => `${root}${tail}?limit=5&x=%2F`, withRightKey: 'own' },
    { label: 'percent-encoded letter', target: () => `${lowerFirst}${tail}`, withRightKey: 'own' },
    { label: 'percent-encoded upper-case letter', target: () => `${upperFirst}${tail}`, withRightKey: 404 },
    { label: 'absolute-form', target: (port) => `http://127.0.0.1:${port}${root}${tail}`, withRightKey: 'own' },
    { label: 'absolute-form naming another host', target: () => `http://evil.example${root}${tail}`, withRightKey: 'own' },
    { label: 'absolute-form, upper case', target: (port) => `HTTP://127.0.0.1:${port}${upper}${tail}`, withRightKey: 404 },
    { label: 'leading double slash', target: () => `/${root}${tail}`, withRightKey: 400 },
    { label: 'inner double slash', target: () => `${root}/${tail || '/'}`, withRightKey: 400 },
    { label: 'dot segment', target: () => `${root}/.${tail}`, withRightKey: 400 },
    { label: 'dot-dot segment', target: () => `${root}/x/..${tail}`, withRightKey: 400 },
    { label: 'encoded dot-dot segment', target: () => `${root}/x/%2e%2E${tail}`, withRightKey: 400 },
    { label: 'dot-dot out of a dashboard path', target: () => `/assets/..${root}${tail}`, withRightKey: 400 },
    { label: 'encoded slash after the prefix', target: () => `${root}%2F${tail.slice(1)}`, withRightKey: 400 },
    { label: 'backslash', target: () => `${root}\\${tail.slice(1)}`, withRightKey: 400 },
    { label: 'fragment', target: () => `${root}${tail}#top`, withRightKey: 400 },
    { label: 'encoded NUL', target: () => `${root}${tail}%00`, withRightKey: 400 },
    { label: 'malformed escape', target: () => `${root}${tail}%zz`, withRightKey: 400 },
    { label: 'not a path', target: () => `${root.slice(1)}${tail}`, withRightKey: 400 },
    { label: 'ftp scheme', target: (port) => `ftp://127.0.0.1:${port}${root}${tail}`, withRightKey: 400 },
  ];
}

interface Row {
  method: string;
  spelling: Spelling;
  key: KeyName;
  body?: () => string;
  contentType?: string;
  expected: Outcome;
}

/** The outcome of one spelling with one key, given the role the route needs. */
function expectedOutcome(spelling: Spelling, key: KeyName, rightKeys: readonly KeyName[], ownOutcome: (key: KeyName) => Outcome): Outcome {
  if (spelling.withRightKey === 400) return 400;
  if (key === 'none') return 401;
  if (!rightKeys.includes(key)) return 403;
  return spelling.withRightKey === 'own' ? ownOutcome(key) : spelling.withRightKey;
}

const projectOf = (key: KeyName): 'alpha' | 'beta' => (key.startsWith('beta') ? 'beta' : 'alpha');
const ALL_KEYS: KeyName[] = ['none', 'alphaIngest', 'alphaRead', 'alphaAdmin', 'betaRead', 'betaIngest'];
const READERS: KeyName[] = ['alphaRead', 'alphaAdmin', 'betaRead'];

let ingestSequence = 0;
let ruleSequence = 0;

function rows(): Row[] {
  const table: Row[] = [];
  for (const spelling of apiSpellings('/api', '/alerts/rules')) {
    for (const method of ['GET', 'HEAD']) {
      for (const key of ALL_KEYS)
        table.push({
          method,
          spelling,
          key,
          expected: expectedOutcome(spelling, key, READERS, (reader) => (method === 'HEAD' ? 'ok' : projectOf(reader))),
        });
    }
    for (const key of ALL_KEYS) {
      table.push({
        method: 'POST',
        spelling,
        key,
        contentType: 'application/json',
        body: () => JSON.stringify({ ...markerRule('table'), name: `table rule ${++ruleSequence}` }),
        expected: expectedOutcome(spelling, key, ['alphaAdmin'], () => 201),
      });
    }
  }
  for (const spelling of apiSpellings('/metrics', '')) {
    for (const key of ALL_KEYS) table.push({ method: 'GET', spelling, key, expected: expectedOutcome(spelling, key, READERS, () => 'ok') });
  }
  for (const spelling of apiSpellings('/api', '/live')) {
    for (const key of ['none', 'alphaIngest', 'alphaRead'] as KeyName[])
      table.push({ method: 'GET', spelling, key, expected: expectedOutcome(spelling, key, READERS, () => 'ok') });
  }
  for (const spelling of apiSpellings('/v1', '/traces')) {
    for (const key of ['none', 'alphaRead', 'alphaAdmin', 'alphaIngest'] as KeyName[]) {
      table.push({
        method: 'POST',
        spelling,
        key,
        contentType: 'application/json',
        body: () => workloadBody(workloadTraceId(70, ++ingestSequence), BASE_MS),
        expected: expectedOutcome(spelling, key, ['alphaIngest'], () => 'ok'),
      });
    }
  }
  const canonical = (path: string): Spelling => ({ label: 'canonical', target: () => path, withRightKey: 'own' });
  for (const key of ALL_KEYS) {
    // A change no route is classified for needs an admin key, and then finds no route.
    table.push({
      method: 'PATCH',
      spelling: canonical('/api/traces'),
      key,
      body: () => '{}',
      contentType: 'application/json',
      expected: expectedOutcome(canonical(''), key, ['alphaAdmin'], () => 404),
    });
    table.push({
      method: 'PUT',
      spelling: canonical('/api/traces/0123'),
      key,
      body: () => '{}',
      contentType: 'application/json',
      expected: expectedOutcome(canonical(''), key, ['alphaAdmin'], () => 404),
    });
    // What-if changes nothing: a read key may ask.
    table.push({
      method: 'POST',
      spelling: canonical('/api/whatif'),
      key,
      body: () => '{"from":0,"to":1}',
      contentType: 'application/json',
      expected: expectedOutcome(canonical(''), key, READERS, () => 'ok'),
    });
    // A plain OPTIONS (not a CORS preflight) is a read.
    table.push({
      method: 'OPTIONS',
      spelling: canonical('/api/alerts/rules'),
      key,
      expected: expectedOutcome(canonical(''), key, READERS, () => 'ok'),
    });
    // The dashboard's files need no key, and take GET and HEAD only.
    table.push({ method: 'GET', spelling: canonical('/'), key, expected: 200 });
    table.push({ method: 'GET', spelling: canonical('/traces/0123'), key, expected: 200 });
    table.push({ method: 'HEAD', spelling: canonical('/sessions'), key, expected: 200 });
    table.push({ method: 'POST', spelling: canonical('/'), key, body: () => '{}', contentType: 'application/json', expected: 405 });
    table.push({ method: 'DELETE', spelling: canonical('/traces/0123'), key, expected: 405 });
    table.push({ method: 'GET', spelling: canonical('/assets%2Findex.html'), key, expected: 400 });
    table.push({ method: 'GET', spelling: canonical('/assets/%2e%2e/index.html'), key, expected: 400 });
    table.push({ method: 'OPTIONS', spelling: { label: 'asterisk', target: () => '*', withRightKey: 400 }, key, expected: 400 });
  }
  return table;
}

const TABLE = rows();

describe('every spelling of a path, with every key', () => {
  let test: TestGateway;

  beforeAll(async () => {
    test = await startTestGateway();
    for (const project of ['alpha', 'beta'] as const) {
      const created = await fetch(`${test.url}/api/alerts/rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS[`${project}Admin`]}` },
        body: JSON.stringify(markerRule(project)),
      });
      expect(created.status).toBe(201);
    }
  });
  afterAll(() => test.close());

  const outcomeOf = (row: Row, response: RawResponse): Outcome => {
    if (response.status === 200 && row.method === 'GET' && row.spelling.target(0).includes('alerts/rules')) {
      const ids = (JSON.parse(response.body) as AlertRulesResponse).rules.map((rule) => rule.id);
      const projects = (['alpha', 'beta'] as const).filter((project) => ids.includes(`${project}-marker`));
      return projects.length === 1 ? projects[0] : response.status;
    }
    if (typeof row.expected === 'number' || response.status >= 300) return response.status;
    return response.status >= 200 && response.status < 300 ? 'ok' : response.status;
  };

  it.each(
    TABLE.map(
      (row) => [`${row.method} ${row.spelling.label} ${row.spelling.target(4318)} with ${row.key} → ${row.expected}`, row] as const,
    ),
  )('%s', async (_name, row) => {
    const response = await rawRequest(test.port, {
      method: row.method,
      target: row.spelling.target(test.port),
      headers: { ...bearer(row.key), ...(row.contentType ? { 'content-type': row.contentType } : {}) },
      body: row.body?.(),
    });
    expect(outcomeOf(row, response)).toBe(row.expected);
    // Every refusal is JSON naming the problem; the dashboard's pages are its own.
    if (response.status >= 400 && row.method !== 'HEAD')
      expect(typeof (JSON.parse(response.body) as { error?: unknown }).error).toBe('string');
    if (response.status === 200 && row.method === 'GET' && row.spelling.target(0).match(/^\/(traces|$)/))
      expect(response.body).toBe(DASHBOARD_PAGE);
  });

  it("files spans sent through an absolute-form or encoded target under the key's own project", async () => {
    const viaAbsolute = workloadTraceId(71, 0);
    const viaEncoded = workloadTraceId(71, 1);
    const send = (target: string, traceId: string) =>
      rawRequest(test.port, {
        method: 'POST',
        target,
        headers: { ...bearer('betaIngest'), 'content-type': 'application/json' },
        body: workloadBody(traceId, BASE_MS),
      });
    expect((await send(`http://127.0.0.1:${test.port}/v1/traces`, viaAbsolute)).status).toBe(200);
    expect((await send('/%76%31/traces', viaEncoded)).status).toBe(200);
    const read = async (key: KeyName) => {
      const response = await fetch(`${test.url}/api/traces?limit=1000`, { headers: bearer(key) });
      return ((await response.json()) as TraceList).traces.map((trace) => trace.traceId);
    };
    const beta = await pollUntil(
      () => read('betaRead'),
      (ids) => ids.includes(viaAbsolute) && ids.includes(viaEncoded),
      15_000,
      'beta traces analysed',
    );
    expect(beta.filter((id) => id === viaAbsolute || id === viaEncoded).sort()).toEqual([viaAbsolute, viaEncoded].sort());
    const alpha = await read('alphaRead');
    expect(alpha.filter((id) => id === viaAbsolute || id === viaEncoded)).toEqual([]);
  });

  it('deletes a rule only with an admin key, whatever the spelling', async () => {
    const rule = markerRule('doomed');
    const create = await fetch(`${test.url}/api/alerts/rules`, {
      method: 'POST',
      headers: { ...bearer('alphaAdmin'), 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    expect(create.status).toBe(201);
    const attempts: Array<[string, KeyName, number]> = [
      ['/api/alerts/rules/doomed-marker', 'none', 401],
      ['/api/alerts/rules/doomed-marker', 'alphaRead', 403],
      ['/api/alerts/rules/doomed-marker', 'alphaIngest', 403],
      ['/api/alerts/rules/doomed-marker', 'betaAdmin', 404],
      ['/API/alerts/rules/doomed-marker', 'none', 401],
      ['/API/alerts/rules/doomed-marker', 'alphaRead', 403],
      ['/API/alerts/rules/doomed-marker', 'alphaAdmin', 404],
      ['/api/alerts/RULES/doomed-marker', 'alphaAdmin', 404],
      ['/api/alerts/rules/doomed-marker/', 'alphaAdmin', 404],
      ['/api/alerts/rules/x/../doomed-marker', 'alphaAdmin', 400],
      [`http://127.0.0.1:${test.port}/API/alerts/rules/doomed-marker`, 'alphaAdmin', 404],
    ];
    for (const [target, key, status] of attempts) {
      const response = await rawRequest(test.port, { method: 'DELETE', target, headers: bearer(key) });
      expect([target, key, response.status]).toEqual([target, key, status]);
    }
    const refused = await rawRequest(test.port, {
      method: 'DELETE',
      target: '/api/alerts/rules/doomed-marker',
      headers: bearer('alphaRead'),
    });
    expect(JSON.parse(refused.body)).toEqual({ error: 'a read key cannot change alert rules: use an admin key' });
    expect((await fetch(`${test.url}/api/alerts/rules/doomed-marker`, { headers: bearer('alphaRead') })).status).toBe(200);
    const deleted = await rawRequest(test.port, {
      method: 'DELETE',
      target: `http://127.0.0.1:${test.port}/api/alerts/rules/doomed-marker`,
      headers: bearer('alphaAdmin'),
    });
    expect(deleted.status).toBe(204);
    expect((await fetch(`${test.url}/api/alerts/rules/doomed-marker`, { headers: bearer('alphaRead') })).status).toBe(404);
  });
});
