import { analyseRecords, DEFAULT_TASK_CLASS_CONFIG, parseMappingRules, type MappingRules } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { fixtureRecords, type FixtureSpan } from '../support/span-records.js';

/**
 * An in-house framework no convention knows: `acme.*` attributes, its own span names. The
 * mapping file says what its spans are and where their model, tool name, session and TTFT live.
 */
const MAPPING = {
  rules: [
    { name: 'acme-turn', match: { spanName: '^acme\\.turn$' }, category: 'task', session: 'acme.conversation' },
    {
      name: 'acme-llm',
      match: { attributes: { 'acme.kind': 'completion' } },
      category: 'llm',
      model: 'acme.engine',
      inputTokens: 'acme.tokens_in',
      outputTokens: 'acme.tokens_out',
      ttft: { attribute: 'acme.first_byte_us', unit: 'us' },
    },
    {
      name: 'acme-tool',
      match: { spanName: '^acme\\.action\\.', attributes: { 'acme.action': { exists: true } } },
      category: 'tool',
      toolName: 'acme.action',
    },
    {
      name: 'acme-queue',
      match: { attributes: { 'acme.kind': { pattern: '^(queue|throttle)$' } } },
      category: 'orchestration',
      orchestrationKind: 'queue',
    },
    {
      name: 'acme-stamp',
      match: { attributes: { 'acme.kind': 'streamed' } },
      category: 'llm',
      model: 'acme.engine',
      ttft: { attribute: 'acme.first_token_at', unit: 'timestamp' },
    },
  ],
};

function rules(input: unknown): MappingRules {
  const result = parseMappingRules(input);
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.rules;
}

describe('mapping rules for an in-house framework', () => {
  const spans: FixtureSpan[] = [
    { id: 'turn', name: 'acme.turn', startMs: 0, endMs: 1000, attributes: { 'acme.conversation': 'conv-42' } },
    { id: 'wait', parent: 'turn', name: 'acme.admission', startMs: 0, endMs: 50, attributes: { 'acme.kind': 'throttle' } },
    {
      id: 'plan',
      parent: 'turn',
      name: 'acme.complete',
      startMs: 50,
      endMs: 350,
      attributes: {
        'acme.kind': 'completion',
        'acme.engine': 'acme-7b',
        'acme.tokens_in': 120,
        'acme.tokens_out': 11,
        'acme.first_byte_us': 100_000,
      },
    },
    { id: 'fetch', parent: 'turn', name: 'acme.action.run', startMs: 350, endMs: 600, attributes: { 'acme.action': 'fetch_invoice' } },
    {
      id: 'answer',
      parent: 'turn',
      name: 'acme.complete',
      startMs: 600,
      endMs: 1000,
      attributes: { 'acme.kind': 'streamed', 'acme.engine': 'acme-70b', 'acme.first_token_at': '2023-11-14T22:13:20.850Z' },
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans), { ...DEFAULT_TASK_CLASS_CONFIG, mapping: rules(MAPPING) });

  it('classifies each span by the first rule that matches and says which one', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.classifiedBy])).toEqual([
      ['acme.turn', 'task', 'mapping:acme-turn'],
      ['acme.admission', 'orchestration', 'mapping:acme-queue'],
      ['acme.complete', 'llm', 'mapping:acme-llm'],
      ['acme.action.run', 'tool', 'mapping:acme-tool'],
      ['acme.complete', 'llm', 'mapping:acme-stamp'],
    ]);
    expect(analysis.summary).toMatchObject({ sessionId: 'conv-42', llmCalls: 2, toolCalls: 1 });
    expect(analysis.summary.breakdown).toEqual({ llm: 700, tool: 250, state: 0, orchestration: 50, other: 0 });
  });

  it('reads the model, tokens, tool name and TTFT where the rules say, in the unit they say', () => {
    const [plan, fetch, answer] = [analysis.spans[2], analysis.spans[3], analysis.spans[4]];
    expect(plan.llm).toEqual({ model: 'acme-7b', streaming: true, ttftMs: 100, tpotMs: 20, inputTokens: 120, outputTokens: 11 });
    expect(fetch.tool).toEqual({ name: 'fetch_invoice' });
    expect(answer.llm).toEqual({ model: 'acme-70b', streaming: true, ttftMs: 250 });
    expect(analysis.summary.perceivedMs).toBe(850);
  });

  it('leaves spans no rule matches to the conventions, and the SDK’s own attributes first', () => {
    const other = analyseRecords(
      fixtureRecords([
        { id: 'root', name: 'acme.turn', startMs: 0, endMs: 100, attributes: { 'threshold.category': 'orchestration' } },
        {
          id: 'chat',
          parent: 'root',
          name: 'chat gpt-4o',
          startMs: 0,
          endMs: 100,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
        },
      ]),
      { ...DEFAULT_TASK_CLASS_CONFIG, mapping: rules(MAPPING) },
    );
    expect(other.spans.map((span) => [span.category, span.classifiedBy])).toEqual([
      ['orchestration', 'threshold'],
      ['llm', 'genai'],
    ]);
  });
});

describe('mapping file validation', () => {
  it('names every problem with its place in the file', () => {
    expect(
      parseMappingRules({
        rules: [
          { name: 'ok', match: { spanName: 'x' }, category: 'llm' },
          { name: 'ok', match: { spanName: '(' }, category: 'llm' },
          { name: 'no conditions', match: {}, category: 'model', ttft: { attribute: 'a', unit: 'minutes' } },
          { name: 'x', match: { attributes: { k: 3 } }, category: 'tool', toolName: '', extra: true },
        ],
      }),
    ).toEqual({
      errors: [
        'rules[1].name: "ok" is used by an earlier rule',
        'rules[1].match.spanName: not a valid regular expression (Invalid regular expression: /(/: Unterminated group)',
        'rules[2].name: 1–64 letters, digits, "_", ".", ":" or "-" required',
        'rules[2].category: one of task, llm, tool, state, orchestration, other required',
        'rules[2].match: at least one condition (spanName or an attribute) required, or the rule would match every span',
        'rules[2].ttft.unit: one of s, ms, us, ns, timestamp',
        'rules[3].extra: unknown field',
        'rules[3].match.attributes["k"]: a string to equal, { "pattern": "regex" } or { "exists": true }',
        'rules[3].match: at least one condition (spanName or an attribute) required, or the rule would match every span',
        'rules[3].toolName: an attribute key (a non-empty string)',
      ],
    });
    expect(parseMappingRules([])).toEqual({ errors: ['the file must be a JSON object with a "rules" array'] });
  });
});
