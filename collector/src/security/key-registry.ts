import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccessConfig, ProjectAccess } from './access-config.js';

/**
 * What a key may do: `ingest` sends spans; `read` reads the API and signs in to the dashboard;
 * `admin` reads too, and makes the API's changes (alert rules). Ingest keys never read.
 */
export type KeyRole = 'ingest' | 'read' | 'admin';

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
      const roles = [
        ['ingest', project.ingestKeys],
        ['read', project.readKeys],
        ['admin', project.adminKeys],
      ] as const;
      for (const [role, keys] of roles) {
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
    // Every entry is compared (no early exit), so the time taken says nothing about which key matched.
    for (const entry of this.grants) if (timingSafeEqual(entry.digest, presented)) found = entry.grant;
    return found;
  }
}

/** `Authorization: Bearer <key>` (scheme case-insensitive). */
export function bearerKey(header: string | undefined): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** True when the role may read the API (and sign in to the dashboard). */
export function canRead(role: KeyRole): boolean {
  return role === 'read' || role === 'admin';
}
