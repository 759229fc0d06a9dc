import { describe, expect, it } from 'vitest';
import { projectTrace } from '@threshold/core';
import { applyEdits } from '../../packages/core/src/what-if/index.js';
import { singleTraceContext, streamAnswerRule } from '../../packages/core/src/recommendations/index.js';
import { analysed, sketch } from './recommendations-fixtures.js';

describe('streaming a blocking answer moves the first-output event recorded when it returned', () => {
  //  0        300                    1300 1305
  //  task   |==================================|   first_output event at 1305 ms
  //  plan   |===|                                   llm, streamed
  //  answer     |=====================|             llm, not streamed, TTFT unknown
  //  save                             |==|          state save (1300–1302), then the event
  const trace = (firstOutputMs: number, extra: Parameters<typeof sketch>[] = []) =>
    analysed([
      sketch('task', 0, 1305, { firstOutputMs }),
      sketch('plan', 0, 300, { parent: 'task', llm: { model: 'gpt-big', streaming: true, ttftMs: 120 } }),
      sketch('answer', 300, 1300, { parent: 'task', llm: { model: 'gpt-big', streaming: false } }),
      sketch('save', 1300, 1302, { parent: 'task', category: 'state' }),
      ...extra.map((args) => sketch(...args)),
    ]);

  it('projects the event to the call’s start plus the TTFT: 300 + 200 = 500 ms', () => {
    const after = applyEdits(trace(1305).traceSpans, [{ kind: 'stream', spanId: 'answer', ttftMs: 200 }]);
    expect(after[0].firstOutputNs).toEqual(500e6);
    expect(projectTrace(trace(1305), [{ kind: 'stream', spanId: 'answer', ttftMs: 200 }]).summary).toMatchObject({
      durationMs: 1305,
      perceivedMs: 500,
    });
  });

  it('lets the stream-answer rule find the perceived saving: 1305 − (300 + 120) = 885 ms', () => {
    // 120 ms is gpt-big's median TTFT when it streams (`plan`). Before, the projection kept the
    // event at 1305 ms and the rule found nothing.
    const before = trace(1305);
    expect(before.summary.perceivedMs).toEqual(1305);
    const findings = streamAnswerRule.evaluate(before, singleTraceContext(before));
    expect(findings.map((finding) => [finding.ruleId, finding.savingMs, finding.perceived, finding.evidenceSpanIds])).toEqual([
      ['stream-answer', 885, true, ['answer']],
    ]);
  });

  it('moves an event at the very end of the call, and one within 1 ms before it (truncated timestamps)', () => {
    const edit = [{ kind: 'stream' as const, spanId: 'answer', ttftMs: 200 }];
    expect(applyEdits(trace(1300).traceSpans, edit)[0].firstOutputNs).toEqual(500e6);
    expect(applyEdits(trace(1299.5).traceSpans, edit)[0].firstOutputNs).toEqual(500e6);
  });

  it('leaves an event that came before the answer ended (output of earlier work)', () => {
    //  first_output at 250 ms, during `plan`
    const after = applyEdits(trace(250).traceSpans, [{ kind: 'stream', spanId: 'answer', ttftMs: 200 }]);
    expect(after[0].firstOutputNs).toEqual(250e6);
  });

  it('leaves an event recorded after a later llm call (that call’s output, not the answer’s)', () => {
    //  0        300                    1300      1305
    //  answer     |=====================|
    //  check                                  |=|   llm safety check 1302–1304, event at 1305
    const withCheck = trace(1305, [['check', 1302, 1304, { parent: 'task', llm: { model: 'small', purpose: 'safety' } }]]);
    const after = applyEdits(withCheck.traceSpans, [{ kind: 'stream', spanId: 'answer', ttftMs: 200 }]);
    expect(after[0].firstOutputNs).toEqual(1305e6);
  });

  it('looks through a wrapper llm span (an aggregate around the real call)', () => {
    //  0        300                    1300 1303 1305
    //  step       |========================|          aggregate llm wrapper (300–1303)
    //  answer     |=====================|             the call inside it
    const wrapped = analysed([
      sketch('task', 0, 1305, { firstOutputMs: 1304 }),
      sketch('step', 300, 1303, { parent: 'task', llm: { model: 'gpt-big', aggregate: true } }),
      sketch('answer', 300, 1300, { parent: 'step', llm: { model: 'gpt-big', streaming: false } }),
    ]);
    const after = applyEdits(wrapped.traceSpans, [{ kind: 'stream', spanId: 'answer', ttftMs: 200 }]);
    expect(after[0].firstOutputNs).toEqual(500e6);
  });
});
