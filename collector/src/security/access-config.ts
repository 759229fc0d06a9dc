import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';

/** A project: its own traces, its own keys. A key of one project never reaches another's traces. */
export interface ProjectAccess {
  /** Lower-case letters, digits and underscores; names the project's data dir and ClickHouse database. */
  name: string;
  /** Keys that may send spans to `/v1/traces` (`Authorization: Bearer …`). */
  ingestKeys: string[];
  /** Keys that may read the API and sign in to the dashboard. */
  readKeys: string[];
  /** Keys that may do everything a read key does, and change alert rules (any non-read API call). */
  adminKeys: string[];
  /** Ingest requests per second allowed to each ingest key (bursts up to one second's worth). */
  ingestRequestsPerSecond: number;
}

/** Who may do what: no projects means open access (allowed on loopback, or with `--insecure`). */
export interface AccessConfig {
  projects: ProjectAccess[];
}

export const OPEN_ACCESS: AccessConfig = { projects: [] };
export const DEFAULT_INGEST_REQUESTS_PER_SECOND = 500;

const PROJECT_NAME = /^[a-z0-9_]{1,32}$/;
/** At least 16 characters of URL- and header-safe text. */
const KEY = /^[A-Za-z0-9._~+/=-]{16,256}$/;
const PROJECT_FIELDS = ['ingestKeys', 'readKeys', 'adminKeys', 'ingestRequestsPerSecond'];

function keyList(project: string, field: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((key) => typeof key !== 'string' || !KEY.test(key))) {
    throw new ConfigError(`keys file: project "${project}" ${field} must be a list of keys of 16 to 256 letters, digits or ._~+/=-`);
  }
  return value as string[];
}

/**
 * Parses a keys file:
 *
 *   { "projects": { "checkout": { "ingestKeys": ["…"], "readKeys": ["…"], "adminKeys": ["…"], "ingestRequestsPerSecond": 200 } } }
 *
 * Throws ConfigError naming the first problem (bad name, short key, a key used twice, an unknown
 * field: a misspelt "adminKey" must not silently leave a project without its admin).
 */
export function parseAccessConfig(text: string): AccessConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`keys file is not valid JSON: ${(error as Error).message}`);
  }
  const projects = (raw as { projects?: unknown })?.projects;
  if (typeof projects !== 'object' || projects === null || Array.isArray(projects) || Object.keys(projects).length === 0) {
    throw new ConfigError(
      'keys file must hold {"projects": {"<name>": {"ingestKeys": [...], "readKeys": [...]}}} with at least one project',
    );
  }
  const seen = new Set<string>();
  const parsed = Object.entries(projects as Record<string, unknown>).map(([name, entry]): ProjectAccess => {
    if (!PROJECT_NAME.test(name))
      throw new ConfigError(`keys file: project name "${name}" must be 1 to 32 lower-case letters, digits or underscores`);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new ConfigError(`keys file: project "${name}" must be an object of key lists`);
    const fields = entry as Record<string, unknown>;
    const unknown = Object.keys(fields).find((field) => !PROJECT_FIELDS.includes(field));
    if (unknown !== undefined)
      throw new ConfigError(`keys file: project "${name}" has an unknown field "${unknown}" (expected ${PROJECT_FIELDS.join(', ')})`);
    const ingestKeys = keyList(name, 'ingestKeys', fields.ingestKeys);
    const readKeys = keyList(name, 'readKeys', fields.readKeys);
    const adminKeys = keyList(name, 'adminKeys', fields.adminKeys);
    for (const key of [...ingestKeys, ...readKeys, ...adminKeys]) {
      if (seen.has(key)) throw new ConfigError(`keys file: a key of project "${name}" is used more than once`);
      seen.add(key);
    }
    const rate = fields.ingestRequestsPerSecond ?? DEFAULT_INGEST_REQUESTS_PER_SECOND;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > 1_000_000) {
      throw new ConfigError(`keys file: project "${name}" ingestRequestsPerSecond must be a number between 0 and 1000000`);
    }
    return { name, ingestKeys, readKeys, adminKeys, ingestRequestsPerSecond: rate };
  });
  return { projects: parsed };
}

export function readAccessConfig(path: string): AccessConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read keys file ${path}: ${(error as Error).message}`);
  }
  return parseAccessConfig(text);
}
