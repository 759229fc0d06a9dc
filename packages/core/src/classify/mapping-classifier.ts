import { readNumber, readString } from '../analysis/read-attribute.js';
import { timestampToUnixNano } from '../analysis/extract-ttft.js';
import type { AttributeValue, SpanRecord } from '../span-record.js';
import type { TraceSpan } from '../trace-span.js';
import type { Classification, SpanClassifier } from './classifier.js';
import { SPAN_CLASSIFIERS } from './classify-span.js';
import type { MappingRule, MappingRules } from './mapping-rules.js';

/**
 * The user's mapping rules as a classifier, asked right after the SDK's own `threshold.*`
 * attributes and before every library convention: a rule is an explicit statement about the
 * user's own spans. The first rule that matches decides; `classifier` is `mapping:<rule name>`.
 */
export function mappingClassifier(mapping: MappingRules): SpanClassifier {
  return {
    name: 'mapping',
    classify(record): Classification | undefined {
      const rule = mapping.rules.find((candidate) => matches(candidate, record));
      if (!rule) return undefined;
      const classification: Classification = { category: rule.category, classifier: `mapping:${rule.name}`, mappingRule: rule };
      if (rule.category === 'llm') classification.operation = 'chat';
      if (rule.stateOperation) classification.stateOperation = rule.stateOperation;
      if (rule.orchestrationKind) classification.orchestrationKind = rule.orchestrationKind;
      return classification;
    },
  };
}

/** The classifier list with the mapping's classifier after `threshold`. */
export function classifiersWithMapping(mapping: MappingRules | undefined): typeof SPAN_CLASSIFIERS {
  if (!mapping || mapping.rules.length === 0) return SPAN_CLASSIFIERS;
  const [threshold, ...conventions] = SPAN_CLASSIFIERS;
  return [threshold, mappingClassifier(mapping), ...conventions];
}

function matches(rule: MappingRule, record: SpanRecord): boolean {
  if (rule.spanName && !rule.spanName.test(record.name)) return false;
  return rule.attributes.every(({ key, test }) => {
    const value = record.attributes[key];
    if ('exists' in test) return value !== undefined && value !== null;
    const text = scalarText(value);
    if (text === undefined) return false;
    return 'equals' in test ? text === test.equals : test.pattern.test(text);
  });
}

function scalarText(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

const NS_PER_UNIT = { s: 1e9, ms: 1e6, us: 1e3, ns: 1 } as const;

/**
 * The facts a rule says where to find, read from the matched span into what analysis uses; a
 * fact the rule names but the span lacks stays whatever the conventions found (or unknown).
 */
export function applyMappingFacts(span: TraceSpan, record: SpanRecord, rule: MappingRule): void {
  const attributes = record.attributes;
  if (rule.session) {
    const session = readString(attributes, rule.session);
    if (session !== undefined) span.task = { ...span.task, sessionId: session };
  }
  if (span.tool && rule.toolName) span.tool.name = readString(attributes, rule.toolName) ?? span.tool.name;
  const llm = span.llm;
  if (!llm) return;
  if (rule.model) llm.model = readString(attributes, rule.model) ?? llm.model;
  const tokens = (key: string | undefined) => {
    const value = key === undefined ? undefined : readNumber(attributes, key);
    return value !== undefined && value >= 0 ? Math.round(value) : undefined;
  };
  llm.inputTokens = tokens(rule.inputTokens) ?? llm.inputTokens;
  llm.outputTokens = tokens(rule.outputTokens) ?? llm.outputTokens;
  if (llm.inputTokens === undefined) delete llm.inputTokens;
  if (llm.outputTokens === undefined) delete llm.outputTokens;
  const ttftMs = rule.ttft ? readTtftMs(record, rule.ttft.attribute, rule.ttft.unit) : undefined;
  if (ttftMs === undefined) return;
  const durationMs = (span.endNs - span.startNs) / 1e6;
  llm.ttftMs = Math.min(ttftMs, durationMs);
  llm.streaming ??= true;
  if (llm.outputTokens !== undefined && llm.outputTokens > 1) llm.tpotMs = Math.max(0, durationMs - llm.ttftMs) / (llm.outputTokens - 1);
}

function readTtftMs(record: SpanRecord, key: string, unit: keyof typeof NS_PER_UNIT | 'timestamp'): number | undefined {
  if (unit === 'timestamp') {
    const atNs = timestampToUnixNano(record.attributes[key] ?? undefined);
    if (atNs === undefined || atNs < record.startTimeUnixNano) return undefined;
    return Number(atNs - record.startTimeUnixNano) / 1e6;
  }
  const value = readNumber(record.attributes, key);
  if (value === undefined || value < 0) return undefined;
  return (value * NS_PER_UNIT[unit]) / 1e6;
}
