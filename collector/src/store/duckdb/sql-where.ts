import type { DuckDBValue } from '@duckdb/node-api';
import type { WindowQuery } from '../trace-queries.js';

/** A WHERE clause built from optional filters, with positional parameters (never string-spliced values). */
export class SqlWhere {
  private readonly clauses: string[] = [];
  readonly params: DuckDBValue[] = [];

  /** Adds `clause` (with one `?` per value) when every value is defined. */
  add(clause: string, ...values: Array<DuckDBValue | undefined>): this {
    if (values.some((value) => value === undefined)) return this;
    this.clauses.push(clause);
    this.params.push(...(values as DuckDBValue[]));
    return this;
  }

  /** The time window (`from` inclusive, `to` exclusive, epoch ms on `start_ms`) and service. */
  window(query: WindowQuery): this {
    return this.add('start_ms >= ?', query.from).add('start_ms < ?', query.to).add('service = ?', query.service);
  }

  toString(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`;
  }
}

/** Runs a read query and returns rows of plain JS values. */
export type ReadRows = (sql: string, params?: DuckDBValue[]) => Promise<unknown[][]>;
