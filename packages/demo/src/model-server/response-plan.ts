/**
 * Decides what a simulated model answers and when each token leaves: the model's profile, then
 * the server's `reply` hook, then per-request headers (tests pin exact delays that way).
 *
 * Per-request headers (all optional):
 *   x-model-ttft-ms             time to the first content token
 *   x-model-per-token-ms        gap between tokens
 *   x-model-output-tokens       number of tokens in a text answer / argument fragments of a tool call
 *   x-model-tool-call           tool name to call, or `auto` for the first offered tool
 *   x-model-tool-arguments      the tool call's arguments as JSON text
 *   x-model-status              answer with this HTTP error status and the API's error body
 *   x-model-abort-after-tokens  cut the connection after this many tokens (a mid-stream failure)
 *   x-model-stall-ms            an extra pause before one token (a stream that freezes mid-answer)
 *   x-model-stall-at-token      which token waits for it (default: the middle one; never the first)
 * A text directive `[[tool_call:NAME]]` in the last user message also asks for a tool call.
 */
import { type RandomSource, sampleDelayMs } from './delay-distribution.js';
import { DEFAULT_OUTPUT_TOKENS, type ModelProfile } from './profiles.js';
import { replyTokens, splitIntoTokens } from './reply-text.js';
import type { ModelRequestView, OfferedTool } from './request-view.js';
import { estimateTokens } from './token-estimate.js';

/** Overrides of one answer, from the `reply` hook or from headers. */
export interface ReplyDirective {
  /** Time to the first content token, in ms. */
  ttftMs?: number;
  /** Gap between tokens, in ms. */
  perTokenMs?: number;
  /** Tokens in a text answer, or argument fragments of a tool call. */
  outputTokens?: number;
  /** Exact answer text; split into one token per word. */
  text?: string;
  /** Call this tool (`auto`: the first offered) instead of answering with text. */
  toolCall?: { name: string; arguments?: string };
  /** Answer with this HTTP error status. */
  status?: number;
  /** Cut the connection after this many tokens. */
  abortAfterTokens?: number;
  /** Pause `ms` longer before token `atToken` (0-based, at least 1: after the first token). */
  stall?: { ms: number; atToken?: number };
}

/** A tool call the model makes. */
export interface PlannedToolCall {
  /** The tool's name. */
  name: string;
  /** Call id in the API's format. */
  callId: string;
  /** Arguments JSON text, emitted in `tokens` fragments. */
  argumentsJson: string;
}

/** Everything about one simulated answer. */
export interface ResponsePlan {
  /** Model name echoed in the answer. */
  model: string;
  /** Offsets from the request's arrival at which each token is emitted, in ms. */
  tokenOffsetsMs: number[];
  /** Token texts (text answers) or argument fragments (tool calls). */
  tokens: string[];
  /** The tool call, when the answer is one. */
  toolCall?: PlannedToolCall;
  /** Estimated prompt tokens. */
  inputTokens: number;
  /** Tokens emitted (= tokens.length). */
  outputTokens: number;
  /** HTTP error status to answer with instead. */
  status?: number;
  /** Tokens after which the connection is cut. */
  abortAfterTokens?: number;
}

const TOOL_DIRECTIVE = /\[\[tool_call:([A-Za-z0-9_.-]+)\]\]/;

/** Reads the `x-model-*` headers into a directive. */
export function directiveFromHeaders(headers: Record<string, string | string[] | undefined>): ReplyDirective {
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const number = (name: string): number | undefined => {
    const value = header(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
  };
  const directive: ReplyDirective = {};
  const ttftMs = number('x-model-ttft-ms');
  if (ttftMs !== undefined) directive.ttftMs = ttftMs;
  const perTokenMs = number('x-model-per-token-ms');
  if (perTokenMs !== undefined) directive.perTokenMs = perTokenMs;
  const outputTokens = number('x-model-output-tokens');
  if (outputTokens !== undefined) directive.outputTokens = Math.max(1, Math.floor(outputTokens));
  const status = number('x-model-status');
  if (status !== undefined) directive.status = status;
  const abortAfter = number('x-model-abort-after-tokens');
  if (abortAfter !== undefined) directive.abortAfterTokens = Math.floor(abortAfter);
  const stallMs = number('x-model-stall-ms');
  if (stallMs !== undefined) {
    const atToken = number('x-model-stall-at-token');
    directive.stall = atToken === undefined ? { ms: stallMs } : { ms: stallMs, atToken: Math.floor(atToken) };
  }
  const tool = header('x-model-tool-call');
  if (tool !== undefined) directive.toolCall = { name: tool, arguments: header('x-model-tool-arguments') };
  return directive;
}

/** Placeholder arguments satisfying the required properties of a JSON schema. */
function placeholderArguments(tool: OfferedTool): string {
  const schema = (tool.parameters ?? {}) as { properties?: Record<string, { type?: string }>; required?: string[] };
  const args: Record<string, unknown> = {};
  for (const key of schema.required ?? []) {
    const type = schema.properties?.[key]?.type;
    args[key] =
      type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? true : type === 'array' ? [] : type === 'object' ? {} : 'example';
  }
  return JSON.stringify(args);
}

/** Which tool the directives ask for, if the request offers it. */
function chooseTool(view: ModelRequestView, directive: ReplyDirective): { tool: OfferedTool; argumentsJson?: string } | undefined {
  if (view.tools.length === 0) return undefined;
  const requested = directive.toolCall?.name ?? view.lastUserText?.match(TOOL_DIRECTIVE)?.[1];
  if (requested === undefined) return undefined;
  const tool = requested === 'auto' ? view.tools[0] : view.tools.find((offered) => offered.name === requested);
  return tool === undefined ? undefined : { tool, argumentsJson: directive.toolCall?.arguments };
}

/** Call id in the dialect's format: `call_…` for OpenAI, `toolu_…` for Anthropic. */
function callId(view: ModelRequestView, sequence: number): string {
  const suffix = sequence.toString(16).padStart(8, '0');
  return view.api === 'messages' ? `toolu_${suffix}` : `call_${suffix}`;
}

/** Builds the plan of one answer. */
export function planResponse(
  view: ModelRequestView,
  profile: ModelProfile,
  directive: ReplyDirective,
  random: RandomSource,
  sequence: number,
): ResponsePlan {
  const ttftMs = directive.ttftMs ?? sampleDelayMs(profile.ttftMs, profile.ttftJitter, random);
  const perTokenBaseMs = directive.perTokenMs ?? profile.perTokenMs;
  const perTokenJitter = directive.perTokenMs === undefined ? profile.perTokenJitter : undefined;
  const cap = view.maxOutputTokens !== undefined ? Math.max(1, Math.floor(view.maxOutputTokens)) : Infinity;
  const chosen = chooseTool(view, directive);
  let tokens: string[];
  let toolCall: PlannedToolCall | undefined;
  if (chosen !== undefined) {
    const argumentsJson = chosen.argumentsJson ?? placeholderArguments(chosen.tool);
    tokens = splitIntoTokens(argumentsJson, directive.outputTokens ?? estimateTokens(argumentsJson));
    toolCall = { name: chosen.tool.name, callId: callId(view, sequence), argumentsJson };
  } else if (directive.text !== undefined) {
    tokens = directive.text
      .split(/(?=\s)/)
      .filter((token) => token.length > 0)
      .slice(0, cap);
  } else {
    tokens = replyTokens(Math.min(directive.outputTokens ?? profile.outputTokens ?? DEFAULT_OUTPUT_TOKENS, cap));
  }
  const tokenOffsetsMs: number[] = [];
  const stallAt = directive.stall === undefined ? -1 : Math.max(1, directive.stall.atToken ?? Math.floor(tokens.length / 2));
  let offsetMs = ttftMs;
  for (let index = 0; index < tokens.length; index++) {
    if (index > 0) offsetMs += perTokenJitter === undefined ? perTokenBaseMs : sampleDelayMs(perTokenBaseMs, perTokenJitter, random);
    if (index === stallAt) offsetMs += directive.stall!.ms;
    tokenOffsetsMs.push(offsetMs);
  }
  return {
    model: view.model,
    tokenOffsetsMs,
    tokens,
    toolCall,
    inputTokens: Math.max(1, estimateTokens(view.promptText)),
    outputTokens: tokens.length,
    status: directive.status,
    abortAfterTokens: directive.abortAfterTokens,
  };
}
