import { ConfigError } from '../config.js';
import { OPEN_ACCESS, readAccessConfig, type AccessConfig } from './access-config.js';
import { checkBindPolicy } from './bind-policy.js';

export interface SecuritySettings {
  access: AccessConfig;
  corsOrigins: string[];
}

export interface RawSecuritySettings {
  keysFile?: string;
  insecure?: boolean;
  corsOrigins?: string[];
}

const ORIGIN = /^(\*|https?:\/\/[^/?#\s]+)$/;

/** Keys, CORS origins and the bind check from flags, then `THRESHOLD_KEYS_FILE`, `THRESHOLD_CORS_ORIGINS`, `THRESHOLD_INSECURE`. */
export function securityFromSettings(flags: RawSecuritySettings, env: NodeJS.ProcessEnv, host: string): SecuritySettings {
  const keysFile = flags.keysFile ?? (env.THRESHOLD_KEYS_FILE || undefined);
  const access = keysFile ? readAccessConfig(keysFile) : OPEN_ACCESS;
  const insecure = flags.insecure === true || env.THRESHOLD_INSECURE === '1' || env.THRESHOLD_INSECURE === 'true';
  const corsOrigins =
    flags.corsOrigins ??
    (env.THRESHOLD_CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!ORIGIN.test(origin)) throw new ConfigError(`CORS origin must look like https://app.example.com (or *), got "${origin}"`);
  }
  checkBindPolicy(host, access, insecure);
  return { access, corsOrigins: corsOrigins.map((origin) => origin.replace(/\/$/, '')) };
}
