/**
 * The liquidity around the price, from a pool's initialized ticks (what StateView returns: each
 * tick's liquidityNet and feeGrowthOutside), over a window [windowLower, windowUpper) of ticks:
 *
 *   bands       consecutive initialized ticks t_k < t_{k+1} bound a band of constant liquidity
 *               (those overlapping the window are listed, whole, not clipped):
 *               L(band containing the current tick) = the pool's active liquidity; going up,
 *               crossing t adds liquidityNet(t); going down, crossing t subtracts it.
 *   fees        a band's fee growth inside, exactly as Uniswap computes it from the outside values
 *               (mod 2^256): below(a) = fo(a) if tick >= a else fg − fo(a); above(b) = fg − fo(b) if
 *               tick >= b else fo(b); inside = fg − below − above. Fees paid while the price was in
 *               the band, in raw token1: (inside0·P + inside1) / 2^128 · L(band). Cumulative since
 *               the band's ticks were initialized (a band opened recently counts less).
 *   hotspots    each band overlapping the window, clipped to it: tick = centre of the overlap,
 *               weight = the band's fees · overlap / band width. optimalRange leans 30% toward
 *               their weighted centre, which lies inside the window.
 *   depth       tick-weighted mean liquidity over [windowLower, tick) (below) and [tick, windowUpper)
 *               (above), from the bands.
 *   asymmetry   MAX_ASYMMETRY · (depthAbove − depthBelow) / (depthAbove + depthBelow), in
 *               [−0.25, 0.25]: more of the range goes to the side where other LPs' liquidity is
 *               thinner, where the position's share of each swap's fee is larger (> 0: below).
 *   gaps        maximal stretches of the window whose liquidity is below gapFraction (default 0.2)
 *               of the active liquidity.
 *
 * Ticks are only known inside the interval that was read ([knownLower, knownUpper)); the window
 * is clipped to it. Pure; float64 except the fee growth differences, which are exact bigints.
 */
import { AnalyticsInputError, requireInRange, requireInteger, requirePositive } from './analyticsInput.js';
import { MAX_UINT256 } from './fixedPoint.js';

const Q128 = 2 ** 128;
/** Largest |asymmetry| the liquidity depth can ask for. */
export const MAX_ASYMMETRY = 0.25;

/** One initialized tick as StateView reports it. */
export interface InitializedTickInfo {
  tick: number;
  liquidityNet: bigint;
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
}

export interface LiquidityProfileInput {
  /** The pool's current tick and active liquidity. */
  tick: number;
  liquidity: bigint;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
  /** Raw price (token1 per token0 in raw units) token0 fees are valued at. */
  price: number;
  /** Initialized ticks, any order; every initialized tick in [knownLower, knownUpper) must be listed. */
  ticks: readonly InitializedTickInfo[];
  knownLower: number;
  knownUpper: number;
  /** The window to describe, ticks. */
  windowLower: number;
  windowUpper: number;
  /** Share of the active liquidity below which a stretch is a gap; default 0.2. */
  gapFraction?: number;
}

export interface LiquidityBand {
  tickLower: number;
  tickUpper: number;
  liquidity: number;
  /** Fees paid in the band since its ticks were initialized, raw token1; null for the open-ended edges. */
  feesToken1: number | null;
}

export interface LiquidityGap {
  tickLower: number;
  tickUpper: number;
  /** Lowest liquidity in the stretch. */
  liquidity: number;
}

export interface LiquidityProfile {
  windowLower: number;
  windowUpper: number;
  /** The bands overlapping the window, ascending. */
  bands: LiquidityBand[];
  gaps: LiquidityGap[];
  hotspots: { tick: number; weight: number }[];
  depthBelow: number;
  depthAbove: number;
  asymmetry: number;
}

/** (a − b) mod 2^256, as Solidity's unchecked uint256 subtraction (the mask, not a division). */
function sub256(a: bigint, b: bigint): bigint {
  return (a - b) & MAX_UINT256;
}

/** The ticks inside [lower, upper), ascending: the input itself when it already is (a chain port's read usually is). */
function knownAscending(ticks: readonly InitializedTickInfo[], lower: number, upper: number): readonly InitializedTickInfo[] {
  let ready = true;
  for (let i = 0; i < ticks.length && ready; i++) {
    const t = ticks[i]!.tick;
    ready = t >= lower && t < upper && (i === 0 || t > ticks[i - 1]!.tick);
  }
  return ready ? ticks : ticks.filter((t) => t.tick >= lower && t.tick < upper).sort((a, b) => a.tick - b.tick);
}

/** The liquidity profile of a window (see the module comment). */
export function liquidityProfile(input: LiquidityProfileInput): LiquidityProfile {
  const cur = requireInteger('tick', input.tick);
  requirePositive('price', input.price);
  const gapFraction = requireInRange('gapFraction', input.gapFraction ?? 0.2, 0, 1);
  const lo = Math.max(requireInteger('windowLower', input.windowLower), input.knownLower);
  const hi = Math.min(requireInteger('windowUpper', input.windowUpper), input.knownUpper);
  if (!(hi > lo)) throw new AnalyticsInputError('INVALID_RANGE', 'windowUpper', input.windowUpper, `the window [${input.windowLower}, ${input.windowUpper}) has no overlap with the ticks read [${input.knownLower}, ${input.knownUpper})`);
  const ticks = knownAscending(input.ticks, input.knownLower, input.knownUpper);
  const fg0 = input.feeGrowthGlobal0X128;
  const fg1 = input.feeGrowthGlobal1X128;

  // the bands' edges: knownLower, the ticks above it, knownUpper (a tick at knownLower is that edge itself)
  const skip = ticks.length > 0 && ticks[0]!.tick <= input.knownLower ? 1 : 0;
  const edgeCount = ticks.length - skip + 2;
  const edgeAt = (e: number): number => (e === 0 ? input.knownLower : e === edgeCount - 1 ? input.knownUpper : ticks[skip + e - 1]!.tick);
  /** The initialized tick at edge e (undefined: an edge of what was read that is no tick). */
  const edgeTick = (e: number): InitializedTickInfo | undefined => (e === 0 ? (skip === 1 ? ticks[0] : undefined) : e === edgeCount - 1 ? undefined : ticks[skip + e - 1]);

  // liquidity of each band the window overlaps, from the active liquidity outward
  let firstAbove = 0; // first tick above the current one
  while (firstAbove < ticks.length && ticks[firstAbove]!.tick <= cur) firstAbove++;
  const bandLiquidity = new Map<number, bigint>(); // band's lower edge -> L
  let l = input.liquidity;
  // the band containing cur starts at the last tick <= cur (or knownLower)
  const curBandLower = firstAbove === 0 ? input.knownLower : ticks[firstAbove - 1]!.tick;
  bandLiquidity.set(curBandLower, l);
  for (let k = firstAbove; k < ticks.length && ticks[k]!.tick < hi; k++) {
    l += ticks[k]!.liquidityNet;
    bandLiquidity.set(ticks[k]!.tick, l);
  }
  l = input.liquidity;
  // going down, the band set at k ends at ticks[k]: needed while that is above the window's bottom
  for (let k = firstAbove - 1; k >= 0 && ticks[k]!.tick > lo; k--) {
    if (k === 0 && ticks[0]!.tick <= input.knownLower) break; // no band below the edge of what was read
    l -= ticks[k]!.liquidityNet;
    bandLiquidity.set(k === 0 ? input.knownLower : ticks[k - 1]!.tick, l);
  }
  const below = (t: InitializedTickInfo, fg: bigint, fo: bigint): bigint => (cur >= t.tick ? fo : sub256(fg, fo));
  const above = (t: InitializedTickInfo, fg: bigint, fo: bigint): bigint => (cur >= t.tick ? sub256(fg, fo) : fo);

  // only the bands the window overlaps are described (their fee growth is the costly part)
  const bands: LiquidityBand[] = [];
  for (let e = 0; e + 1 < edgeCount; e++) {
    const a = edgeAt(e);
    if (a >= hi) break;
    const b = edgeAt(e + 1);
    if (b <= a || b <= lo) continue;
    const L = Number(bandLiquidity.get(a) ?? 0n);
    const ta = edgeTick(e);
    const tb = edgeTick(e + 1);
    let feesToken1: number | null = null;
    if (ta !== undefined && tb !== undefined) {
      const in0 = sub256(sub256(fg0, below(ta, fg0, ta.feeGrowthOutside0X128)), above(tb, fg0, tb.feeGrowthOutside0X128));
      const in1 = sub256(sub256(fg1, below(ta, fg1, ta.feeGrowthOutside1X128)), above(tb, fg1, tb.feeGrowthOutside1X128));
      feesToken1 = ((Number(in0) / Q128) * input.price + Number(in1) / Q128) * L;
    }
    bands.push({ tickLower: a, tickUpper: b, liquidity: L, feesToken1 });
  }

  let sumBelow = 0;
  let sumAbove = 0;
  const hotspots: { tick: number; weight: number }[] = [];
  const gaps: LiquidityGap[] = [];
  const gapLevel = Number(input.liquidity) * gapFraction;
  for (const band of bands) {
    const a = Math.max(band.tickLower, lo);
    const b = Math.min(band.tickUpper, hi);
    if (b <= a) continue;
    sumBelow += band.liquidity * Math.max(0, Math.min(b, cur) - a);
    sumAbove += band.liquidity * Math.max(0, b - Math.max(a, cur));
    if (band.feesToken1 !== null && band.feesToken1 > 0) {
      hotspots.push({ tick: (a + b) / 2, weight: (band.feesToken1 * (b - a)) / (band.tickUpper - band.tickLower) });
    }
    if (band.liquidity < gapLevel) {
      const last = gaps[gaps.length - 1];
      if (last !== undefined && last.tickUpper === a) gaps[gaps.length - 1] = { ...last, tickUpper: b, liquidity: Math.min(last.liquidity, band.liquidity) };
      else gaps.push({ tickLower: a, tickUpper: b, liquidity: band.liquidity });
    }
  }
  const depthBelow = cur > lo ? sumBelow / (Math.min(cur, hi) - lo) : 0;
  const depthAbove = hi > cur ? sumAbove / (hi - Math.max(cur, lo)) : 0;
  const asymmetry = depthAbove + depthBelow > 0 ? (MAX_ASYMMETRY * (depthAbove - depthBelow)) / (depthAbove + depthBelow) : 0;
  return { windowLower: lo, windowUpper: hi, bands, gaps, hotspots, depthBelow, depthAbove, asymmetry };
}
