import { sqlIdentifier } from './sql-literal.js';

/**
 * Settings sent with every statement:
 * - 64-bit integers as JSON numbers (counts are cast to Float64 anyway);
 * - no automatic PREWHERE: older servers apply a moved PREWHERE before `FINAL` collapses row
 *   versions, which can return a replaced version of a trace that matched the filter.
 */
const QUERY_SETTINGS = { output_format_json_quote_64bit_integers: '0', optimize_move_to_prewhere: '0' };

/** A failed statement, with the server's message. */
export class ClickHouseError extends Error {
  override readonly name = 'ClickHouseError';
}

/**
 * ClickHouse over its HTTP interface with plain `fetch`: statements in the POST body, rows back as
 * `JSONCompact`, inserts as `JSONEachRow` (JSON-encoded by `JSON.stringify`, so row values never
 * pass through SQL text). Works with 18.16 and current servers.
 */
export class ClickHouseHttp {
  constructor(
    private readonly baseUrl: string,
    readonly database: string,
  ) {
    sqlIdentifier(database);
  }

  /** Runs a statement that returns no rows (DDL, ALTER). */
  async command(sql: string, { inDatabase = true } = {}): Promise<void> {
    await this.post(sql, undefined, inDatabase);
  }

  /** Runs a SELECT and returns its rows as arrays of JSON values. */
  async rows(sql: string): Promise<unknown[][]> {
    const text = await this.post(`${sql}\nFORMAT JSONCompact`, undefined, true);
    return (JSON.parse(text) as { data: unknown[][] }).data;
  }

  /** Inserts rows (objects keyed by column name) into a table of the database. */
  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    const body = rows.map((row) => JSON.stringify(row)).join('\n');
    await this.post(`INSERT INTO ${sqlIdentifier(table)} FORMAT JSONEachRow`, body, true);
  }

  private async post(sql: string, data: string | undefined, inDatabase: boolean): Promise<string> {
    const params = new URLSearchParams(QUERY_SETTINGS);
    if (inDatabase) params.set('database', this.database);
    let body = sql;
    if (data !== undefined) {
      params.set('query', sql);
      body = data;
    }
    const response = await fetch(`${this.baseUrl}/?${params}`, { method: 'POST', body });
    const text = await response.text();
    if (!response.ok) throw new ClickHouseError(`ClickHouse answered ${response.status}: ${text.trim().slice(0, 500)}`);
    return text;
  }
}
