import { createHash, randomBytes } from 'node:crypto';
import type { KeyGrant } from './key-registry.js';

/**
 * Dashboard sessions: the browser's cookie holds a random token, never the key; the grant it
 * stands for stays here. A token read from a log, a proxy or a stolen cookie jar therefore expires
 * (12 h after sign-in), dies on sign-out, and never reveals a key that works elsewhere. Tokens are
 * held as SHA-256 digests, so a look-up's timing says nothing about a token's text. The map is
 * bounded: when full, expired sessions go first, then the oldest.
 */
export interface SessionStoreOptions {
  /** How long a session lasts after sign-in. */
  ttlMs: number;
  /** Most sessions held at once. */
  maxSessions: number;
  nowMs: () => number;
  /** A new token (tests may fix it); 32 random bytes, base64url, by default. */
  newToken?: () => string;
}

export const SESSION_COOKIE = 'threshold_session';
export const DEFAULT_SESSION_OPTIONS: SessionStoreOptions = { ttlMs: 12 * 3_600_000, maxSessions: 10_000, nowMs: () => Date.now() };

const tokenDigest = (token: string) => createHash('sha256').update(token).digest('base64url');

export class SessionStore {
  /** By token digest, in order of sign-in (a Map keeps insertion order: the first is the oldest). */
  private readonly sessions = new Map<string, { grant: KeyGrant; expiresAtMs: number }>();

  constructor(private readonly options: SessionStoreOptions = DEFAULT_SESSION_OPTIONS) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Starts a session for the grant; returns the token for the cookie. */
  create(grant: KeyGrant): string {
    if (this.sessions.size >= this.options.maxSessions) this.evict();
    const token = this.options.newToken?.() ?? randomBytes(32).toString('base64url');
    this.sessions.set(tokenDigest(token), { grant, expiresAtMs: this.options.nowMs() + this.options.ttlMs });
    return token;
  }

  /** The grant of a live session; an expired one is forgotten. */
  lookup(token: string | undefined): KeyGrant | undefined {
    if (!token) return undefined;
    const digest = tokenDigest(token);
    const session = this.sessions.get(digest);
    if (!session) return undefined;
    if (this.options.nowMs() >= session.expiresAtMs) {
      this.sessions.delete(digest);
      return undefined;
    }
    return session.grant;
  }

  /** Ends a session (sign-out); true when there was one. */
  revoke(token: string | undefined): boolean {
    return token ? this.sessions.delete(tokenDigest(token)) : false;
  }

  private evict(): void {
    const now = this.options.nowMs();
    for (const [digest, session] of this.sessions) if (now >= session.expiresAtMs) this.sessions.delete(digest);
    while (this.sessions.size >= this.options.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
  }
}

/** The session token in a `Cookie` header, if any. */
export function sessionToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) {
      const value = part.slice(at + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** Set-Cookie of a session: for the browser session, sent to this origin only, never readable by scripts. */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
