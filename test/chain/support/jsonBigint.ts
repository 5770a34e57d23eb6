/** A JSON.stringify replacer for test messages and tallies: bigints as decimal strings, Sets as their sizes. */
export function jsonBigint(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Set) return value.size;
  return value;
}
