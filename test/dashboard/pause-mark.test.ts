import type { SpanView } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { pauseMark } from '../../dashboard/src/waterfall/pause-mark';
import { spanBarTitle } from '../../dashboard/src/waterfall/span-bar-label';

/**
 *   trace  0 ──────────────────────────────────────── 4000 ms
 *   chat              1000 |ttft|-.-.[ pause ]-.-.-.-| 3000
 *                                1500 ───── 2500
 *
 * The chat runs 1000–3000 ms; its longest pause begins 500 ms in (at 1500) and lasts 1000 ms.
 */
const chat: Pick<SpanView, 'startOffsetMs' | 'durationMs' | 'llm'> = {
  startOffsetMs: 1_000,
  durationMs: 2_000,
  llm: { model: 'gpt-4o', ttftMs: 200, chunks: 60, maxChunkGapMs: 1_000, maxChunkGapStartMs: 500 },
};

describe('the longest pause on a stream’s bar', () => {
  it('sits where it happened, in shares of the bar', () => {
    expect(pauseMark({ startMs: 0, endMs: 4_000 }, chat)).toEqual({ left: 0.25, width: 0.5 });
  });

  it('is cut to the part of the bar in view when zoomed', () => {
    // View 2000–4000: the bar shows 2000–3000, the pause 2000–2500.
    expect(pauseMark({ startMs: 2_000, endMs: 4_000 }, chat)).toEqual({ left: 0, width: 0.5 });
    // View 0–1800: the bar shows 1000–1800, the pause 1500–1800.
    expect(pauseMark({ startMs: 0, endMs: 1_800 }, chat)).toEqual({ left: 0.625, width: 0.375 });
  });

  it('is absent when out of view, or when the span does not say where it was', () => {
    expect(pauseMark({ startMs: 0, endMs: 1_400 }, chat)).toBeNull();
    expect(pauseMark({ startMs: 0, endMs: 4_000 }, { ...chat, llm: { ...chat.llm, maxChunkGapStartMs: undefined } })).toBeNull();
    expect(pauseMark({ startMs: 0, endMs: 4_000 }, { ...chat, llm: { model: 'gpt-4o' } })).toBeNull();
    expect(pauseMark({ startMs: 0, endMs: 4_000 }, { ...chat, llm: undefined })).toBeNull();
  });

  it('is named in the bar’s hover text with the chunk count', () => {
    const span: SpanView = {
      spanId: 's',
      name: 'chat gpt-4o',
      category: 'llm',
      selfMs: 2_000,
      critical: true,
      status: 'ok',
      attributes: {},
      ...chat,
    } as SpanView;
    expect(spanBarTitle(span)).toBe(
      'chat gpt-4o\n2.00 s at +1.00 s\nwaiting for first token 200 ms · generating 1.80 s\nlongest pause between chunks 1.00 s at +500 ms (60 chunks)\non the critical path',
    );
  });
});
