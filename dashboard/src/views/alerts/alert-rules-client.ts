import type { AlertRule, AlertRuleErrorResponse } from '@threshold/core';

/**
 * Rule changes through `/api/alerts/rules`. Unlike plain reads, a refused change carries a message
 * per field, which the form shows next to each input; so these calls return that answer rather
 * than throwing it away.
 */
export type RuleChangeResult =
  { ok: true; rule: AlertRule | null } | { ok: false; status: number; error: string; fields: Record<string, string> };

export function createRule(input: Record<string, unknown>): Promise<RuleChangeResult> {
  return send('POST', '/api/alerts/rules', input);
}

export function replaceRule(ruleId: string, input: Record<string, unknown>): Promise<RuleChangeResult> {
  return send('PUT', `/api/alerts/rules/${encodeURIComponent(ruleId)}`, input);
}

export function deleteRule(ruleId: string): Promise<RuleChangeResult> {
  return send('DELETE', `/api/alerts/rules/${encodeURIComponent(ruleId)}`);
}

async function send(method: string, path: string, body?: unknown): Promise<RuleChangeResult> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    return { ok: false, status: 0, error: `Cannot reach the collector (${(error as Error)?.message ?? 'network error'})`, fields: {} };
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (response.ok) return { ok: true, rule: (parsed as AlertRule | null) ?? null };
  const answer = (parsed ?? {}) as Partial<AlertRuleErrorResponse>;
  return {
    ok: false,
    status: response.status,
    error: typeof answer.error === 'string' ? answer.error : `${response.status} ${response.statusText}`,
    fields: answer.fields && typeof answer.fields === 'object' ? answer.fields : {},
  };
}
