import { describe, expect, it } from 'vitest';
import type { KeyGrant } from '../../collector/src/security/key-registry.js';
import { SessionStore, sessionCookie, sessionToken } from '../../collector/src/security/session-store.js';

const grant = (project: string): KeyGrant => ({
  project: { name: project, ingestKeys: [], readKeys: [], adminKeys: [], ingestRequestsPerSecond: 1 },
  role: 'read',
  keyId: project,
});

function store(maxSessions = 3) {
  const clock = { nowMs: 1_000 };
  let next = 0;
  const sessions = new SessionStore({ ttlMs: 60_000, maxSessions, nowMs: () => clock.nowMs, newToken: () => `token-${++next}` });
  return { sessions, clock };
}

describe('dashboard sessions', () => {
  it('gives a random 256-bit token by default, a new one per sign-in', () => {
    const sessions = new SessionStore();
    const first = sessions.create(grant('alpha'));
    const second = sessions.create(grant('alpha'));
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    expect(sessions.lookup(first)).toEqual(grant('alpha'));
  });

  it('maps a token to its grant until the session expires', () => {
    const { sessions, clock } = store();
    const token = sessions.create(grant('alpha'));
    clock.nowMs += 59_999;
    expect(sessions.lookup(token)).toEqual(grant('alpha'));
    clock.nowMs += 1;
    expect(sessions.lookup(token)).toBe(undefined);
    expect(sessions.size).toBe(0);
  });

  it('forgets a revoked token at once', () => {
    const { sessions } = store();
    const token = sessions.create(grant('alpha'));
    expect(sessions.revoke(token)).toBe(true);
    expect(sessions.lookup(token)).toBe(undefined);
    expect(sessions.revoke(token)).toBe(false);
    expect(sessions.revoke(undefined)).toBe(false);
  });

  it('holds at most maxSessions: expired ones go first, then the oldest', () => {
    const { sessions, clock } = store(3);
    const first = sessions.create(grant('a'));
    clock.nowMs += 30_000;
    const second = sessions.create(grant('b'));
    const third = sessions.create(grant('c'));
    const fourth = sessions.create(grant('d'));
    expect([first, second, third, fourth].map((token) => sessions.lookup(token)?.keyId)).toEqual([undefined, 'b', 'c', 'd']);
    clock.nowMs += 30_000; // `second` and `third` have 30 s left; none expired
    const fifth = sessions.create(grant('e'));
    expect([second, third, fourth, fifth].map((token) => sessions.lookup(token)?.keyId)).toEqual([undefined, 'c', 'd', 'e']);
    expect(sessions.size).toBe(3);
  });

  it('reads only its own cookie, and only a well-formed token', () => {
    expect(sessionToken('a=1; threshold_session=abc_DEF-9; b=2')).toBe('abc_DEF-9');
    expect(sessionToken('threshold_session=not a token')).toBe(undefined);
    expect(sessionToken('threshold_read_key=alpha-read-0123456789ab')).toBe(undefined);
    expect(sessionToken(undefined)).toBe(undefined);
    expect(sessionCookie('abc')).toBe('threshold_session=abc; Path=/; HttpOnly; SameSite=Strict');
  });
});
