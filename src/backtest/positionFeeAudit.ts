/**
 * The fee audit: replays a recorded pool history on the exact pool model (PoolReplay) and, for
 * every position the history opens and closes, sets three figures side by side:
 *
 * - `model`: the fees the pool model credits the position (Pool.modifyLiquidity's feesAccrued
 *   over its mints and burns: fee growth exactly as Pool.sol and Position.sol compute it);
 * - `ours`: the fees our own accounting computes from the pool's state, as the agent does
 *   (src/math/feeGrowth.ts: getFeeGrowthInside from the ticks and globals, feesOwed on the
 *   position's liquidity since its last snapshot);
 * - `chain`: what the chain paid, Σ COLLECT − Σ BURN amounts of the cycle (when the history has them).
 *
 * `ours` must equal `model` to the wei; `chain − model` measures the replay (the model's
 * liquidity along each swap's path) against reality.
 */
import { getFeeGrowthInside, feesOwed } from '../math/feeGrowth.js';
import { PoolReplay, type ReplayStats } from './poolReplay.js';
import type { HistoryEvent, HistorySwap } from './poolHistory.js';

/** One open→close cycle of a recorded position. */
export interface FeeAuditCycle {
  position: string;
  tickLower: number;
  tickUpper: number;
  /** The largest liquidity it held in the cycle. */
  liquidity: bigint;
  openBlock: number;
  closeBlock: number;
  /** Swaps replayed while it was open. */
  swaps: number;
  model: { amount0: bigint; amount1: bigint };
  ours: { amount0: bigint; amount1: bigint };
  /** undefined when the history has no collect for the cycle (e.g. v4 logs). */
  chain: { amount0: bigint; amount1: bigint } | undefined;
}

export interface FeeAuditResult {
  cycles: FeeAuditCycle[];
  stats: ReplayStats;
  /** Mints whose recorded token amounts differ from what the model charged (a price out of step). */
  mintAmountMismatches: number;
  /** Mints checked against their recorded amounts. */
  mintsChecked: number;
}

interface Open {
  cycle: FeeAuditCycle;
  held: bigint;
  lastInside0: bigint;
  lastInside1: bigint;
  burned0: bigint;
  burned1: bigint;
  collected0: bigint;
  collected1: bigint;
  collects: number;
  closed: boolean;
}

/** Replays `events` (chain order, starting with a swap) and audits each position opened and closed in them. */
export function auditPositionFees(events: readonly HistoryEvent[], pool: { tickSpacing: number; fee: number }): FeeAuditResult {
  const first = events.find((e): e is HistorySwap => e.kind === 'swap');
  if (first === undefined) throw new RangeError('fee audit: the history has no swap to start the pool at');
  const replay = new PoolReplay({ ...pool, sqrtPriceX96: first.sqrtPriceX96, liquidity: first.liquidity });
  const open = new Map<string, Open>();
  const untracked = new Set<string>();
  const done: Open[] = [];
  let mintAmountMismatches = 0;
  let mintsChecked = 0;

  /** feesOwed since the last snapshot, from the pool's ticks and globals (our accounting), then a new snapshot. */
  const ourAccrual = (o: Open): void => {
    const p = replay.pool;
    const lower = p.getTick(o.cycle.tickLower);
    const upper = p.getTick(o.cycle.tickUpper);
    const inside = getFeeGrowthInside({
      tickLower: o.cycle.tickLower, tickUpper: o.cycle.tickUpper, tickCurrent: p.getSlot0().tick, ...p.getFeeGrowthGlobals(), lower, upper,
    });
    if (o.held > 0n) {
      o.cycle.ours.amount0 += feesOwed(o.held, inside.feeGrowthInside0X128, o.lastInside0);
      o.cycle.ours.amount1 += feesOwed(o.held, inside.feeGrowthInside1X128, o.lastInside1);
    }
    o.lastInside0 = inside.feeGrowthInside0X128;
    o.lastInside1 = inside.feeGrowthInside1X128;
  };

  for (const e of events) {
    if (e === first) continue;
    switch (e.kind) {
      case 'swap':
        replay.replaySwap(e);
        for (const o of open.values()) if (!o.closed) o.cycle.swaps++;
        break;
      case 'mint': {
        if (untracked.has(e.position)) {
          replay.othersChange(e.tickLower, e.tickUpper, e.liquidity);
          break;
        }
        let o = open.get(e.position);
        if (o !== undefined && o.closed) {
          finish(o);
          o = undefined;
        }
        if (o === undefined) {
          o = {
            cycle: { position: e.position, tickLower: e.tickLower, tickUpper: e.tickUpper, liquidity: 0n, openBlock: e.block, closeBlock: e.block, swaps: 0, model: { amount0: 0n, amount1: 0n }, ours: { amount0: 0n, amount1: 0n }, chain: undefined },
            held: 0n, lastInside0: 0n, lastInside1: 0n, burned0: 0n, burned1: 0n, collected0: 0n, collected1: 0n, collects: 0, closed: false,
          };
          open.set(e.position, o);
        }
        if (e.liquidity === 0n) break;
        // after the mint: a new range's ticks are initialized by it, as Position.update sees them
        const r = replay.addPosition(e.position, e.tickLower, e.tickUpper, e.liquidity, true);
        ourAccrual(o);
        o.cycle.model.amount0 += r.feesAccrued.amount0;
        o.cycle.model.amount1 += r.feesAccrued.amount1;
        o.held += e.liquidity;
        if (o.held > o.cycle.liquidity) o.cycle.liquidity = o.held;
        if (e.amount0 !== undefined && e.amount1 !== undefined) {
          mintsChecked++;
          if (-r.principalDelta.amount0 !== e.amount0 || -r.principalDelta.amount1 !== e.amount1) mintAmountMismatches++;
        }
        break;
      }
      case 'burn': {
        const o = open.get(e.position);
        if (o === undefined || o.closed) {
          if (o === undefined) untracked.add(e.position);
          replay.othersChange(e.tickLower, e.tickUpper, -e.liquidity);
          break;
        }
        const fromUs = e.liquidity > o.held ? o.held : e.liquidity;
        if (e.liquidity > o.held) {
          // part of it was there before the history: not auditable
          replay.othersChange(e.tickLower, e.tickUpper, -(e.liquidity - o.held));
          o.cycle.chain = undefined;
          o.collects = -Infinity;
        }
        // before the burn: a range emptied by it loses its ticks
        ourAccrual(o);
        const r = replay.removePosition(e.position, fromUs);
        o.cycle.model.amount0 += r.feesAccrued.amount0;
        o.cycle.model.amount1 += r.feesAccrued.amount1;
        o.held -= fromUs;
        o.burned0 += e.amount0 ?? 0n;
        o.burned1 += e.amount1 ?? 0n;
        if (o.held === 0n) {
          o.closed = true;
          o.cycle.closeBlock = e.block;
        }
        break;
      }
      case 'collect': {
        const o = open.get(e.position);
        if (o === undefined) break;
        o.collected0 += e.amount0;
        o.collected1 += e.amount1;
        o.collects++;
        break;
      }
      case 'initialize':
      case 'donate':
        if (e.kind === 'donate') replay.pool.donate(e.amount0, e.amount1);
        break;
    }
  }
  for (const o of open.values()) finish(o);
  open.clear();

  function finish(o: Open): void {
    if (!o.closed || o.collects === -Infinity) return;
    if (o.collects > 0) o.cycle.chain = { amount0: o.collected0 - o.burned0, amount1: o.collected1 - o.burned1 };
    done.push(o);
  }

  const cycles = done.map((o) => o.cycle).sort((a, b) => a.openBlock - b.openBlock || a.position.localeCompare(b.position));
  return { cycles, stats: replay.stats, mintAmountMismatches, mintsChecked };
}
