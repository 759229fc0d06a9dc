import { DEFAULT_ALERT_RULES, validateAlertRule, type AlertRule, type AlertRuleSource } from '@threshold/core';
import type { AlertStore } from '../store/alert-store.js';

/**
 * The rules in force. Rules from a config file (`--alert-rules`) are the source of truth for their
 * ids and read-only through the API: the file is what a team reviews and deploys. Rules created in
 * the dashboard or the API live in the store. Without a config file the shipped defaults are
 * seeded into the store once, so they can be edited — and a deleted default stays deleted.
 */
export type AlertRuleChange =
  { ok: true; rule: AlertRule } | { ok: false; status: 400 | 404 | 409; error: string; fields: Record<string, string> };

export class AlertRuleSet {
  private stored = new Map<string, AlertRule>();
  private readonly fileRules: Map<string, AlertRule>;
  private readonly seedDefaults: boolean;

  /** @param fileRules rules of the config file, or null when there is none (the defaults apply) */
  constructor(
    private readonly store: AlertStore,
    fileRules: readonly AlertRule[] | null,
  ) {
    this.fileRules = new Map((fileRules ?? []).map((rule) => [rule.id, rule]));
    this.seedDefaults = fileRules === null;
  }

  /** Seeds the defaults (without a config file) and reads the stored rules. */
  async load(): Promise<void> {
    if (this.seedDefaults) await this.store.seedAlertRules(DEFAULT_ALERT_RULES);
    this.stored = new Map((await this.store.listAlertRules()).map((rule) => [rule.id, rule]));
  }

  /** Every rule, file rules first, then stored rules by id. */
  list(): AlertRule[] {
    const stored = [...this.stored.values()].filter((rule) => !this.fileRules.has(rule.id)).sort((a, b) => a.id.localeCompare(b.id));
    return [...this.fileRules.values(), ...stored];
  }

  get(ruleId: string): AlertRule | undefined {
    return this.fileRules.get(ruleId) ?? this.stored.get(ruleId);
  }

  sourceOf(ruleId: string): AlertRuleSource | undefined {
    if (this.fileRules.has(ruleId)) return 'file';
    return this.stored.has(ruleId) ? 'api' : undefined;
  }

  fileRuleIds(): string[] {
    return [...this.fileRules.keys()];
  }

  async create(input: unknown): Promise<AlertRuleChange> {
    const validation = validateAlertRule(input);
    if (!validation.ok) return invalid(validation.fields);
    const rule = validation.rule;
    if (this.get(rule.id)) {
      return {
        ok: false,
        status: 409,
        error: `a rule with id "${rule.id}" already exists`,
        fields: { id: 'already in use: choose another id or name' },
      };
    }
    return this.save(rule);
  }

  /** Replaces a rule; the body's id, if any, must match the path's. */
  async replace(ruleId: string, input: unknown): Promise<AlertRuleChange> {
    const readOnly = this.refuseFileRule(ruleId);
    if (readOnly) return readOnly;
    if (!this.stored.has(ruleId)) return notFound(ruleId);
    const body = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
    if (body?.id !== undefined && body.id !== ruleId) {
      return { ok: false, status: 400, error: 'the rule is invalid', fields: { id: `id cannot change (this rule is "${ruleId}")` } };
    }
    const validation = validateAlertRule(body ? { ...body, id: ruleId } : input);
    if (!validation.ok) return invalid(validation.fields);
    return this.save(validation.rule);
  }

  async remove(ruleId: string): Promise<AlertRuleChange> {
    const readOnly = this.refuseFileRule(ruleId);
    if (readOnly) return readOnly;
    const rule = this.stored.get(ruleId);
    if (!rule) return notFound(ruleId);
    await this.store.deleteAlertRule(ruleId);
    this.stored.delete(ruleId);
    return { ok: true, rule };
  }

  private async save(rule: AlertRule): Promise<AlertRuleChange> {
    await this.store.saveAlertRule(rule);
    this.stored.set(rule.id, rule);
    return { ok: true, rule };
  }

  private refuseFileRule(ruleId: string): AlertRuleChange | undefined {
    if (!this.fileRules.has(ruleId)) return undefined;
    return {
      ok: false,
      status: 409,
      error: `rule "${ruleId}" comes from the alert rules file and cannot be changed through the API: edit the file and restart`,
      fields: {},
    };
  }
}

function invalid(fields: Record<string, string>): AlertRuleChange {
  return { ok: false, status: 400, error: 'the rule is invalid', fields };
}

function notFound(ruleId: string): AlertRuleChange {
  return { ok: false, status: 404, error: `no alert rule "${ruleId}"`, fields: {} };
}
