/**
 * Prompt, answer and tool content — recorded only when the user turned capture on, and always
 * through their `redact` hook. Off by default: content is often personal data.
 */
import { guard } from './guard.js';
import { contentCapture, type RedactContext } from './sdk-config.js';
import {
  GEN_AI_INPUT_MESSAGES,
  GEN_AI_OUTPUT_MESSAGES,
  GEN_AI_TOOL_CALL_ARGUMENTS,
  GEN_AI_TOOL_CALL_RESULT,
} from './semantic-attributes.js';
import type { SpanHandle } from './span-handle.js';

const ATTRIBUTE_BY_KIND: Record<RedactContext['kind'], string> = {
  input: GEN_AI_INPUT_MESSAGES,
  output: GEN_AI_OUTPUT_MESSAGES,
  'tool.arguments': GEN_AI_TOOL_CALL_ARGUMENTS,
  'tool.result': GEN_AI_TOOL_CALL_RESULT,
};

/** Whether content capture is on (callers skip serializing when it is off). */
export function isCapturingContent(): boolean {
  return contentCapture().enabled;
}

/** Records `value` (serialized to JSON unless a string) as `kind`, after redaction. */
export function recordContent(handle: SpanHandle, kind: RedactContext['kind'], value: unknown): void {
  const { enabled, redact } = contentCapture();
  if (!enabled || value === undefined) return;
  guard('capturing content', () => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text === undefined) return;
    const spanName = 'name' in handle.span ? String((handle.span as { name?: unknown }).name) : '';
    const recorded = redact === undefined ? text : redact(text, { kind, spanName });
    if (recorded !== undefined) handle.span.setAttribute(ATTRIBUTE_BY_KIND[kind], recorded);
  });
}

/** Records an answer's text as GenAI output messages. */
export function recordOutputText(handle: SpanHandle, text: string): void {
  recordContent(handle, 'output', [{ role: 'assistant', parts: [{ type: 'text', content: text }] }]);
}
