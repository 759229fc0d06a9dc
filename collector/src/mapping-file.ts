import { readFileSync } from 'node:fs';
import { parseMappingRules, type MappingRules } from '@threshold/core';
import { ConfigError } from './config.js';

/**
 * Reads and validates the mapping rules file (`--mapping FILE`, `THRESHOLD_MAPPING`) at start.
 * Anything wrong (missing file, bad JSON, a bad rule) is a ConfigError naming the file and every
 * problem with its place in the file, so `threshold start` exits 2 with one readable line.
 */
export function readMappingFile(path: string | undefined): MappingRules | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`mapping file "${path}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`mapping file "${path}" is not valid JSON: ${(error as Error).message}`);
  }
  const result = parseMappingRules(parsed);
  if ('errors' in result) throw new ConfigError(`mapping file "${path}": ${result.errors.join('; ')}`);
  return result.rules;
}
