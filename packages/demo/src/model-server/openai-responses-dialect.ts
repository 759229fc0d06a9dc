/**
 * OpenAI responses (`POST /v1/responses`): `response` objects and named SSE events
 * (`response.created` … `response.output_text.delta` … `response.completed`) with increasing
 * `sequence_number`s, in the order the openai client's ResponseStream accumulates them. The
 * output item is announced when the first token is ready, as the real API does.
 */
import { type Dialect, nowSeconds, type SseEvent } from './dialect.js';
import type { ResponsePlan } from './response-plan.js';
import { viewResponsesRequest } from './request-view.js';

function outputItem(plan: ResponsePlan, status: 'in_progress' | 'completed', text: string) {
  const toolCall = plan.toolCall;
  if (toolCall) {
    return {
      type: 'function_call',
      id: `fc_${toolCall.callId.slice(5)}`,
      call_id: toolCall.callId,
      name: toolCall.name,
      arguments: text,
      status,
    };
  }
  return {
    type: 'message',
    id: `msg_${plan.model}_${plan.inputTokens}`,
    status,
    role: 'assistant',
    content: status === 'completed' ? [{ type: 'output_text', text, annotations: [], logprobs: [] }] : [],
  };
}

function responseObject(plan: ResponsePlan, status: 'in_progress' | 'completed', createdAt: number) {
  const text = plan.tokens.join('');
  return {
    id: `resp_${plan.model}_${plan.inputTokens}`,
    object: 'response',
    created_at: createdAt,
    status,
    error: null,
    incomplete_details: null,
    instructions: null,
    model: plan.model,
    output: status === 'completed' ? [outputItem(plan, 'completed', text)] : [],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage:
      status === 'completed'
        ? {
            input_tokens: plan.inputTokens,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: plan.outputTokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: plan.inputTokens + plan.outputTokens,
          }
        : null,
  };
}

export const openAiResponsesDialect: Dialect = {
  api: 'responses',
  view: viewResponsesRequest,
  answer: (plan) => responseObject(plan, 'completed', nowSeconds()),
  stream(plan) {
    const createdAt = nowSeconds();
    let sequence = 0;
    const event = (type: string, fields: Record<string, unknown>): SseEvent => ({
      event: type,
      data: { type, sequence_number: sequence++, ...fields },
    });
    const item = outputItem(plan, 'completed', plan.tokens.join(''));
    const text = plan.tokens.join('');
    const toolCall = plan.toolCall;
    const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    return {
      start: () => [
        event('response.created', { response: responseObject(plan, 'in_progress', createdAt) }),
        event('response.in_progress', { response: responseObject(plan, 'in_progress', createdAt) }),
      ],
      token: (index) => {
        const announce =
          index === 0
            ? [
                event('response.output_item.added', { output_index: 0, item: outputItem(plan, 'in_progress', '') }),
                ...(toolCall ? [] : [event('response.content_part.added', { item_id: item.id, output_index: 0, content_index: 0, part })]),
              ]
            : [];
        const delta = toolCall
          ? event('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: plan.tokens[index] })
          : event('response.output_text.delta', {
              item_id: item.id,
              output_index: 0,
              content_index: 0,
              delta: plan.tokens[index],
              logprobs: [],
            });
        return [...announce, delta];
      },
      end: () => [
        ...(toolCall
          ? [event('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: text })]
          : [
              event('response.output_text.done', { item_id: item.id, output_index: 0, content_index: 0, text, logprobs: [] }),
              event('response.content_part.done', { item_id: item.id, output_index: 0, content_index: 0, part: { ...part, text } }),
            ]),
        event('response.output_item.done', { output_index: 0, item }),
        event('response.completed', { response: responseObject(plan, 'completed', createdAt) }),
      ],
    };
  },
  error(status) {
    return {
      error: {
        message: `Simulated error ${status}`,
        type: status === 429 ? 'rate_limit_exceeded' : 'server_error',
        param: null,
        code: null,
      },
    };
  },
};
