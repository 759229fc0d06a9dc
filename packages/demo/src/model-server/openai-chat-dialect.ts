/**
 * OpenAI chat completions (`POST /v1/chat/completions`): `chat.completion` bodies and
 * `chat.completion.chunk` SSE ending in `data: [DONE]`. The first chunk carries only the role and
 * is sent before the first token, as the real API does, so a consumer measuring time to first
 * token must skip it. With `stream_options.include_usage` the other chunks carry `usage: null`
 * and a last chunk with empty `choices` carries the usage.
 */
import { type Dialect, nowSeconds, type SseEvent } from './dialect.js';
import type { ResponsePlan } from './response-plan.js';
import { viewChatCompletionsRequest } from './request-view.js';

function usage(plan: ResponsePlan) {
  return { prompt_tokens: plan.inputTokens, completion_tokens: plan.outputTokens, total_tokens: plan.inputTokens + plan.outputTokens };
}

function errorType(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 401) return 'invalid_api_key';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export const openAiChatDialect: Dialect = {
  api: 'chat.completions',
  view: viewChatCompletionsRequest,
  answer(plan) {
    const toolCall = plan.toolCall;
    return {
      id: `chatcmpl-${plan.model}-${plan.inputTokens}`,
      object: 'chat.completion',
      created: nowSeconds(),
      model: plan.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: toolCall ? null : plan.tokens.join(''),
            refusal: null,
            annotations: [],
            ...(toolCall
              ? {
                  tool_calls: [
                    { id: toolCall.callId, type: 'function', function: { name: toolCall.name, arguments: toolCall.argumentsJson } },
                  ],
                }
              : {}),
          },
          logprobs: null,
          finish_reason: toolCall ? 'tool_calls' : 'stop',
        },
      ],
      usage: usage(plan),
      system_fingerprint: null,
    };
  },
  stream(plan, view) {
    const id = `chatcmpl-${plan.model}-${plan.inputTokens}`;
    const created = nowSeconds();
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): SseEvent => ({
      data: {
        id,
        object: 'chat.completion.chunk',
        created,
        model: plan.model,
        system_fingerprint: null,
        choices,
        ...(view.includeUsage ? { usage: null } : {}),
        ...extra,
      },
    });
    const choice = (delta: unknown, finishReason: string | null = null) => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finishReason,
    });
    const toolCall = plan.toolCall;
    return {
      start: () => [chunk([choice(toolCall ? { role: 'assistant', content: null } : { role: 'assistant', content: '', refusal: null })])],
      token: (index) => {
        const fragment = plan.tokens[index]!;
        if (!toolCall) return [chunk([choice({ content: fragment })])];
        const call =
          index === 0
            ? { index: 0, id: toolCall.callId, type: 'function', function: { name: toolCall.name, arguments: fragment } }
            : { index: 0, function: { arguments: fragment } };
        return [chunk([choice({ tool_calls: [call] })])];
      },
      end: () => [
        chunk([choice({}, toolCall ? 'tool_calls' : 'stop')]),
        ...(view.includeUsage ? [chunk([], { usage: usage(plan) })] : []),
        { data: '[DONE]' },
      ],
    };
  },
  error(status) {
    return { error: { message: `Simulated error ${status}`, type: errorType(status), param: null, code: errorType(status) } };
  },
};
