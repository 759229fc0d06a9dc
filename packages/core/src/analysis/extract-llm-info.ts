import type { Classification } from '../classify/classifier.js';
import type { SpanRecord } from '../span-record.js';
import type { LlmInfo } from '../trace-span.js';
import { extractTtft, readStreamingFlag } from './extract-ttft.js';
import { extractStreamChunks } from './extract-stream-chunks.js';
import { extractUsage } from './extract-usage.js';
import { readString } from './read-attribute.js';

const MODEL_KEYS = [
  'gen_ai.request.model',
  'gen_ai.response.model',
  'ai.model.id',
  'llm.model_name',
  'ai.response.model',
  'langfuse.observation.model.name',
  'mastra.model',
  'mastra.metadata.modelId',
];
/** Mastra's 0.2x exporter writes a span's metadata as plain attributes (`modelId` on model steps). */
const MASTRA_PLAIN_MODEL_KEYS = ['modelId'];
const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system', 'ai.model.provider'];
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
  const { inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens, cost } = extractUsage(attributes);
  const info: LlmInfo = {};
  const model =
    readString(attributes, ...MODEL_KEYS) ??
    (attributes['mastra.span.type'] !== undefined ? readString(attributes, ...MASTRA_PLAIN_MODEL_KEYS) : undefined);
  if (model !== undefined) info.model = model;
  const provider = normaliseProvider(record);
  if (provider !== undefined) info.provider = provider;
  if (streaming !== undefined) info.streaming = streaming;
  if (ttft !== undefined) info.ttftMs = ttft.ttftMs;
  if (inputTokens !== undefined) info.inputTokens = inputTokens;
  if (outputTokens !== undefined) info.outputTokens = outputTokens;
  if (cacheReadInputTokens !== undefined) info.cacheReadInputTokens = cacheReadInputTokens;
  if (cacheWriteInputTokens !== undefined) info.cacheWriteInputTokens = cacheWriteInputTokens;
  if (cost !== undefined) info.cost = cost;
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
