/**
 * Prompt token estimates. Real tokenizers average about four characters of English per token;
 * the simulated servers use that rule so usage blocks grow with the prompt the way real ones do.
 */

/** Characters per token of the estimate. */
export const CHARACTERS_PER_TOKEN = 4;

/** Estimated tokens of `text`: ceil(characters / 4), at least 1 for non-empty text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

/** Keys whose values are structure, not text the model reads (roles, part types, ids). */
const STRUCTURAL_KEYS = new Set(['role', 'type', 'id', 'tool_call_id', 'tool_use_id', 'call_id', 'cache_control']);

/** Every string found inside `value` except structural fields, joined by newlines (message content, tool schemas…). */
export function collectText(value: unknown): string {
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === 'string') parts.push(node);
    else if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) if (!STRUCTURAL_KEYS.has(key)) visit(child);
    }
  };
  visit(value);
  return parts.join('\n');
}
