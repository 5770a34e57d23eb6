/** Conversions between our bigints and the JSBI values the Uniswap SDKs (the test oracle) use. */
import jsbiModule from 'jsbi';

// jsbi is CommonJS whose typings declare an ES default export: depending on the loader the
// default import is the class itself or a namespace holding it.
type JsbiClass = typeof jsbiModule.default;
/** The JSBI class. */
export const JSBI: JsbiClass = (jsbiModule as unknown as { default?: JsbiClass }).default ?? (jsbiModule as unknown as JsbiClass);
/** A JSBI value. */
export type Jsbi = ReturnType<JsbiClass['BigInt']>;

/** A bigint as a JSBI. */
export function toJSBI(x: bigint): Jsbi {
  return JSBI.BigInt(x.toString());
}

/** A JSBI as a bigint. */
export function fromJSBI(x: Jsbi): bigint {
  return BigInt(x.toString());
}
