/** An inclusive block range. */
export interface BlockRange {
  from: number;
  to: number;
}

/**
 * Splits the inclusive range [from, to] into consecutive chunks of at most `size` blocks, in
 * order, covering every block exactly once. An empty range (from > to) yields no chunk.
 */
export function chunkBlockRange(from: number, to: number, size: number): BlockRange[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0) throw new RangeError(`bad block range [${from}, ${to}]`);
  const out: BlockRange[] = [];
  for (let start = from; start <= to; start += size) out.push({ from: start, to: Math.min(to, start + size - 1) });
  return out;
}
