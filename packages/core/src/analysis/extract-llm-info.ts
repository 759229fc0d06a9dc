import type { Classification } from '../classify/classifier.js';
import type { SpanRecord } from '../span-record.js';
import type { LlmInfo } from '../trace-span.js';
import { extractTtft, readStreamingFlag } from './extract-ttft.js';
import { extractStreamChunks } from './extract-stream-chunks.js';
import { readNumber, readString } from './read-attribute.js';

const MODEL_KEYS = ['gen_ai.request.model', 'gen_ai.response.model', 'ai.model.id', 'llm.model_name', 'ai.response.model', 'mastra.model'];
const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system', 'ai.model.provider'];
const INPUT_TOKEN_KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens',
  'llm.token_count.prompt',
  'ai.usage.inputTokens',
  'ai.usage.promptTokens',
  'llm.usage.prompt_tokens',
];
const OUTPUT_TOKEN_KEYS = [
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'llm.token_count.completion',
  'ai.usage.outputTokens',
  'ai.usage.completionTokens',
  'llm.usage.completion_tokens',
];

/** Vercel's provider ids are `<provider>.<api>` (`openai.chat`, `anthropic.messages`): keep the provider. */
function normaliseProvider(record: SpanRecord): string | undefined {
  const provider = readString(record.attributes, ...PROVIDER_KEYS);
  if (provider === undefined || provider !== record.attributes['ai.model.provider']) return provider;
  const dot = provider.indexOf('.');
  return dot > 0 ? provider.slice(0, dot) : provider;
}

/** Whether a streamed call can be told from the operation alone (Vercel doStream / doGenerate). */
function streamingFromOperationId(record: SpanRecord): boolean | undefined {
  const operationId = readString(record.attributes, 'ai.operationId') ?? record.name;
  if (operationId.endsWith('.doStream')) return true;
  if (operationId.endsWith('.doGenerate') || operationId.endsWith('.doEmbed')) return false;
  return undefined;
}

/**
 * Model facts of an llm span from every convention's spelling. `aggregate` is decided later, once
 * the tree shows whether this span wraps other llm calls.
 */
export function extractLlmInfo(record: SpanRecord, classification: Classification): LlmInfo {
  const attributes = record.attributes;
  const ttft = extractTtft(record);
  const streaming = readStreamingFlag(record) ?? streamingFromOperationId(record) ?? (ttft?.impliesStreaming ? true : undefined);
  const inputTokens = nonNegativeInteger(readNumber(attributes, ...INPUT_TOKEN_KEYS));
  const outputTokens = nonNegativeInteger(readNumber(attributes, ...OUTPUT_TOKEN_KEYS));
  const info: LlmInfo = {};
  const model = readString(attributes, ...MODEL_KEYS);
  if (model !== undefined) info.model = model;
  const provider = normaliseProvider(record);
  if (provider !== undefined) info.provider = provider;
  if (streaming !== undefined) info.streaming = streaming;
  if (ttft !== undefined) info.ttftMs = ttft.ttftMs;
  if (inputTokens !== undefined) info.inputTokens = inputTokens;
  if (outputTokens !== undefined) info.outputTokens = outputTokens;
  if (ttft !== undefined && outputTokens !== undefined && outputTokens > 1) {
    const durationMs = Number(record.endTimeUnixNano - record.startTimeUnixNano) / 1e6;
    info.tpotMs = Math.max(0, durationMs - ttft.ttftMs) / (outputTokens - 1);
  }
  Object.assign(info, extractStreamChunks(record));
  const purpose = readString(attributes, 'threshold.llm.purpose');
  if (purpose !== undefined) info.purpose = purpose;
  const operation = classification.operation ?? readString(attributes, 'gen_ai.operation.name');
  if (operation !== undefined) info.operation = operation;
  return info;
}

function nonNegativeInteger(value: number | undefined): number | undefined {
  if (value === undefined || value < 0) return undefined;
  return Math.round(value);
}
