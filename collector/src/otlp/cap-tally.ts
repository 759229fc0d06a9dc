import { capMessage, cutText, emptyCapCounts, type CapCounts, type SpanCaps } from '../security/span-caps.js';
import { internUtf8 } from './interned-strings.js';
import type { WireReader } from './wire-reader.js';

/** Which count a cut string adds to. */
type TextCounter = 'truncatedServiceNames' | 'truncatedNames' | 'truncatedKeys' | 'truncatedValues';

/**
 * The span caps as one request is decoded: cuts strings, tracks the list budget of the span or
 * event being read, and counts what was cut for the partial-success message. Both decoders use
 * it, so a span sent in either encoding is cut the same way.
 */
export class CapTally {
  readonly counts: CapCounts = emptyCapCounts();
  /** Array items and kvlist entries the span (or event) being read may still take. */
  listItemsLeft = 0;
  /** The counts as the span being read began, taken at its first cut (undefined before it). */
  private countsBeforeSpan: CapCounts | undefined;

  constructor(readonly caps: Readonly<SpanCaps>) {}

  /** A span begins: it gets its list budget, and its cuts can be taken back if it is rejected. */
  beginSpan(): void {
    this.listItemsLeft = this.caps.maxListItemsPerSpan;
    this.countsBeforeSpan = undefined;
  }

  /**
   * The span just read is rejected: what was cut from it is not reported (a span can be read in
   * full before its ids and times say it is rejected; the answer accounts for it as rejected).
   */
  forgetSpan(): void {
    if (this.countsBeforeSpan) Object.assign(this.counts, this.countsBeforeSpan);
    this.countsBeforeSpan = undefined;
  }

  /** Counts one cut. */
  count(counter: keyof CapCounts): void {
    this.countsBeforeSpan ??= { ...this.counts };
    this.counts[counter]++;
  }

  /**
   * A protobuf string field cut to `maxChars`. Only what the cut keeps is decoded: a 10 MiB value
   * costs what a 16 KiB one does. UTF-8 takes at least one byte per UTF-16 unit, so a field no
   * longer than `maxChars` bytes is never cut; one of more than 3 × (maxChars + 2) bytes always is
   * (a unit takes at most 3 bytes, an invalid byte becoming one U+FFFD), and decoding its first
   * 3 × (maxChars + 2) bytes yields every unit the cut keeps exactly as decoding all of it would
   * (UTF-8 decodes left to right; only the last unit of a prefix can differ).
   */
  text(reader: WireReader, end: number, maxChars: number, counter: TextCounter): string {
    const fieldEnd = reader.lengthDelimitedEnd(end);
    const start = reader.pos;
    reader.pos = fieldEnd;
    const bytes = reader.bytes;
    if (fieldEnd - start <= maxChars) return internUtf8(bytes, start, fieldEnd);
    const enough = 3 * (maxChars + 2);
    const text = bytes.toString('utf8', start, fieldEnd - start > enough ? start + enough : fieldEnd);
    return this.cut(text, maxChars, counter);
  }

  /** A protobuf bytes field as the base64 text kept for it, cut to `maxChars` (only the bytes kept are encoded). */
  base64(reader: WireReader, end: number, maxChars: number, counter: TextCounter): string {
    const fieldEnd = reader.lengthDelimitedEnd(end);
    const start = reader.pos;
    reader.pos = fieldEnd;
    if (4 * Math.ceil((fieldEnd - start) / 3) <= maxChars) return reader.bytes.toString('base64', start, fieldEnd);
    // Whole 3-byte groups encode to the same characters as in the full text; one group more
    // than the cut keeps, so the prefix is longer than maxChars and is cut like the full text.
    const keptBytes = 3 * (Math.floor(maxChars / 4) + 1);
    return this.cut(reader.bytes.toString('base64', start, Math.min(fieldEnd, start + keptBytes)), maxChars, counter);
  }

  /** A JSON string cut to `maxChars`. */
  jsonText(text: string, maxChars: number, counter: TextCounter): string {
    return text.length <= maxChars ? text : this.cut(text, maxChars, counter);
  }

  /** Takes one list item from the budget; false (and counted as dropped) when none is left. */
  takeListItem(): boolean {
    if (this.listItemsLeft > 0) {
      this.listItemsLeft--;
      return true;
    }
    this.count('droppedListItems');
    return false;
  }

  /** "truncated: …", or undefined when nothing was cut. */
  message(): string | undefined {
    return capMessage(this.counts, this.caps);
  }

  private cut(text: string, maxChars: number, counter: TextCounter): string {
    if (text.length <= maxChars) return text;
    this.count(counter);
    return cutText(text, maxChars);
  }
}
