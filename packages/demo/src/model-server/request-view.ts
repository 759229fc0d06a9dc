/**
 * One shape for the three request dialects (OpenAI chat completions, OpenAI responses, Anthropic
 * messages), holding only what the simulated answer depends on.
 */
import { collectText } from './token-estimate.js';

/** Which API a request came through. */
export type ModelApi = 'chat.completions' | 'responses' | 'messages';

/** A tool the request offers the model. */
export interface OfferedTool {
  /** The tool's function name. */
  name: string;
  /** Its JSON schema for arguments, when given. */
  parameters?: unknown;
}

/** The parts of a request that shape the simulated answer. */
export interface ModelRequestView {
  /** The API dialect. */
  api: ModelApi;
  /** Requested model name ('' when absent). */
  model: string;
  /** Whether the client asked for a streamed answer. */
  stream: boolean;
  /** `stream_options.include_usage` (chat completions only). */
  includeUsage: boolean;
  /** The request's cap on output tokens, when set. */
  maxOutputTokens?: number;
  /** Tools offered to the model. */
  tools: OfferedTool[];
  /** Text of the last message when it comes from the user (not a tool result). */
  lastUserText?: string;
  /** All text of the prompt (instructions, messages, tool schemas) for the token estimate. */
  promptText: string;
}

type Json = Record<string, unknown>;

const asRecord = (value: unknown): Json => (value !== null && typeof value === 'object' ? (value as Json) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asNumber = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Text of a message content: a string, or the `text` of its text parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return asArray(content)
    .map((part) => asRecord(part))
    .filter((part) => typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n');
}

/** Reads an OpenAI chat completions request body. */
export function viewChatCompletionsRequest(body: Json): ModelRequestView {
  const messages = asArray(body.messages).map(asRecord);
  const last = messages.at(-1);
  return {
    api: 'chat.completions',
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    includeUsage: asRecord(body.stream_options).include_usage === true,
    maxOutputTokens: asNumber(body.max_completion_tokens) ?? asNumber(body.max_tokens),
    tools: asArray(body.tools).map((tool) => {
      const fn = asRecord(asRecord(tool).function);
      return { name: String(fn.name ?? ''), parameters: fn.parameters };
    }),
    lastUserText: last?.role === 'user' ? contentText(last.content) : undefined,
    promptText: collectText([body.messages, body.tools]),
  };
}

/** Reads an OpenAI responses request body. */
export function viewResponsesRequest(body: Json): ModelRequestView {
  const input = body.input;
  const items = typeof input === 'string' ? [{ role: 'user', content: input }] : asArray(input).map(asRecord);
  const last = asRecord(items.at(-1));
  const lastIsUser = last.role === 'user' && last.type !== 'function_call_output';
  return {
    api: 'responses',
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    includeUsage: false,
    maxOutputTokens: asNumber(body.max_output_tokens),
    tools: asArray(body.tools)
      .map(asRecord)
      .filter((tool) => tool.type === 'function')
      .map((tool) => ({ name: String(tool.name ?? ''), parameters: tool.parameters })),
    lastUserText: lastIsUser ? contentText(last.content) : undefined,
    promptText: collectText([body.instructions, input, body.tools]),
  };
}

/** Reads an Anthropic messages request body. */
export function viewMessagesRequest(body: Json): ModelRequestView {
  const messages = asArray(body.messages).map(asRecord);
  const last = messages.at(-1);
  const lastIsToolResult = asArray(last?.content).some((block) => asRecord(block).type === 'tool_result');
  return {
    api: 'messages',
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    includeUsage: false,
    maxOutputTokens: asNumber(body.max_tokens),
    tools: asArray(body.tools)
      .map(asRecord)
      .map((tool) => ({ name: String(tool.name ?? ''), parameters: tool.input_schema })),
    lastUserText: last?.role === 'user' && !lastIsToolResult ? contentText(last.content) : undefined,
    promptText: collectText([body.system, body.messages, body.tools]),
  };
}
