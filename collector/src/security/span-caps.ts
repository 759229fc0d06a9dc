/**
 * Limits that keep what one span costs to decode, hold, store and show bounded, whatever a sender
 * puts in it. They are applied by truncation while the request is decoded (otlp/), the same way
 * at ingest and when a stored request is read back, so every analysis of a trace sees the same
 * spans; the acknowledgement scan flags a request any of them would cut, so ingest decodes it and
 * the answer says what was cut (a partial success with 0 rejected spans and a "truncated: …"
 * message).
 */
export interface SpanCaps {
  /** Longest `service.name` kept (characters). */
  maxServiceNameChars: number;
  /** Longest span, event or instrumentation scope name kept (characters). */
  maxNameChars: number;
  /** Longest attribute key kept, nested kvlist keys included (characters). */
  maxKeyChars: number;
  /** Longest attribute value string (bytes as base64 text too) or status message kept (characters). */
  maxValueChars: number;
  /** Most attributes kept per span: the first ones in arrival order, a repeated key counted again. */
  maxAttributesPerSpan: number;
  /** Most attributes kept per event, counted the same way. */
  maxAttributesPerEvent: number;
  /** Most events kept per span (the first ones). */
  maxEventsPerSpan: number;
  /** Most array items and kvlist entries kept over all of a span's attribute values, nested ones included. */
  maxListItemsPerSpan: number;
  /** The same over all of one event's attribute values. */
  maxListItemsPerEvent: number;
}

/**
 * The counts follow OpenTelemetry's SDK span limits (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT,
 * OTEL_SPAN_EVENT_COUNT_LIMIT, OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: 128 each), so a span an SDK
 * exported at its defaults is never cut here. OpenTelemetry sets no default for lengths or lists;
 * those are ours:
 *
 * - Values, 16,384 characters: a prompt or completion stays readable in the waterfall; longer
 *   ones are content, not latency, and are cut with "…".
 * - Service names, 256 characters (a Kubernetes name is at most 253); span, event and scope names
 *   1,024; keys 256 (semantic-convention keys are under 64). Names and the service are copied into
 *   every summary and per-span row, filter list and dashboard label, so they are held far tighter
 *   than values: a 10 MiB service name once made every analysis commit fail.
 * - Lists: one budget per span (4,096 items) and per event (128) rather than a length per list,
 *   because lists nested in lists would multiply any per-list length (128 × 128 × 128 …); what has
 *   to be bounded is what one span costs. 4,096 holds a structured conversation of a few hundred
 *   messages. Nesting itself is bounded by refusal (MAX_VALUE_DEPTH, 32 levels: only hostile or
 *   broken senders go deeper, and the readers recurse).
 *
 * At these caps a span decodes to at most about 37,000 values (128 attributes and 4,096 items,
 * 128 events of 128 attributes and 128 items each), whatever the body holds.
 */
export const DEFAULT_SPAN_CAPS: Readonly<SpanCaps> = {
  maxServiceNameChars: 256,
  maxNameChars: 1_024,
  maxKeyChars: 256,
  maxValueChars: 16_384,
  maxAttributesPerSpan: 128,
  maxAttributesPerEvent: 128,
  maxEventsPerSpan: 128,
  maxListItemsPerSpan: 4_096,
  maxListItemsPerEvent: 128,
};

/** What capping changed in one request, for the partial-success message. */
export interface CapCounts {
  truncatedServiceNames: number;
  truncatedNames: number;
  truncatedKeys: number;
  truncatedValues: number;
  droppedAttributes: number;
  droppedEventAttributes: number;
  droppedEvents: number;
  droppedListItems: number;
}

export function emptyCapCounts(): CapCounts {
  return {
    truncatedServiceNames: 0,
    truncatedNames: 0,
    truncatedKeys: 0,
    truncatedValues: 0,
    droppedAttributes: 0,
    droppedEventAttributes: 0,
    droppedEvents: 0,
    droppedListItems: 0,
  };
}

/** Marks a cut string, so a reader can tell a truncated value from one that ended there. */
export const TRUNCATION_MARK = '…';

/**
 * `text` cut to `maxChars` UTF-16 units, the last one the mark. A high surrogate left without its
 * pair by the cut goes too: a lone surrogate is not valid Unicode, and the stores refuse it.
 */
export function cutText(text: string, maxChars: number): string {
  let end = maxChars - TRUNCATION_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + TRUNCATION_MARK;
}

/**
 * "truncated: 2 values longer than 16384 characters, 10 attributes beyond 128 per span", or
 * undefined when nothing was cut.
 */
export function capMessage(counts: CapCounts, caps: SpanCaps = DEFAULT_SPAN_CAPS): string | undefined {
  const parts = [
    [counts.truncatedServiceNames, `service names longer than ${caps.maxServiceNameChars} characters`],
    [counts.truncatedNames, `names longer than ${caps.maxNameChars} characters`],
    [counts.truncatedKeys, `attribute keys longer than ${caps.maxKeyChars} characters`],
    [counts.truncatedValues, `values longer than ${caps.maxValueChars} characters`],
    [counts.droppedAttributes, `attributes beyond ${caps.maxAttributesPerSpan} per span`],
    [counts.droppedEventAttributes, `attributes beyond ${caps.maxAttributesPerEvent} per event`],
    [counts.droppedEvents, `events beyond ${caps.maxEventsPerSpan} per span`],
    [counts.droppedListItems, `list items beyond ${caps.maxListItemsPerSpan} per span or ${caps.maxListItemsPerEvent} per event`],
  ] as const;
  const said = parts.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  return said.length > 0 ? `truncated: ${said.join(', ')}` : undefined;
}
