/**
 * Reads a finished (non-streamed) LLM result of a recognisable shape: OpenAI chat completions and
 * responses, Anthropic messages, Vercel AI SDK `generateText` results, and `.withResponse()`
 * pairs of any of them. Unknown shapes yield nothing — never a guess.
 */

/** What a result says about itself. */
export interface ResponseFacts {
  inputTokens?: number;
  outputTokens?: number;
  model?: string;
  id?: string;
  finishReasons?: string[];
  text?: string;
}

type Json = Record<string, any>;
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function readUsage(usage: Json | undefined, facts: ResponseFacts): void {
  if (usage === null || typeof usage !== 'object') return;
  facts.inputTokens = num(usage.input_tokens) ?? num(usage.prompt_tokens) ?? num(usage.inputTokens) ?? num(usage.promptTokens);
  facts.outputTokens = num(usage.output_tokens) ?? num(usage.completion_tokens) ?? num(usage.outputTokens) ?? num(usage.completionTokens);
}

/** Facts about `value`, or undefined when its shape is not recognised. */
export function readResponse(value: unknown): ResponseFacts | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  let result = value as Json;
  if (result.data !== undefined && result.response !== undefined && typeof result.data === 'object') result = result.data as Json;
  const facts: ResponseFacts = {};
  if (result.object === 'chat.completion') {
    readUsage(result.usage, facts);
    facts.model = str(result.model);
    facts.id = str(result.id);
    const choices: Json[] = Array.isArray(result.choices) ? result.choices : [];
    facts.finishReasons = choices.map((choice) => choice?.finish_reason).filter((reason): reason is string => typeof reason === 'string');
    facts.text = str(choices[0]?.message?.content);
    return facts;
  }
  if (result.object === 'response') {
    readUsage(result.usage, facts);
    facts.model = str(result.model);
    facts.id = str(result.id);
    if (typeof result.status === 'string') facts.finishReasons = [result.status];
    facts.text = str(result.output_text);
    return facts;
  }
  if (result.type === 'message' && Array.isArray(result.content)) {
    readUsage(result.usage, facts);
    facts.model = str(result.model);
    facts.id = str(result.id);
    if (typeof result.stop_reason === 'string') facts.finishReasons = [result.stop_reason];
    const texts = (result.content as Json[]).filter((block) => block?.type === 'text').map((block) => String(block.text));
    if (texts.length > 0) facts.text = texts.join('');
    return facts;
  }
  if ((result.totalUsage ?? result.usage) !== undefined && ('finishReason' in result || 'text' in result)) {
    readUsage(result.totalUsage ?? result.usage, facts);
    facts.model = str(result.response?.modelId);
    facts.id = str(result.response?.id);
    if (typeof result.finishReason === 'string') facts.finishReasons = [result.finishReason];
    facts.text = str(result.text);
    return facts;
  }
  if (result.usage !== undefined && typeof result.usage === 'object') {
    readUsage(result.usage, facts);
    return facts;
  }
  return undefined;
}
