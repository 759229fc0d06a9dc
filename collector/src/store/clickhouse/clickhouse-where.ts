import type { WindowQuery } from '../trace-queries.js';
import { sqlLiteral, type SqlValue } from './sql-literal.js';

/** A WHERE clause from optional filters; each `?` is replaced by the value as a `sqlLiteral`. */
export class ClickHouseWhere {
  private readonly clauses: string[] = [];

  /** Adds `clause` (one `?` per value) when every value is defined. */
  add(clause: string, ...values: Array<SqlValue | undefined>): this {
    if (values.some((value) => value === undefined)) return this;
    let next = 0;
    this.clauses.push(clause.replace(/\?/g, () => sqlLiteral(values[next++] as SqlValue)));
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
