import fc from 'fast-check';

/**
 * Byte-level damage to a valid body: flips, cuts, insertions and repeats, the kinds a broken
 * sender or a bad proxy makes. At most `maxEdits` edits per body (few edits leave more bodies
 * well-formed, which is what comparing two readers of the same bytes needs).
 */
export function mutatedBytes(seed: Uint8Array, maxEdits: number): fc.Arbitrary<Uint8Array> {
  return fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
        fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
      ),
      { minLength: 1, maxLength: maxEdits },
    )
    .map((edits) => {
      const bytes = Array.from(seed);
      for (const edit of edits) {
        const at = bytes.length === 0 ? 0 : edit.at % bytes.length;
        if (edit.kind === 'flip') bytes[at] = edit.value;
        else if (edit.kind === 'cut') bytes.splice(at, edit.length);
        else if (edit.kind === 'insert') bytes.splice(at, 0, ...edit.bytes);
        else bytes.splice(at, 0, ...bytes.slice(at, at + edit.length));
      }
      return Uint8Array.from(bytes);
    });
}
