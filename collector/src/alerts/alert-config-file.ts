import { readFileSync } from 'node:fs';
import { validateAlertRule, type AlertRule } from '@threshold/core';
import type { WebhookDestination } from './webhook-notifier.js';

/**
 * The alert rules file (`--alert-rules path.json`): either an array of rules, or
 * `{ "rules": [...], "webhooks": [{ "url": "...", "name": "...", "headers": {...} }] }`.
 * Every problem is reported at once, each with the rule's position and name, so a bad deploy
 * fails at start with a message that says what to fix.
 */
export interface AlertConfigFile {
  rules: AlertRule[];
  webhooks: WebhookDestination[];
}

export class AlertConfigError extends Error {
  override readonly name = 'AlertConfigError';
}

export function readAlertConfigFile(path: string): AlertConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AlertConfigError(`cannot read alert rules file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AlertConfigError(`alert rules file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseAlertConfig(json, path);
}

export function parseAlertConfig(json: unknown, source: string): AlertConfigFile {
  const document = Array.isArray(json) ? { rules: json } : json;
  if (typeof document !== 'object' || document === null || !Array.isArray((document as { rules?: unknown }).rules)) {
    throw new AlertConfigError(`${source}: expected an array of rules or an object with a "rules" array`);
  }
  const { rules: rawRules, webhooks: rawWebhooks } = document as { rules: unknown[]; webhooks?: unknown };
  const problems: string[] = [];
  const rules: AlertRule[] = [];
  const ids = new Set<string>();
  rawRules.forEach((raw, index) => {
    const validation = validateAlertRule(raw);
    const label = `rules[${index}]${nameOf(raw)}`;
    if (!validation.ok) {
      for (const [field, message] of Object.entries(validation.fields)) problems.push(`${label}${field ? ` ${field}` : ''}: ${message}`);
      return;
    }
    if (ids.has(validation.rule.id)) problems.push(`${label}: id "${validation.rule.id}" is used by an earlier rule`);
    ids.add(validation.rule.id);
    rules.push(validation.rule);
  });
  const webhooks: WebhookDestination[] = [];
  if (rawWebhooks !== undefined) {
    if (!Array.isArray(rawWebhooks)) problems.push('webhooks must be an array of { "url": "https://…" }');
    else {
      rawWebhooks.forEach((raw, index) => {
        const webhook = parseWebhook(raw);
        if (typeof webhook === 'string') problems.push(`webhooks[${index}]: ${webhook}`);
        else webhooks.push(webhook);
      });
    }
  }
  if (problems.length > 0) throw new AlertConfigError(`${source}: invalid alert configuration:\n  ${problems.join('\n  ')}`);
  return { rules, webhooks };
}

/** A webhook URL given on the command line or in the file; returns the problem as a string. */
export function parseWebhook(raw: unknown): WebhookDestination | string {
  const entry = typeof raw === 'string' ? { url: raw } : raw;
  if (typeof entry !== 'object' || entry === null) return 'a webhook is a URL or { "url": "https://…" }';
  const { url, name, headers } = entry as Record<string, unknown>;
  if (typeof url !== 'string' || !isHttpUrl(url)) return 'url must be an http:// or https:// URL';
  if (name !== undefined && typeof name !== 'string') return 'name must be a string';
  if (
    headers !== undefined &&
    (typeof headers !== 'object' || headers === null || Object.values(headers).some((value) => typeof value !== 'string'))
  ) {
    return 'headers must map header names to strings';
  }
  return { url, ...(name !== undefined ? { name } : {}), ...(headers !== undefined ? { headers: headers as Record<string, string> } : {}) };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function nameOf(raw: unknown): string {
  const name = typeof raw === 'object' && raw !== null ? (raw as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name ? ` ("${name}")` : '';
}
