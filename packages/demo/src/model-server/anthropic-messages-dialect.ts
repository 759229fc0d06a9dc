/**
 * Anthropic messages (`POST /v1/messages`): `message` bodies and the named SSE events
 * message_start, content_block_start, ping, content_block_delta…, content_block_stop,
 * message_delta (final usage) and message_stop. The content block opens with the first token.
 */
import type { Dialect, SseEvent } from './dialect.js';
import type { ResponsePlan } from './response-plan.js';
import { viewMessagesRequest } from './request-view.js';

const messageId = (plan: ResponsePlan) => `msg_${plan.model}_${plan.inputTokens}`;

function contentBlock(plan: ResponsePlan, complete: boolean) {
  const toolCall = plan.toolCall;
  if (toolCall)
    return { type: 'tool_use', id: toolCall.callId, name: toolCall.name, input: complete ? JSON.parse(toolCall.argumentsJson) : {} };
  return { type: 'text', text: complete ? plan.tokens.join('') : '' };
}

const stopReason = (plan: ResponsePlan) => (plan.toolCall ? 'tool_use' : 'end_turn');

function errorType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status === 401) return 'authentication_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

export const anthropicMessagesDialect: Dialect = {
  api: 'messages',
  view: viewMessagesRequest,
  answer(plan) {
    return {
      id: messageId(plan),
      type: 'message',
      role: 'assistant',
      model: plan.model,
      content: [contentBlock(plan, true)],
      stop_reason: stopReason(plan),
      stop_sequence: null,
      usage: { input_tokens: plan.inputTokens, output_tokens: plan.outputTokens },
    };
  },
  stream(plan) {
    const event = (type: string, fields: Record<string, unknown> = {}): SseEvent => ({ event: type, data: { type, ...fields } });
    const toolCall = plan.toolCall;
    return {
      start: () => [
        event('message_start', {
          message: {
            id: messageId(plan),
            type: 'message',
            role: 'assistant',
            model: plan.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: plan.inputTokens, output_tokens: 1 },
          },
        }),
        event('ping'),
      ],
      token: (index) => [
        ...(index === 0 ? [event('content_block_start', { index: 0, content_block: contentBlock(plan, false) })] : []),
        event('content_block_delta', {
          index: 0,
          delta: toolCall
            ? { type: 'input_json_delta', partial_json: plan.tokens[index] }
            : { type: 'text_delta', text: plan.tokens[index] },
        }),
      ],
      end: () => [
        event('content_block_stop', { index: 0 }),
        event('message_delta', {
          delta: { stop_reason: stopReason(plan), stop_sequence: null },
          usage: { output_tokens: plan.outputTokens },
        }),
        event('message_stop'),
      ],
    };
  },
  error(status) {
    return { type: 'error', error: { type: errorType(status), message: `Simulated error ${status}` } };
  },
};
