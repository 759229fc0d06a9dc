import { SPAN_CATEGORIES, type SpanCategory } from '../category.js';
import {
  ORCHESTRATION_KINDS as ORCHESTRATION_KIND_LIST,
  STATE_OPERATIONS as STATE_OPERATION_LIST,
  type OrchestrationKind,
  type StateOperation,
} from '../trace-span.js';

/**
 * Mapping rules: how an in-house framework's spans are read when no convention recognises them.
 * Loaded from a JSON file (`threshold start --mapping FILE`, `THRESHOLD_MAPPING`), validated once
 * at start; each rule matches spans by name and attributes and says what they are and which of
 * their attributes hold the model, the tool's name, the session and the time to first token.
 *
 *   { "rules": [ { "name": "gateway-call",
 *                  "match": { "spanName": "^gateway\\.complete$", "attributes": { "acme.kind": "llm" } },
 *                  "category": "llm",
 *                  "model": "acme.model", "session": "acme.session",
 *                  "ttft": { "attribute": "acme.first_token_ms", "unit": "ms" } } ] }
 */
export interface MappingRule {
  /** Shown as `mapping:<name>` in each matched span's `classifiedBy`. */
  name: string;
  /** Regular expression the span's name must match. */
  spanName?: RegExp;
  /** Every listed attribute must match: an exact string, a pattern, or mere presence. */
  attributes: Array<{ key: string; test: AttributeTest }>;
  category: SpanCategory;
  stateOperation?: StateOperation;
  orchestrationKind?: OrchestrationKind;
  /** Attribute keys holding facts of the matched spans. */
  model?: string;
  toolName?: string;
  session?: string;
  inputTokens?: string;
  outputTokens?: string;
  /** TTFT: a duration in `s`/`ms`/`us`/`ns` from the span's start, or the first token's `timestamp`. */
  ttft?: { attribute: string; unit: TtftUnit };
}

export type AttributeTest = { equals: string } | { pattern: RegExp } | { exists: true };
export type TtftUnit = 's' | 'ms' | 'us' | 'ns' | 'timestamp';

/** A validated mapping file. */
export interface MappingRules {
  rules: MappingRule[];
}

const CATEGORIES: ReadonlySet<string> = new Set(SPAN_CATEGORIES);
const STATE_OPERATIONS: ReadonlySet<string> = new Set<StateOperation>(STATE_OPERATION_LIST);
const ORCHESTRATION_KINDS: ReadonlySet<string> = new Set<OrchestrationKind>(ORCHESTRATION_KIND_LIST);
const TTFT_UNITS: ReadonlySet<string> = new Set(['s', 'ms', 'us', 'ns', 'timestamp']);
const FACT_FIELDS = ['model', 'toolName', 'session', 'inputTokens', 'outputTokens'] as const;
const KNOWN_FIELDS = new Set(['name', 'match', 'category', 'stateOperation', 'orchestrationKind', 'ttft', ...FACT_FIELDS]);
const MAX_RULES = 1_000;

/**
 * Checks a parsed mapping file. Returns the rules, or every problem found, each naming where it
 * is (`rules[2].match.spanName: …`), so a user fixes the file in one pass.
 */
export function parseMappingRules(input: unknown): { rules: MappingRules } | { errors: string[] } {
  const errors: string[] = [];
  if (!isObject(input) || !Array.isArray(input.rules)) return { errors: ['the file must be a JSON object with a "rules" array'] };
  if (input.rules.length > MAX_RULES) return { errors: [`at most ${MAX_RULES} rules, got ${input.rules.length}`] };
  const names = new Set<string>();
  const rules: MappingRule[] = [];
  input.rules.forEach((raw: unknown, index: number) => {
    const at = `rules[${index}]`;
    if (!isObject(raw)) return void errors.push(`${at}: must be an object`);
    for (const key of Object.keys(raw)) if (!KNOWN_FIELDS.has(key)) errors.push(`${at}.${key}: unknown field`);
    const name = raw.name;
    if (typeof name !== 'string' || !/^[\w.:-]{1,64}$/.test(name))
      errors.push(`${at}.name: 1–64 letters, digits, "_", ".", ":" or "-" required`);
    else if (names.has(name)) errors.push(`${at}.name: "${name}" is used by an earlier rule`);
    else names.add(name);
    if (typeof raw.category !== 'string' || !CATEGORIES.has(raw.category))
      errors.push(`${at}.category: one of ${[...CATEGORIES].join(', ')} required`);
    const rule: MappingRule = { name: String(name), category: raw.category as SpanCategory, attributes: [] };
    readMatch(raw.match, `${at}.match`, rule, errors);
    if (raw.stateOperation !== undefined) {
      if (typeof raw.stateOperation === 'string' && STATE_OPERATIONS.has(raw.stateOperation))
        rule.stateOperation = raw.stateOperation as StateOperation;
      else errors.push(`${at}.stateOperation: one of ${[...STATE_OPERATIONS].join(', ')}`);
    }
    if (raw.orchestrationKind !== undefined) {
      if (typeof raw.orchestrationKind === 'string' && ORCHESTRATION_KINDS.has(raw.orchestrationKind))
        rule.orchestrationKind = raw.orchestrationKind as OrchestrationKind;
      else errors.push(`${at}.orchestrationKind: one of ${[...ORCHESTRATION_KINDS].join(', ')}`);
    }
    for (const field of FACT_FIELDS) {
      const key = raw[field];
      if (key === undefined) continue;
      if (typeof key === 'string' && key !== '') rule[field] = key;
      else errors.push(`${at}.${field}: an attribute key (a non-empty string)`);
    }
    if (raw.ttft !== undefined) {
      const ttft = raw.ttft;
      if (!isObject(ttft) || typeof ttft.attribute !== 'string' || ttft.attribute === '')
        errors.push(`${at}.ttft.attribute: an attribute key (a non-empty string)`);
      else if (typeof ttft.unit !== 'string' || !TTFT_UNITS.has(ttft.unit)) errors.push(`${at}.ttft.unit: one of s, ms, us, ns, timestamp`);
      else rule.ttft = { attribute: ttft.attribute, unit: ttft.unit as TtftUnit };
    }
    rules.push(rule);
  });
  return errors.length > 0 ? { errors } : { rules: { rules } };
}

function readMatch(raw: unknown, at: string, rule: MappingRule, errors: string[]): void {
  if (!isObject(raw)) return void errors.push(`${at}: an object with "spanName" and/or "attributes" required`);
  for (const key of Object.keys(raw)) if (key !== 'spanName' && key !== 'attributes') errors.push(`${at}.${key}: unknown field`);
  if (raw.spanName !== undefined) rule.spanName = pattern(raw.spanName, `${at}.spanName`, errors);
  if (raw.attributes !== undefined) {
    if (!isObject(raw.attributes)) return void errors.push(`${at}.attributes: an object of attribute key → test`);
    for (const [key, value] of Object.entries(raw.attributes)) {
      const where = `${at}.attributes["${key}"]`;
      if (typeof value === 'string') rule.attributes.push({ key, test: { equals: value } });
      else if (isObject(value) && value.exists === true && Object.keys(value).length === 1)
        rule.attributes.push({ key, test: { exists: true } });
      else if (isObject(value) && value.pattern !== undefined && Object.keys(value).length === 1) {
        const regex = pattern(value.pattern, `${where}.pattern`, errors);
        if (regex) rule.attributes.push({ key, test: { pattern: regex } });
      } else errors.push(`${where}: a string to equal, { "pattern": "regex" } or { "exists": true }`);
    }
  }
  if (raw.spanName === undefined && rule.attributes.length === 0 && (raw.attributes === undefined || isObject(raw.attributes))) {
    errors.push(`${at}: at least one condition (spanName or an attribute) required, or the rule would match every span`);
  }
}

function pattern(value: unknown, at: string, errors: string[]): RegExp | undefined {
  if (typeof value !== 'string' || value === '') return void errors.push(`${at}: a regular expression (a non-empty string)`);
  if (value.length > 1_000) return void errors.push(`${at}: at most 1,000 characters`);
  try {
    return new RegExp(value);
  } catch (error) {
    return void errors.push(`${at}: not a valid regular expression (${(error as Error).message})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
