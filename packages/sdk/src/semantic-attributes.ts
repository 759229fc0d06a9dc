/**
 * Attribute and event names the SDK writes. OpenTelemetry GenAI semantic conventions first;
 * `threshold.*` only where no convention exists (docs/DESIGN.md, "The SDK's own attributes").
 */

export const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';
export const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
/** Seconds from the request to the first chunk that carries content. */
export const GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
export const GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
export const GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const ERROR_TYPE = 'error.type';

export const THRESHOLD_CATEGORY = 'threshold.category';
export const THRESHOLD_TASK_CLASS = 'threshold.task.class';
export const THRESHOLD_TASK_BUDGET_MS = 'threshold.task.budget_ms';
export const THRESHOLD_TURN = 'threshold.turn';
export const THRESHOLD_LLM_PURPOSE = 'threshold.llm.purpose';
/**
 * Seconds per output token after the first, (duration − TTFT) / (output tokens − 1); written for
 * streams whose token count is known. No convention defines a span attribute for it.
 */
export const THRESHOLD_LLM_TIME_PER_OUTPUT_TOKEN = 'threshold.llm.time_per_output_token';
/** Streams: chunks with content the consumer received. */
export const THRESHOLD_LLM_CHUNKS = 'threshold.llm.chunks';
/**
 * Streams: the longest pause between two consecutive content chunks after the first, ms (a
 * freeze the reader sees; TTFT and TPOT cannot show it). No convention defines one.
 */
export const THRESHOLD_LLM_MAX_CHUNK_GAP_MS = 'threshold.llm.max_chunk_gap_ms';
/** Streams: when that pause began, ms after the span's start. */
export const THRESHOLD_LLM_MAX_CHUNK_GAP_START_MS = 'threshold.llm.max_chunk_gap_start_ms';
export const THRESHOLD_TOOL_ARGS_HASH = 'threshold.tool.args_hash';
export const THRESHOLD_TOOL_CACHE_HIT = 'threshold.tool.cache_hit';
export const THRESHOLD_TOOL_COLD_START = 'threshold.tool.cold_start';
export const THRESHOLD_STATE_OPERATION = 'threshold.state.operation';
export const THRESHOLD_ORCHESTRATION_KIND = 'threshold.orchestration.kind';

/** Event on the task span: the moment the user first sees output. */
export const THRESHOLD_FIRST_OUTPUT_EVENT = 'threshold.first_output';
