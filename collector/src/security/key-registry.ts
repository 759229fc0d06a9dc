import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccessConfig, ProjectAccess } from './access-config.js';

export type KeyRole = 'ingest' | 'read';

export interface KeyGrant {
  project: ProjectAccess;
  role: KeyRole;
  /** A short, non-secret id of the key (for rate limits and logs). */
  keyId: string;
}

const digest = (key: string) => createHash('sha256').update(key).digest();

/** Resolves a presented key to its project and role; comparison is on digests, in constant time. */
export class KeyRegistry {
  private readonly grants: Array<{ digest: Buffer; grant: KeyGrant }> = [];

  constructor(access: AccessConfig) {
    for (const project of access.projects) {
      for (const [role, keys] of [['ingest', project.ingestKeys], ['read', project.readKeys]] as const) {
        for (const key of keys) {
          const keyDigest = digest(key);
          this.grants.push({ digest: keyDigest, grant: { project, role, keyId: keyDigest.toString('hex').slice(0, 12) } });
        }
      }
    }
  }

  lookup(key: string | undefined): KeyGrant | undefined {
    if (!key) return undefined;
    const presented = digest(key);
    let found: KeyGrant | undefined;
    for (const entry of this.grants) if (timingSafeEqual(entry.digest, presented)) found = entry.grant;
    return found;
  }
}

/** `Authorization: Bearer <key>` (scheme case-insensitive). */
export function bearerKey(header: string | undefined): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export const SESSION_COOKIE = 'threshold_read_key';

/** The read key the dashboard's sign-in stored in its session cookie. */
export function cookieKey(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
