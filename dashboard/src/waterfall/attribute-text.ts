import type { AttributeValue } from '@threshold/core';

/**
 * An attribute value as plain text for the span details: strings exactly as sent, everything else
 * as JSON. The result is rendered as a React text node, never as HTML: attribute values come from
 * the traced application and are untrusted.
 */
export function attributeText(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
