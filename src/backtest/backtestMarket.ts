/**
 * The market a backtest replays, whatever its source: a simulated chain holding the pool (the
 * exact v4 pool model) and the steps that move it, each at its time.
 *
 * - Recorded history (minute bars, pool events, our own events JSON lines): the pool is a
 *   PoolReplay (the other LPs' liquidity from the data, recorded swaps replayed exactly, bars'
 *   fees donated to the in-range liquidity at the close) and the simulated chain adopts its
 *   model, so the agent's mints, rolls, re-balancing swaps and fee collection happen on the same
 *   pool the history moves: our liquidity joins the others' and our fee share is diluted as on
 *   chain. A bar's step is at the end of its minute; events step once per block.
 * - Synthetic (GBM / jump diffusion): the simulated chain's pool with its seeded background
 *   liquidity, an outside trader swapping it to each point of the path (paying the pool fee).
 */
import type { PoolDescriptor } from '../actors/ports.js';
import { getSqrtPriceAtTick } from '../math/tickMath.js';
import { SimulatedChain } from '../sim/simulatedChain.js';
import { sqrtPriceX96ToHumanPrice } from '../sim/humanSqrtPrice.js';
import { HistoryReplay } from './historyReplay.js';
import type { MinuteBar } from './minuteBarsCsv.js';
import type { HistoryEvent, HistorySwap } from './poolHistory.js';
import { PoolReplay, type ReplayStats } from './poolReplay.js';
import type { PricePoint } from './syntheticMarket.js';
import { BacktestInputError } from './inputError.js';

/** One move of the market: at `time` (ms), `move` changes the pool (the chain emits a snapshot). */
export interface MarketStep {
  time: number;
  move(): void;
}

export interface BacktestMarket {
  kind: 'bars' | 'events' | 'synthetic';
  chain: SimulatedChain;
  poolId: string;
  /** When the agent starts (before the first step). */
  startTime: number;
  steps: readonly MarketStep[];
  /** How closely a replay followed the record (null for synthetic markets). */
  stats(): ReplayStats | null;
}

export interface MarketChainOptions {
  desc: PoolDescriptor;
  balances: Record<string, bigint>;
  gasPriceWei: bigint;
  now: () => number;
}

function replayChain(replay: PoolReplay, o: MarketChainOptions): SimulatedChain {
  const slot0 = replay.pool.getSlot0();
  const chain = new SimulatedChain({
    pools: [{ ...o.desc, price: sqrtPriceX96ToHumanPrice(slot0.sqrtPriceX96, o.desc.token0.decimals, o.desc.token1.decimals), model: replay.pool }],
    balances: o.balances, gasPriceWei: o.gasPriceWei, now: o.now,
  });
  replay.follow(() => chain.poolModel(o.desc.poolId));
  return chain;
}

const MINUTE = 60_000;

/** Minute bars: the pool starts at the first bar's open; each bar moves it at the end of its minute. */
export function barsMarket(bars: readonly MinuteBar[], o: MarketChainOptions): BacktestMarket {
  const first = bars[0];
  if (first === undefined) throw new BacktestInputError('<minute bars>', 0, '', 'no bar rows');
  const replay = new PoolReplay({ tickSpacing: o.desc.tickSpacing, fee: o.desc.fee, sqrtPriceX96: getSqrtPriceAtTick(first.openTick), liquidity: first.liquidity });
  const chain = replayChain(replay, o);
  const poolId = o.desc.poolId;
  const steps = bars.map((bar): MarketStep => ({ time: bar.time + MINUTE, move: () => chain.drive(poolId, () => replay.replayBar(bar)) }));
  return { kind: 'bars', chain, poolId, startTime: first.time, steps, stats: () => ({ ...replay.stats }) };
}

export interface EventsMarketOptions extends MarketChainOptions {
  /** Seconds per block when the events carry no timestamps (our JSON lines): default 12. */
  blockSeconds?: number;
  /** Label of the source in errors. */
  file: string;
}

/**
 * Pool events (a `.tick.csv` or our events JSON lines): the pool starts at the first swap's
 * price and liquidity; the events of each later block are one step, at the block's time.
 */
export function eventsMarket(events: readonly HistoryEvent[], o: EventsMarketOptions): BacktestMarket {
  const firstAt = events.findIndex((e) => e.kind === 'swap');
  if (firstAt < 0) throw new BacktestInputError(o.file, 0, '', 'the history has no swap to start the pool at');
  const first = events[firstAt] as HistorySwap;
  const init = events.find((e) => e.kind === 'initialize');
  if (init !== undefined && init.kind === 'initialize' && (init.fee !== o.desc.fee || init.tickSpacing !== o.desc.tickSpacing)) {
    throw new BacktestInputError(o.file, 0, 'Initialize', `the pool's fee ${init.fee} / tickSpacing ${init.tickSpacing} differ from the configured ${o.desc.fee} / ${o.desc.tickSpacing}`);
  }
  const blockMs = (o.blockSeconds ?? 12) * 1000;
  const timeOf = (e: HistoryEvent): number => e.time ?? (e.block - first.block) * blockMs;
  const replay = new PoolReplay({ tickSpacing: o.desc.tickSpacing, fee: o.desc.fee, sqrtPriceX96: first.sqrtPriceX96, liquidity: first.liquidity });
  const history = new HistoryReplay(replay);
  const chain = replayChain(replay, o);
  const steps: MarketStep[] = [];
  let i = firstAt + 1;
  while (i < events.length) {
    const block = events[i]!.block;
    const from = i;
    while (i < events.length && events[i]!.block === block) i++;
    const batch = events.slice(from, i);
    steps.push({ time: Math.max(timeOf(batch[0]!), timeOf(first)), move: () => chain.drive(o.desc.poolId, () => { for (const e of batch) history.apply(e); }) });
  }
  return { kind: 'events', chain, poolId: o.desc.poolId, startTime: timeOf(first), steps, stats: () => ({ ...replay.stats }) };
}

/**
 * A synthetic path of the asset's price (quote per asset): the simulated chain's pool with its
 * background liquidity, swapped to each point by an outside trader.
 */
export function syntheticPoolMarket(path: readonly PricePoint[], o: MarketChainOptions): BacktestMarket {
  const first = path[0];
  if (first === undefined) throw new RangeError('synthetic market: empty path');
  const human = (assetPrice: number): number => (o.desc.assetIsToken0 ? assetPrice : 1 / assetPrice);
  const chain = new SimulatedChain({ pools: [{ ...o.desc, price: human(first.price) }], balances: o.balances, gasPriceWei: o.gasPriceWei, now: o.now });
  const steps = path.slice(1).map((p): MarketStep => ({ time: p.time, move: () => chain.setPrice(o.desc.poolId, human(p.price)) }));
  return { kind: 'synthetic', chain, poolId: o.desc.poolId, startTime: first.time, steps, stats: () => null };
}
