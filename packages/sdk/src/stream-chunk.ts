/**
 * Reads one stream chunk of any known dialect: whether it carries content (the first such chunk
 * marks TTFT), and any usage, model or finish reason it reports. Chunks are only read, never
 * changed. Shapes:
 *   OpenAI chat completions  {choices:[{delta:{content|tool_calls|refusal}}], usage?}
 *   OpenAI responses         {type:'response.*.delta'} … {type:'response.completed', response:{usage}}
 *   Anthropic messages       message_start{message.usage} content_block_delta message_delta{usage}
 *   Vercel AI SDK fullStream text-delta, reasoning-delta, tool-input-delta, tool-call … finish{totalUsage}
 *   strings and bytes        content when non-empty
 * Anything else counts as content: an unknown stream still gets a TTFT.
 */

/** Receives what chunks reveal. */
export interface ChunkSink {
  /** A chunk with content; `text` when it is a text delta. */
  content(text: string | undefined): void;
  /** Token counts reported by the stream (cumulative totals). */
  usage(inputTokens: number | undefined, outputTokens: number | undefined): void;
  /** Model and response id reported by the stream. */
  response(model: unknown, id: unknown): void;
  /** A finish / stop reason. */
  finishReason(reason: unknown): void;
}

type Json = Record<string, any>;

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Event types that carry no content (announcements, bookkeeping, ends). */
const META_TYPES = new Set([
  'ping',
  'content_block_start',
  'content_block_stop',
  'message_stop',
  'error',
  'start',
  'start-step',
  'finish-step',
  'text-start',
  'text-end',
  'reasoning-start',
  'reasoning-end',
  'tool-input-start',
  'tool-input-end',
  'response-metadata',
  'raw',
  'abort',
  'source',
  'tool-result',
  'tool-error',
]);

function readUsageObject(usage: Json | null | undefined, sink: ChunkSink): void {
  if (usage === null || typeof usage !== 'object') return;
  sink.usage(
    num(usage.input_tokens) ?? num(usage.prompt_tokens) ?? num(usage.inputTokens) ?? num(usage.promptTokens),
    num(usage.output_tokens) ?? num(usage.completion_tokens) ?? num(usage.outputTokens) ?? num(usage.completionTokens),
  );
}

function readTypedEvent(type: string, chunk: Json, sink: ChunkSink): void {
  switch (type) {
    case 'content_block_delta': {
      const delta = chunk.delta;
      sink.content(delta !== undefined && delta !== null && typeof delta.text === 'string' ? delta.text : undefined);
      return;
    }
    case 'message_start':
      sink.response(chunk.message?.model, chunk.message?.id);
      readUsageObject(chunk.message?.usage, sink);
      return;
    case 'message_delta':
      readUsageObject(chunk.usage, sink);
      sink.finishReason(chunk.delta?.stop_reason);
      return;
    case 'text-delta':
      sink.content(
        typeof chunk.text === 'string'
          ? chunk.text
          : typeof chunk.textDelta === 'string'
            ? chunk.textDelta
            : typeof chunk.delta === 'string'
              ? chunk.delta
              : undefined,
      );
      return;
    case 'finish':
      readUsageObject(chunk.totalUsage ?? chunk.usage, sink);
      sink.finishReason(chunk.finishReason);
      return;
  }
  if (type.startsWith('response.')) {
    if (type.endsWith('.delta')) {
      sink.content(type === 'response.output_text.delta' && typeof chunk.delta === 'string' ? chunk.delta : undefined);
    } else if (
      type === 'response.completed' ||
      type === 'response.incomplete' ||
      type === 'response.failed' ||
      type === 'response.created'
    ) {
      const response = chunk.response ?? {};
      sink.response(response.model, response.id);
      readUsageObject(response.usage, sink);
      if (type !== 'response.created') sink.finishReason(response.status);
    }
    return;
  }
  if (!META_TYPES.has(type)) sink.content(undefined);
}

function readChatChunk(chunk: Json, choices: Json[], sink: ChunkSink): void {
  if (chunk.usage) readUsageObject(chunk.usage, sink);
  if (typeof chunk.model === 'string' || chunk.id !== undefined) sink.response(chunk.model, chunk.id);
  for (const choice of choices) {
    const delta = choice?.delta;
    if (delta) {
      const text = delta.content;
      if (typeof text === 'string' && text.length > 0) sink.content(text);
      else if (
        (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) ||
        (typeof delta.refusal === 'string' && delta.refusal.length > 0)
      )
        sink.content(undefined);
      else if (typeof delta.reasoning_content === 'string' && delta.reasoning_content.length > 0) sink.content(undefined);
    }
    if (choice?.finish_reason) sink.finishReason(choice.finish_reason);
  }
}

/** Tells `sink` what `chunk` carries. */
export function readChunk(chunk: unknown, sink: ChunkSink): void {
  if (typeof chunk === 'string') {
    if (chunk.length > 0) sink.content(chunk);
    return;
  }
  if (chunk === null || typeof chunk !== 'object') {
    if (chunk !== undefined) sink.content(undefined);
    return;
  }
  if (chunk instanceof Uint8Array) {
    if (chunk.byteLength > 0) sink.content(undefined);
    return;
  }
  const record = chunk as Json;
  const type = record.type;
  if (typeof type === 'string') {
    readTypedEvent(type, record, sink);
    return;
  }
  const choices = record.choices;
  if (Array.isArray(choices)) {
    readChatChunk(record, choices, sink);
    return;
  }
  sink.content(undefined);
}
