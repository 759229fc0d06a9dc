import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceDetail } from '@threshold/core';
import { ConfigError, optionsFromSettings, settingsFromEnv } from '@threshold/collector';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestCollector, waitForTraces } from '../support/collector-harness.js';
import { otlpJsonBody } from './otlp-json-body.js';

const dir = mkdtempSync(join(tmpdir(), 'threshold-mapping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const GOOD = file(
  'good.json',
  JSON.stringify({ rules: [{ name: 'acme-llm', match: { spanName: '^acme\\.complete$' }, category: 'llm', model: 'acme.engine' }] }),
);

describe('--mapping / THRESHOLD_MAPPING', () => {
  it('loads the rules from the flag, else from the environment', () => {
    expect(optionsFromSettings({ mapping: GOOD }, {}).taskClasses.mapping?.rules.map((rule) => rule.name)).toEqual(['acme-llm']);
    expect(
      optionsFromSettings({}, settingsFromEnv({ THRESHOLD_MAPPING: GOOD })).taskClasses.mapping?.rules.map((rule) => rule.name),
    ).toEqual(['acme-llm']);
    expect(optionsFromSettings({}, {}).taskClasses.mapping).toBeUndefined();
  });

  it('refuses a missing, malformed or invalid file at start with a ConfigError naming the problem', () => {
    const missing = join(dir, 'missing.json');
    expect(() => optionsFromSettings({ mapping: missing }, {})).toThrow(
      new ConfigError(`mapping file "${missing}" cannot be read: ENOENT`),
    );
    const broken = file('broken.json', '{ "rules": [');
    expect(() => optionsFromSettings({ mapping: broken }, {})).toThrow(ConfigError);
    expect(() => optionsFromSettings({ mapping: broken }, {})).toThrow(/^mapping file ".*broken\.json" is not valid JSON: /);
    const invalid = file('invalid.json', JSON.stringify({ rules: [{ name: 'a', match: { spanName: '[' }, category: 'llm' }] }));
    expect(() => optionsFromSettings({ mapping: invalid }, {})).toThrow(
      new ConfigError(
        `mapping file "${invalid}": rules[0].match.spanName: not a valid regular expression (Invalid regular expression: /[/: Unterminated character class)`,
      ),
    );
  });

  it('classifies ingested spans by the rules and the API says which rule matched', async () => {
    const collector = await startTestCollector({ taskClasses: optionsFromSettings({ mapping: GOOD }, {}).taskClasses });
    try {
      const traceId = 'aa'.repeat(16);
      const body = otlpJsonBody('acme', Date.now() - 10_000, [
        { traceId, spanId: '01'.repeat(8), name: 'acme.turn', startMs: 0, endMs: 400 },
        {
          traceId,
          spanId: '02'.repeat(8),
          parentSpanId: '01'.repeat(8),
          name: 'acme.complete',
          startMs: 100,
          endMs: 400,
          attributes: { 'acme.engine': 'acme-70b' },
        },
      ]);
      const posted = await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(posted.status).toBe(200);
      await waitForTraces(collector.url, 1);
      const detail = (await (await fetch(`${collector.url}/api/traces/${traceId}`)).json()) as TraceDetail;
      expect(detail.spans.map((span) => [span.name, span.category, span.classifiedBy, span.llm?.model])).toEqual([
        ['acme.turn', 'task', 'none', undefined],
        ['acme.complete', 'llm', 'mapping:acme-llm', 'acme-70b'],
      ]);
      expect(detail.summary.llmCalls).toBe(1);
    } finally {
      await collector.close();
    }
  });
});
