/**
 * JSON with bigint: on-chain amounts are bigint and must survive a store round trip exactly.
 * A bigint is written as {"$bigint":"123"} and read back as 123n.
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));
}

export function decodeJson<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const b = o['$bigint'];
      if (typeof b === 'string' && Object.keys(o).length === 1) return BigInt(b);
    }
    return v;
  }) as T;
}
