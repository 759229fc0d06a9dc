/**
 * The spans carry docs/DESIGN.md's attribute names (GenAI semantic conventions first, `threshold.*`
 * where none exists) with exact values, and content stays out unless capture is on.
 */
import { SpanKind } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { configureSdk, firstOutput, hashArguments, llm, orchestration, resetSdkConfig, state, task, tool } from '@threshold/sdk';
import { captureSpans } from './support/span-capture.js';

const capture = captureSpans();
afterEach(() => {
  capture.reset();
  resetSdkConfig();
});

describe('task spans', () => {
  it('are invoke_agent spans with class, budget, session and turn', async () => {
    await task('answer-ticket', { taskClass: 'simple', budgetMs: 2000, sessionId: 'session-7', turn: 3 }, async () => {});
    const span = capture.span('invoke_agent answer-ticket');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'answer-ticket',
      'threshold.category': 'task',
      'threshold.task.class': 'simple',
      'threshold.task.budget_ms': 2000,
      'gen_ai.conversation.id': 'session-7',
      'threshold.turn': 3,
    });
  });

  it('record threshold.first_output once, from the handle or from deep code', async () => {
    await task('a', async (t) => {
      t.firstOutput();
      t.firstOutput();
      firstOutput();
    });
    await task('b', async () => {
      await tool('inner', async () => firstOutput());
    });
    expect(capture.span('invoke_agent a').events.map((event) => event.name)).toEqual(['threshold.first_output']);
    expect(capture.span('invoke_agent b').events.map((event) => event.name)).toEqual(['threshold.first_output']);
  });
});

describe('llm spans', () => {
  it('are chat client spans with model, provider, purpose and the usage of a recognised answer', async () => {
    const answer = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-2024-08-06',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    };
    await llm.call({ model: 'gpt-4o', provider: 'openai', purpose: 'intent' }, async () => answer);
    const span = capture.span('chat gpt-4o');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'threshold.category': 'llm',
      'gen_ai.request.stream': false,
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'threshold.llm.purpose': 'intent',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.finish_reasons': ['stop'],
    });
  });

  it('read Anthropic messages and Vercel AI SDK results, and nothing from unknown shapes', async () => {
    await llm.call({ model: 'claude' }, async () => ({
      id: 'msg_1',
      type: 'message',
      model: 'claude',
      content: [{ type: 'text', text: 'x' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 5, output_tokens: 9 },
    }));
    await llm.call({ model: 'vercel' }, async () => ({
      text: 'x',
      finishReason: 'stop',
      usage: { inputTokens: 4, outputTokens: 6 },
      response: { modelId: 'gpt-4o-mini', id: 'r1' },
    }));
    await llm.call({ model: 'unknown' }, async () => ({ whatever: true }));
    expect(capture.span('chat claude').attributes['gen_ai.usage.output_tokens']).toBe(9);
    expect(capture.span('chat vercel').attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 4,
      'gen_ai.usage.output_tokens': 6,
      'gen_ai.response.model': 'gpt-4o-mini',
    });
    expect(
      Object.keys(capture.span('chat unknown').attributes).filter(
        (key) => key.startsWith('gen_ai.usage') || key.startsWith('gen_ai.response'),
      ),
    ).toEqual([]);
  });
});

describe('tool spans', () => {
  it('are execute_tool spans with name, call id, args hash, cache hit and cold start — never the arguments', async () => {
    await tool('search_kb', { args: { query: 'refund', limit: 5 }, callId: 'call_1', cacheHit: false, coldStart: true }, async () => [
      'doc',
    ]);
    expect(capture.span('execute_tool search_kb').attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search_kb',
      'threshold.category': 'tool',
      'gen_ai.tool.call.id': 'call_1',
      'threshold.tool.cache_hit': false,
      'threshold.tool.cold_start': true,
      'threshold.tool.args_hash': hashArguments({ limit: 5, query: 'refund' }),
    });
  });

  it('hash arguments alike whatever their key order, and differently when they differ', () => {
    expect(hashArguments({ a: 1, b: { c: [1, 2] } })).toBe(hashArguments({ b: { c: [1, 2] }, a: 1 }));
    expect(hashArguments({ a: 1 })).not.toBe(hashArguments({ a: 2 }));
    expect(hashArguments({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(hashArguments(circular)).toBeUndefined();
  });

  it('tool.wrap hashes the call arguments', async () => {
    const search = tool.wrap('search', async (query: string, limit: number) => `${query}:${limit}`);
    await search('refund', 3);
    expect(capture.span('execute_tool search').attributes['threshold.tool.args_hash']).toBe(hashArguments(['refund', 3]));
  });
});

describe('state and orchestration spans', () => {
  it('carry their operation and kind', async () => {
    await state.load('session', async () => 1);
    state.save('session', () => 1);
    state.checkpoint('plan', () => 1);
    state.retrieve('kb', () => 1);
    orchestration.route('router', () => 1);
    orchestration.queue('gpu-pool', () => 1);
    orchestration.rateLimit('openai', () => 1);
    orchestration.loadBalance('replicas', () => 1);
    orchestration.dispatch('worker', () => 1);
    const described = capture
      .spans()
      .map((span) => [
        span.name,
        span.attributes['threshold.category'],
        span.attributes['threshold.state.operation'] ?? span.attributes['threshold.orchestration.kind'],
      ]);
    expect(described).toEqual([
      ['state.load session', 'state', 'load'],
      ['state.save session', 'state', 'save'],
      ['state.checkpoint plan', 'state', 'checkpoint'],
      ['state.retrieve kb', 'state', 'retrieve'],
      ['orchestration.route router', 'orchestration', 'route'],
      ['orchestration.queue gpu-pool', 'orchestration', 'queue'],
      ['orchestration.rate_limit openai', 'orchestration', 'rate_limit'],
      ['orchestration.load_balance replicas', 'orchestration', 'load_balance'],
      ['orchestration.dispatch worker', 'orchestration', 'dispatch'],
    ]);
  });
});

describe('content capture', () => {
  it('records no prompt, answer, arguments or result by default', async () => {
    await llm.call({ model: 'm', input: [{ role: 'user', content: 'secret' }] }, async () => ({
      object: 'chat.completion',
      choices: [{ message: { content: 'secret answer' } }],
    }));
    await tool('t', { args: { card: '4242' } }, async () => 'secret result');
    const text = JSON.stringify(capture.spans().map((span) => span.attributes));
    expect(text).not.toContain('secret');
    expect(text).not.toContain('4242');
  });

  it('records content through the redact hook when captureContent is on', async () => {
    configureSdk({
      captureContent: true,
      redact: (content, context) => (context.kind === 'tool.result' ? undefined : content.replace(/\d{4}/g, '####')),
    });
    await llm.call({ model: 'm', input: [{ role: 'user', content: 'card 4242' }] }, async () => ({
      object: 'chat.completion',
      choices: [{ message: { content: 'ok 1234' } }],
    }));
    await tool('t', { args: { card: '4242' } }, async () => 'result 9999');
    expect(capture.span('chat m').attributes['gen_ai.input.messages']).toBe('[{"role":"user","content":"card ####"}]');
    expect(capture.span('chat m').attributes['gen_ai.output.messages']).toBe(
      '[{"role":"assistant","parts":[{"type":"text","content":"ok ####"}]}]',
    );
    expect(capture.span('execute_tool t').attributes['gen_ai.tool.call.arguments']).toBe('{"card":"####"}');
    expect(capture.span('execute_tool t').attributes['gen_ai.tool.call.result']).toBeUndefined();
  });
});

describe('timestamps', () => {
  const ns = (time: [number, number]) => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);

  it('nest children inside parents with sub-millisecond precision, events included', async () => {
    for (let round = 0; round < 20; round++) {
      await task('agent', async (t) => {
        state.load('session', () => 1);
        await tool('fast', async () => 1);
        t.firstOutput();
      });
    }
    const spans = capture.spans();
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    for (const child of spans) {
      const parent = child.parentSpanContext && byId.get(child.parentSpanContext.spanId);
      if (parent === undefined) continue;
      expect(ns(child.startTime)).toBeGreaterThanOrEqual(ns(parent.startTime));
      expect(ns(child.endTime)).toBeLessThanOrEqual(ns(parent.endTime));
    }
    for (const root of spans.filter((span) => span.parentSpanContext === undefined)) {
      const event = root.events[0]!;
      expect(ns(event.time)).toBeGreaterThanOrEqual(ns(root.startTime));
      expect(ns(event.time)).toBeLessThanOrEqual(ns(root.endTime));
    }
    // OpenTelemetry's default start time is Date.now(): whole milliseconds. These are not.
    expect(spans.filter((span) => span.startTime[1] % 1_000_000 !== 0).length).toBeGreaterThan(spans.length / 2);
  });
});
