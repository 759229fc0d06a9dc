import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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
 * ClickHouse over its HTTP interface with plain `node:http`: statements in the POST body, rows back as
 * `JSONCompact`, inserts as `JSONEachRow` (JSON-encoded by `JSON.stringify`, so row values never
 * pass through SQL text). Works with 18.16 and current servers.
 */
export class ClickHouseHttp {
  private readonly secure: boolean;
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    readonly database: string,
  ) {
    sqlIdentifier(database);
    this.secure = baseUrl.startsWith('https:');
    // A connection per statement: over a kept-alive connection 18.16 sends the end of its answer
    // in a second small packet that waits for the client's delayed ACK (an insert took ~25 ms
    // instead of ~5 ms on loopback).
    this.agent = this.secure ? new HttpsAgent({ keepAlive: false }) : new Agent({ keepAlive: false });
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

  /** Stops reusing connections (the server keeps running). */
  close(): void {
    this.agent.destroy();
  }

  private async post(sql: string, data: string | undefined, inDatabase: boolean): Promise<string> {
    const params = new URLSearchParams(QUERY_SETTINGS);
    if (inDatabase) params.set('database', this.database);
    let body = sql;
    if (data !== undefined) {
      params.set('query', sql);
      body = data;
    }
    const { status, text } = await this.request(`${this.baseUrl}/?${params}`, body);
    if (status !== 200) throw new ClickHouseError(`ClickHouse answered ${status}: ${text.trim().slice(0, 500)}`);
    return text;
  }

  /**
   * One POST with headers and body in a single write (`end(body)` with a known length). `fetch`
   * sends them in two, and the server's delayed ACK then stalls every statement by ~40 ms.
   */
  private request(url: string, body: string): Promise<{ status: number; text: string }> {
    const bytes = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const request = (this.secure ? httpsRequest : httpRequest)(
        url,
        { method: 'POST', agent: this.agent, headers: { 'content-length': bytes.length } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(bytes);
    });
  }
}
