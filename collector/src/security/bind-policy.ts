import { ConfigError } from '../config.js';
import type { AccessConfig } from './access-config.js';

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/**
 * Open access is allowed on loopback only: binding another address without keys is refused
 * unless the operator says `--insecure`.
 */
export function checkBindPolicy(host: string, access: AccessConfig, insecure: boolean): void {
  if (access.projects.length > 0 || insecure || isLoopbackHost(host)) return;
  throw new ConfigError(
    `refusing to listen on ${host} without API keys: anyone who can reach it could send and read traces. Give --keys <file> (env THRESHOLD_KEYS_FILE), bind 127.0.0.1, or pass --insecure`,
  );
}
