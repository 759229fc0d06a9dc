import type { AttributeValue, Attributes, SpanRecord } from '@threshold/core';

/** Limits that keep one span from costing unbounded memory and storage; applied by truncation. */
export interface SpanCaps {
  /** Longest string kept in an attribute value, span name or status message (characters). */
  maxValueChars: number;
  /** Most attributes kept per span and per event (the first ones, in arrival order). */
  maxAttributesPerSpan: number;
  /** Most events kept per span (the first ones). */
  maxEventsPerSpan: number;
}

export const DEFAULT_SPAN_CAPS: Readonly<SpanCaps> = { maxValueChars: 16_384, maxAttributesPerSpan: 256, maxEventsPerSpan: 512 };

/** What capping changed, for the partial-success message. */
export interface CapCounts {
  truncatedValues: number;
  droppedAttributes: number;
  droppedEvents: number;
}

const TRUNCATION_MARK = '…';

function capString(text: string, caps: SpanCaps, counts: CapCounts): string {
  if (text.length <= caps.maxValueChars) return text;
  counts.truncatedValues++;
  return text.slice(0, caps.maxValueChars - TRUNCATION_MARK.length) + TRUNCATION_MARK;
}

function capValue(value: AttributeValue, caps: SpanCaps, counts: CapCounts): AttributeValue {
  if (typeof value === 'string') return capString(value, caps, counts);
  if (Array.isArray(value)) return value.map((item) => capValue(item, caps, counts));
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) value[key] = capValue(value[key], caps, counts);
  }
  return value;
}

function capAttributes(attributes: Attributes, caps: SpanCaps, counts: CapCounts): void {
  const keys = Object.keys(attributes);
  for (const [index, key] of keys.entries()) {
    if (index >= caps.maxAttributesPerSpan) {
      delete attributes[key];
      counts.droppedAttributes++;
    } else {
      attributes[key] = capValue(attributes[key], caps, counts);
    }
  }
}

/**
 * Caps the spans of one decoded request in place (they are fresh from the decoder): long strings
 * are cut and marked with "…", attributes and events beyond the limits dropped. The same request
 * decoded again later gives the same spans, so re-analysis sees exactly what was first analysed.
 */
export function capSpans(spans: SpanRecord[], caps: SpanCaps = DEFAULT_SPAN_CAPS): CapCounts {
  const counts: CapCounts = { truncatedValues: 0, droppedAttributes: 0, droppedEvents: 0 };
  for (const span of spans) {
    span.name = capString(span.name, caps, counts);
    if (span.statusMessage !== undefined) span.statusMessage = capString(span.statusMessage, caps, counts);
    capAttributes(span.attributes, caps, counts);
    if (span.events.length > caps.maxEventsPerSpan) {
      counts.droppedEvents += span.events.length - caps.maxEventsPerSpan;
      span.events.length = caps.maxEventsPerSpan;
    }
    for (const event of span.events) {
      event.name = capString(event.name, caps, counts);
      capAttributes(event.attributes, caps, counts);
    }
  }
  return counts;
}

/** "truncated: 2 values longer than 16384 characters, 10 attributes beyond 256 per span", or undefined. */
export function capMessage(counts: CapCounts, caps: SpanCaps = DEFAULT_SPAN_CAPS): string | undefined {
  const parts = [
    counts.truncatedValues > 0 ? `${counts.truncatedValues} values longer than ${caps.maxValueChars} characters` : '',
    counts.droppedAttributes > 0 ? `${counts.droppedAttributes} attributes beyond ${caps.maxAttributesPerSpan} per span` : '',
    counts.droppedEvents > 0 ? `${counts.droppedEvents} events beyond ${caps.maxEventsPerSpan} per span` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `truncated: ${parts.join(', ')}` : undefined;
}
