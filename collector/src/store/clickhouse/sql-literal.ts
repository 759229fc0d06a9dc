/**
 * The one way a value enters ClickHouse SQL. The HTTP interface of older servers (18.16) takes no
 * bound parameters, so every value is written as a literal here and nowhere else:
 *
 * - strings: quoted, with backslash and quote escaped and every control byte (and DEL) written as
 *   `\xHH`, so no character can end the literal or the statement;
 * - numbers: finite ones only, written as JavaScript prints them (which ClickHouse reads back
 *   exactly), negatives in parentheses;
 * - booleans as 1/0, null as NULL;
 * - identifiers (database names) from a whitelist of letters, digits and underscore.
 */
export type SqlValue = string | number | boolean | null;

/** A value as a ClickHouse literal; throws on a non-finite number. */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    const text = String(value);
    return value < 0 || Object.is(value, -0) ? `(${text})` : text;
  }
  if (typeof value !== 'string') throw new TypeError(`not a SQL value: ${typeof value}`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
  return `'${value.replace(/[\\'\x00-\x1f\x7f]/g, escapeCharacter)}'`;
}

function escapeCharacter(character: string): string {
  if (character === '\\') return '\\\\';
  if (character === "'") return "\\'";
  return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** A parenthesised list of literals for `IN`; `(NULL)` when empty, which matches nothing. */
export function sqlList(values: readonly SqlValue[]): string {
  return values.length === 0 ? '(NULL)' : `(${values.map(sqlLiteral).join(', ')})`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A database or table name; throws unless it is letters, digits and underscores. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`not a plain identifier: ${JSON.stringify(name)}`);
  return name;
}
