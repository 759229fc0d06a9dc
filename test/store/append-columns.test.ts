import { BIGINT, BLOB, BOOLEAN, DOUBLE, DuckDBInstance, INTEGER, TIMESTAMP, VARCHAR, blobValue, timestampValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appendColumns, type ColumnSpec } from '../../collector/src/store/duckdb/append-columns.js';

/**
 * `appendColumns` writes the stores' column types straight into the vectors (values in one copy,
 * nulls in a validity mask it builds itself). Every row read back must be the row appended: nulls
 * at every position of the mask's 64-bit words and across data chunks (2,048 rows each), values at
 * the types' edges, and a type it leaves to node-api (TIMESTAMP) beside them.
 */
interface Row {
  d: number | null;
  i: number | null;
  b: bigint | null;
  flag: boolean | null;
  text: string | null;
  bytes: Uint8Array | null;
  at: bigint | null;
}

const COLUMNS: readonly ColumnSpec<Row>[] = [
  { name: 'd', type: DOUBLE, value: (row) => row.d },
  { name: 'i', type: INTEGER, value: (row) => row.i },
  { name: 'b', type: BIGINT, value: (row) => row.b },
  { name: 'flag', type: BOOLEAN, value: (row) => row.flag },
  { name: 'text', type: VARCHAR, value: (row) => row.text },
  { name: 'bytes', type: BLOB, value: (row) => (row.bytes === null ? null : blobValue(row.bytes)) },
  { name: 'stamp', type: TIMESTAMP, value: (row) => (row.at === null ? null : timestampValue(row.at)) },
];

/** Row n: each column null on its own rhythm (so every bit of a mask word is null somewhere), values otherwise. */
function row(n: number): Row {
  return {
    d: n % 3 === 0 ? null : n === 1 ? -0.5 : n === 2 ? Number.MAX_VALUE : n * 1.25,
    i: n % 5 === 1 ? null : n === 2 ? -2_147_483_648 : n === 3 ? 2_147_483_647 : n - 1_000,
    b: n % 7 === 2 ? null : n === 3 ? -9_223_372_036_854_775_808n : BigInt(n) * 1_000_000_007n,
    flag: n % 4 === 3 ? null : n % 2 === 0,
    text: n % 11 === 4 ? null : n % 13 === 0 ? '' : n % 17 === 0 ? `long ${'é✓'.repeat(40)} ${n}` : `row ${n}`,
    bytes: n % 9 === 5 ? null : Uint8Array.from({ length: n % 20 }, (_, k) => (n + k) % 256),
    at: n % 6 === 1 ? null : BigInt(n) * 1_000_000n,
  };
}

describe('appendColumns', () => {
  let instance: DuckDBInstance;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
  });

  afterAll(() => {
    instance.closeSync();
  });

  for (const count of [1, 63, 64, 65, 2_048, 5_000]) {
    test(`${count} rows read back exactly, nulls included`, async () => {
      const connection = await instance.connect();
      const table = `rows_${count}`;
      await connection.run(
        `CREATE TABLE ${table} (n INTEGER, d DOUBLE, i INTEGER, b BIGINT, flag BOOLEAN, text VARCHAR, bytes BLOB, stamp TIMESTAMP)`,
      );
      const rows = Array.from({ length: count }, (_, n) => ({ n, ...row(n) }));
      const appender = await connection.createAppender(table);
      appendColumns(appender, [{ name: 'n', type: INTEGER, value: (r: Row & { n: number }) => r.n }, ...COLUMNS], rows);
      appender.flushSync();
      appender.closeSync();
      const read = (
        await connection.runAndReadAll(`SELECT n, d, i, b, flag, text, bytes, epoch_us(stamp) FROM ${table} ORDER BY n`)
      ).getRows();
      expect(read).toHaveLength(count);
      read.forEach((values, n) => {
        const expected = row(n);
        const [readN, d, i, b, flag, text, bytes, at] = values;
        expect(readN).toBe(n);
        expect(d).toBe(expected.d);
        expect(i).toBe(expected.i);
        expect(b).toBe(expected.b);
        expect(flag).toBe(expected.flag);
        expect(text).toBe(expected.text);
        expect(bytes === null ? null : Array.from((bytes as { bytes: Uint8Array }).bytes)).toEqual(
          expected.bytes === null ? null : Array.from(expected.bytes),
        );
        expect(at).toBe(expected.at === null ? null : expected.at);
      });
      connection.closeSync();
    });
  }

  test('strings repeated, at the 12 bytes DuckDB keeps inline and across chunks read back exactly, and compare as DuckDB compares its own', async () => {
    // In UTF-8: 0, 1, 12, 13, 12 (six é), 13, 12 (four ✓), 13 bytes; a trace id; a long string.
    const values = [
      '',
      'a',
      'twelve bytes',
      'thirteen byte',
      'éééééé',
      'ééééééa',
      '✓✓✓✓',
      '✓✓✓✓a',
      '4bf92f3577b34da6a3ce929d0e0e4736',
      `long ${'é✓'.repeat(40)}`,
    ];
    const texts = Array.from({ length: 5_000 }, (_, n) => (n % 7 === 3 ? null : values[(n + (n >> 3)) % values.length]));
    const connection = await instance.connect();
    await connection.run('CREATE TABLE repeated (n INTEGER, text VARCHAR)');
    const appender = await connection.createAppender('repeated');
    appendColumns(
      appender,
      [
        { name: 'n', type: INTEGER, value: (n: number) => n },
        { name: 'text', type: VARCHAR, value: (n: number) => texts[n] },
      ],
      texts.map((_, n) => n),
    );
    appender.flushSync();
    appender.closeSync();
    expect((await connection.runAndReadAll('SELECT text FROM repeated ORDER BY n')).getRows().map(([text]) => text)).toEqual(texts);
    // Grouped and compared with literals DuckDB made: equal strings are equal however they were written.
    const counts = (
      await connection.runAndReadAll('SELECT text, count(*)::INTEGER FROM repeated WHERE text IS NOT NULL GROUP BY text')
    ).getRows();
    expect(new Map(counts as Array<[string, number]>)).toEqual(
      new Map(values.map((value) => [value, texts.filter((text) => text === value).length])),
    );
    for (const value of values) {
      const [[matches]] = (await connection.runAndReadAll('SELECT count(*)::INTEGER FROM repeated WHERE text = $1', [value])).getRows();
      expect(matches).toBe(texts.filter((text) => text === value).length);
    }
    connection.closeSync();
  });

  test('undefined is stored as NULL, as null is', async () => {
    const connection = await instance.connect();
    await connection.run('CREATE TABLE maybe (d DOUBLE, i INTEGER, flag BOOLEAN, text VARCHAR)');
    const rows = [
      { d: undefined, i: 7, flag: undefined, text: 'x' },
      { d: 1.5, i: undefined, flag: true, text: undefined },
    ];
    const appender = await connection.createAppender('maybe');
    appendColumns(
      appender,
      [
        { name: 'd', type: DOUBLE, value: (row: (typeof rows)[number]) => row.d ?? undefined },
        { name: 'i', type: INTEGER, value: (row: (typeof rows)[number]) => row.i ?? undefined },
        { name: 'flag', type: BOOLEAN, value: (row: (typeof rows)[number]) => row.flag ?? undefined },
        { name: 'text', type: VARCHAR, value: (row: (typeof rows)[number]) => row.text ?? undefined },
      ] as readonly ColumnSpec<(typeof rows)[number]>[],
      rows,
    );
    appender.flushSync();
    appender.closeSync();
    expect((await connection.runAndReadAll('SELECT d, i, flag, text FROM maybe')).getRows()).toEqual([
      [null, 7, null, 'x'],
      [1.5, null, true, null],
    ]);
    connection.closeSync();
  });

  test('a value its column cannot hold is refused, never wrapped or truncated', async () => {
    const connection = await instance.connect();
    await connection.run('CREATE TABLE narrow (i INTEGER, b BIGINT)');
    const refuse = async (i: unknown, b: unknown): Promise<void> => {
      const appender = await connection.createAppender('narrow');
      try {
        expect(() =>
          appendColumns(
            appender,
            [
              { name: 'i', type: INTEGER, value: () => i as number },
              { name: 'b', type: BIGINT, value: () => b as bigint },
            ],
            [{}],
          ),
        ).toThrow(RangeError);
      } finally {
        appender.closeSync();
      }
    };
    await refuse(3_000_000_000, 1n);
    await refuse(-2_147_483_649, 1n);
    await refuse(2.7, 1n);
    await refuse(Number.NaN, 1n);
    await refuse(1, 2n ** 63n);
    await refuse(1, 5);
    expect((await connection.runAndReadAll('SELECT count(*) FROM narrow')).getRows()).toEqual([[0n]]);
    connection.closeSync();
  });
});
