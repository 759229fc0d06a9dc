import { analyseRecords, type Finding } from '@threshold/core';
import { describe, expect, test } from 'vitest';
import { compressSpansPart, storedDetailJson } from '../../collector/src/store/rows/stored-detail-json.js';
import { fixtureRecords } from '../support/span-records.js';

/** The detail's text is the same whichever form the span views arrive in (inline, JSON from a thread, compressed by a thread). */
describe('the stored detail', () => {
  const analysis = analyseRecords(
    fixtureRecords([
      { id: 'task', startMs: 0, endMs: 100, attributes: { 'threshold.category': 'task' } },
      { id: 'call', parent: 'task', startMs: 10, endMs: 90, attributes: { 'threshold.category': 'llm', 'gen_ai.request.model': 'm' } },
    ]),
  );
  analysis.warnings.push('a warning');
  const findings = [{ ruleId: 'slow-tool', message: 'a finding' } as unknown as Finding];
  const whole = JSON.stringify({ spans: analysis.spans, findings, warnings: analysis.warnings });
  const base = { findings, analysedSpanCount: 2, replacesStored: false };

  test('is JSON.stringify of spans, findings and warnings, in that order', () => {
    expect(storedDetailJson({ ...base, analysis })).toBe(whole);
  });

  test('takes span views rendered by an analysis thread as they are', () => {
    const light = { ...analysis, spans: [] };
    expect(storedDetailJson({ ...base, analysis: light, spansJson: JSON.stringify(analysis.spans) })).toBe(whole);
  });

  test('reads span views a thread compressed', () => {
    const light = { ...analysis, spans: [] };
    const compressedSpans = compressSpansPart(JSON.stringify(analysis.spans), analysis.warnings);
    expect(storedDetailJson({ ...base, analysis: light, compressedSpans })).toBe(whole);
  });
});
