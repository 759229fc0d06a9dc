/** Most ids bound into one `IN (…)` list. */
export const IN_LIST_MAX = 1000;

/** Request ids (integers read from the store) written into SQL. */
export function integerList(ids: readonly number[]): string {
  return ids.map((id) => String(Math.trunc(id))).join(', ');
}

/** `?, ?, …`: one positional parameter per value. */
export function placeholders(count: number): string {
  return new Array(count).fill('?').join(', ');
}

/** `items` cut into lists of at most `size`, in order. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
