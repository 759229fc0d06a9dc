import type { Attributes } from '../span-record.js';
import { readJsonObject, readNumber, toNumber } from './read-attribute.js';

/** Token and cost facts of one llm span, whichever convention recorded them. */
export interface UsageReading {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  cost?: number;
}

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
/** GenAI semconv (`cache_read`), OpenInference's prompt details, Vercel's v6 usage. */
const CACHE_READ_KEYS = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'llm.token_count.prompt_details.cache_read',
  'ai.usage.cachedInputTokens',
];
/** The semconv registry's `cache_creation`, the span definitions' `cache_write`, OpenInference's prompt details. */
const CACHE_WRITE_KEYS = [
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'llm.token_count.prompt_details.cache_write',
];

/**
 * Langfuse's usage details (`langfuse.observation.usage_details`, JSON text) use its own keys
 * (`input`, `output`, `input_cached_tokens`, `cache_read_input_tokens`, …) or the provider's
 * (`prompt_tokens`, `completion_tokens`, `input_tokens`, `output_tokens`), whatever the caller
 * passed to `update({ usageDetails })`.
 */
const LANGFUSE_INPUT = ['input', 'prompt_tokens', 'input_tokens', 'promptTokens', 'inputTokens'];
const LANGFUSE_OUTPUT = ['output', 'completion_tokens', 'output_tokens', 'completionTokens', 'outputTokens'];
const LANGFUSE_CACHE_READ = ['input_cached_tokens', 'cache_read_input_tokens', 'input_cache_read', 'cached_tokens'];
const LANGFUSE_CACHE_WRITE = ['cache_creation_input_tokens', 'input_cache_creation', 'input_cache_write'];

/** Usage from the span's attributes; Langfuse's JSON details are read when no flat attribute says. */
export function extractUsage(attributes: Attributes): UsageReading {
  const details = readJsonObject(attributes, 'langfuse.observation.usage_details');
  const fromDetails = (keys: string[]) => (details ? firstNumber(details, keys) : undefined);
  const reading: UsageReading = {};
  const put = (key: keyof UsageReading, value: number | undefined) => {
    const tokens = nonNegativeInteger(value);
    if (tokens !== undefined) reading[key] = tokens;
  };
  put('inputTokens', readNumber(attributes, ...INPUT_TOKEN_KEYS) ?? fromDetails(LANGFUSE_INPUT));
  put('outputTokens', readNumber(attributes, ...OUTPUT_TOKEN_KEYS) ?? fromDetails(LANGFUSE_OUTPUT));
  put('cacheReadInputTokens', readNumber(attributes, ...CACHE_READ_KEYS) ?? fromDetails(LANGFUSE_CACHE_READ));
  put('cacheWriteInputTokens', readNumber(attributes, ...CACHE_WRITE_KEYS) ?? fromDetails(LANGFUSE_CACHE_WRITE));
  const costDetails = readJsonObject(attributes, 'langfuse.observation.cost_details');
  const cost = costDetails ? (firstNumber(costDetails, ['total']) ?? sumNumbers(costDetails)) : undefined;
  if (cost !== undefined && cost >= 0) reading.cost = cost;
  return reading;
}

function firstNumber(object: Record<string, unknown>, keys: string[]): number | undefined {
  for (const key of keys) {
    const value = object[key];
    const number = typeof value === 'number' || typeof value === 'string' ? toNumber(value) : undefined;
    if (number !== undefined) return number;
  }
  return undefined;
}

/** Cost details without a `total` are its parts (`input`, `output`, …): their sum is the total. */
function sumNumbers(object: Record<string, unknown>): number | undefined {
  let total: number | undefined;
  for (const value of Object.values(object)) if (typeof value === 'number' && Number.isFinite(value)) total = (total ?? 0) + value;
  return total;
}

function nonNegativeInteger(value: number | undefined): number | undefined {
  if (value === undefined || value < 0) return undefined;
  return Math.round(value);
}
