import { describe, expect, it } from 'vitest';
import { formatCount, formatDurationMs, formatPercent } from '../../dashboard/src/format/format-duration';
import { bucketMsFor, resolveTimeRange } from '../../dashboard/src/time/time-range';
import { matchPath, fillPath } from '../../dashboard/src/router/match-path';
import { applyQueryPatch } from '../../dashboard/src/router/query-state';
import { resolveView, sharedQuery } from '../../dashboard/src/app/resolve-view';
import { apiPath } from '../../dashboard/src/api/api-client';

describe('duration formatting', () => {
  it('pick the unit and precision a person reads at a glance', () => {
    expect([0, 0.456, 4.25, 12.6, 999.4, 1_234, 12_345, 61_000, 3_725_000, -250].map(formatDurationMs)).toEqual([
      '0 ms',
      '0.46 ms',
      '4.3 ms',
      '13 ms',
      '999 ms',
      '1.23 s',
      '12.3 s',
      '1m 01s',
      '1h 02m',
      '−250 ms',
    ]);
    expect(formatDurationMs(undefined)).toBe('—');
  });

  it('shorten counts and show fractions as percentages', () => {
    expect([950, 12_345, 4_560_000].map(formatCount)).toEqual(['950', '12.3k', '4.56M']);
    expect([0, 0.004, 0.4, 1].map(formatPercent)).toEqual(['0%', '0.40%', '40.0%', '100%']);
  });
});

describe('time range from the URL', () => {
  const now = 1_700_000_000_000;
  it('resolve presets against now, defaulting to the last hour', () => {
    expect(resolveTimeRange(new URLSearchParams('range=15m'), now)).toEqual({ key: '15m', fromMs: now - 900_000, toMs: now });
    expect(resolveTimeRange(new URLSearchParams(''), now)).toEqual({ key: '1h', fromMs: now - 3_600_000, toMs: now });
    expect(resolveTimeRange(new URLSearchParams('range=bogus'), now)).toEqual({ key: '1h', fromMs: now - 3_600_000, toMs: now });
  });

  it('take a custom window as given, and fall back when it is invalid', () => {
    expect(resolveTimeRange(new URLSearchParams('range=custom&from=1000&to=5000'), now)).toEqual({
      key: 'custom',
      fromMs: 1000,
      toMs: 5000,
    });
    expect(resolveTimeRange(new URLSearchParams('range=custom&from=5000&to=1000'), now).key).toBe('1h');
    expect(resolveTimeRange(new URLSearchParams('range=custom&from=abc&to=1000'), now).key).toBe('1h');
  });

  it('choose round buckets giving at most 60 points', () => {
    expect(bucketMsFor({ fromMs: 0, toMs: 900_000 })).toBe(30_000);
    expect(bucketMsFor({ fromMs: 0, toMs: 3_600_000 })).toBe(60_000);
    expect(bucketMsFor({ fromMs: 0, toMs: 86_400_000 })).toBe(1_800_000);
    expect(bucketMsFor({ fromMs: 0, toMs: 7 * 86_400_000 })).toBe(3 * 3_600_000);
  });
});

describe('routing', () => {
  it('match path patterns and decode parameters', () => {
    expect(matchPath('/traces/:traceId', '/traces/abc123')).toEqual({ traceId: 'abc123' });
    expect(matchPath('/sessions/:sessionId', '/sessions/a%2Fb%20c/')).toEqual({ sessionId: 'a/b c' });
    expect(matchPath('/traces', '/traces/abc')).toBeNull();
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/traces/:traceId', '/traces/%E0%A4%A')).toBeNull();
    expect(fillPath('/sessions/:sessionId', { sessionId: 'a/b' })).toBe('/sessions/a%2Fb');
  });

  it('resolve the first view whose pattern matches', () => {
    const views = [
      { id: 'list', path: '/traces' },
      { id: 'one', path: '/traces/:traceId' },
    ];
    expect(resolveView(views, '/traces/ff')).toEqual({ view: views[1], params: { traceId: 'ff' } });
    expect(resolveView(views, '/nowhere')).toBeNull();
  });

  it('carry the time range and filters between views, nothing else', () => {
    expect(sharedQuery('?range=24h&service=agent&page=3&band=broken&taskClass=simple')).toBe('?range=24h&service=agent&taskClass=simple');
    expect(sharedQuery('?page=2')).toBe('');
  });

  it('merge a patch into the query, removing empty values', () => {
    expect(applyQueryPatch('?range=1h&page=2', { page: null, service: 'a b' })).toBe('?range=1h&service=a+b');
    expect(applyQueryPatch('?page=2', { page: '' })).toBe('');
  });

  it('build API paths with only the parameters that are set', () => {
    expect(apiPath('/api/traces', { from: 1000, to: undefined, service: '', band: 'broken', limit: 50 })).toBe(
      '/api/traces?from=1000&band=broken&limit=50',
    );
    expect(apiPath('/api/stats')).toBe('/api/stats');
  });
});
