/**
 * The demo's market runs `speed` times faster than the wall clock (DEMO_SPEED: a simulated day in
 * 96 s), while the agent measures on the wall clock: a price path of annualized σ seen on the wall
 * clock has σ·√speed, and fees that accrue over a simulated year arrive in 1/speed of one. So the
 * demo's strategy is written in the market's time (a 1-day horizon, a 1-day volatility window, a
 * 20% prior σ, a 30% fee APY) and converted to the wall clock here:
 *
 *   horizonSeconds, volatilityWindowSeconds  ÷ speed
 *   annualVolatility (the prior)             × √speed
 *   feeApy (the prior)                       × speed
 *   maxSamples                               two per market step over the window (every step's price is kept)
 *
 * With that, the range the agent chooses from its measurement (σ_wall over the wall-clock horizon)
 * is the range the market's own σ asks for over its horizon, since σ·√speed · √(h/speed) = σ·√h,
 * and a roll's expected gain (value · ΔAPY · horizon) is unchanged. The annualized figures on the
 * demo's feed (σ, fee APY, LVR per day) are per wall-clock time: divide σ by √speed and APYs by
 * speed for the simulated market's.
 */

/** Simulated market seconds per wall-clock second in the demo. */
export const DEMO_SPEED = 900;

export interface DemoStrategy {
  annualVolatility: number;
  horizonSeconds: number;
  volatilityWindowSeconds: number;
  feeApy: number;
}

/** The demo strategy's settings on the wall clock, for a market `speed` times faster, stepping every tickMs. */
export function wallClockStrategy(sim: DemoStrategy, speed: number, tickMs: number): DemoStrategy & { maxSamples: number } {
  const window = sim.volatilityWindowSeconds / speed;
  return {
    annualVolatility: sim.annualVolatility * Math.sqrt(speed),
    horizonSeconds: sim.horizonSeconds / speed,
    volatilityWindowSeconds: window,
    feeApy: sim.feeApy * speed,
    maxSamples: Math.min(100_000, Math.max(3, Math.floor((window * 2000) / tickMs))),
  };
}
