/**
 * PositionActor: one per pool. Tracks the pool price, its position's range, liquidity, entry,
 * fees and IL; decides with the roll policy whether to roll (triggers, urgency, gas cost,
 * expected gain); executes rolls through the ChainPort; reports its delta to the HedgeActor and
 * its value/IL/PnL to the RiskSupervisor. It refuses to act while the pool price deviates from
 * the reference price beyond a bound, while halted, and after its own exit rule fired. The exit
 * rule and the risk report are judged on the reference price and the value at it, never on the
 * pool's own price (referenceGuard.ts): pushing the pool alone makes it do nothing.
 */
import type { Logger } from '../../logging/logger.js';
import { reply, type ActorRef, type Behaviour, type ReplyTo } from '../core/typedActors.js';
import { HaltedError } from '../core/killSwitch.js';
import {
  PartialRollError, type ChainPort, type MintResult, type OwnedPosition, type PoolDescriptor, type PoolSnapshot, type RollResult, type SagaOutcome, type WithdrawResult,
} from '../ports.js';
import { impossibleBooks } from './booksCheck.js';
import { humanToRawPrice, rawToHumanPrice } from '../../math/priceTick.js';
import { MAX_TICK, MIN_TICK } from '../../math/tickMath.js';
import { lossVersusHold } from '../../math/lossVersusHold.js';
import { rangeAmounts } from './rangeAmounts.js';
import type { RangeSettings, RollDecision } from './rollDecision.js';
import { RememberedRollPolicy } from './rememberedDecision.js';
import { PositionMarket, type MarketSettings, type PositionMarketState } from './market/positionMarket.js';
import { positionMeasures, type PositionEfficiency } from './market/positionMeasures.js';
import type { PositionLvr } from './market/lvrAccount.js';
import { QuoteValuation } from './quoteValuation.js';
import { emptyReference, exitReason, marketPrice, PoolReference, referenceOf, type AtReference, type ExitRule, type ReferenceSettings, type ReferenceState } from './referenceGuard.js';

export type { ExitRule } from './referenceGuard.js';

// ---- protocol -------------------------------------------------------------------------------

export type PositionMsg =
  /** Start-up reconciliation: adopt the position owned on chain, or mint one if none. */
  | { type: 'init'; replyTo?: ReplyTo<PositionState> }
  | { type: 'snapshot'; snapshot: PoolSnapshot; replyTo?: ReplyTo<PositionState> }
  /** A named source's price of the asset (a venue mark), USD per asset (= quote per asset in a USD-quoted pool), quoted at `at`. */
  | { type: 'referencePrice'; source: string; price: number; at: number; replyTo?: ReplyTo<PositionState> }
  /** A named source's USD price of the pool's non-USD quote token's asset (a venue mark), quoted at `at` (see quoteValuation.ts). */
  | { type: 'quotePrice'; source: string; price: number; at: number; replyTo?: ReplyTo<PositionState> }
  /** Re-read the reference now (the pool TWAP moves with time even when no swap or quote arrives). */
  | { type: 'rereadReference'; replyTo?: ReplyTo<PositionState> }
  | { type: 'gasPrice'; wei: bigint }
  | { type: 'halt'; reason: string; withdraw: boolean; replyTo?: ReplyTo<PositionState> }
  | { type: 'resume' }
  | { type: 'getState'; replyTo: ReplyTo<PositionState> }
  /**
   * An operator's roll (POST /api/v1/strategy/rebalance): to `range`, or to the recommended range
   * when null, under the same guards as the actor's own rolls (running, an accepted reference, the
   * pool within maxPriceDeviation of it, the kill switch). Answered with what happened.
   */
  | { type: 'manualRoll'; range: TickRange | null; by: string; replyTo: ReplyTo<ManualRollResult> }
  /**
   * A vault pool's capital changed (a deposit or a withdrawal, from the vault's events): the
   * position, idle tokens and capital are re-read from the chain; with `deploy`, the idle capital
   * is put into the range at the next moment the roll guards allow (running, an accepted
   * reference, the pool near it, the kill switch).
   */
  | { type: 'capital'; deploy: boolean; replyTo?: ReplyTo<PositionState> }
  /** An operator's per-pool settings (POST /api/v1/pools/:poolId/settings): each field set, or cleared back to the configuration by null. */
  | { type: 'settings'; patch: PoolSettingsPatch; by: string; replyTo: ReplyTo<PositionState> };

/**
 * What a manager may change per pool while the agent runs (kept in the position's state, so it
 * survives a restart): the range width multiplier, the roll thresholds, the pool's hedge ratio,
 * and a pause (no roll, mint, exit or withdraw of the strategy's own while set; halts still apply).
 */
export interface PoolSettings {
  rangeWidthMultiplier?: number;
  rebalanceThreshold?: number;
  apyThreshold?: number;
  minCapitalEfficiency?: number;
  hedgeRatio?: number;
  paused?: boolean;
}
export type PoolSettingsPatch = { [K in keyof PoolSettings]?: PoolSettings[K] | null };

export interface TickRange {
  tickLower: number;
  tickUpper: number;
}

/** What a manual roll did: rolled (with its transaction), refused by a guard (why), or failed on chain (the error). */
export interface ManualRollResult {
  outcome: 'rolled' | 'refused' | 'failed';
  reason: string | null;
  from: TickRange | null;
  to: TickRange | null;
  txHash: string | null;
  state: PositionState;
}

/** Thrown on an impossible input (a non-finite price from an adapter): the actor crashes and is restarted. */
export class PositionInvariantError extends Error {
  override readonly name = 'PositionInvariantError';
  constructor(readonly poolId: string, readonly field: string, readonly value: unknown) {
    super(`position ${poolId}: invalid ${field}: ${String(value)}`);
  }
}

// ---- state ----------------------------------------------------------------------------------

export interface PositionConfig {
  pool: PoolDescriptor;
  /** Deposit for the first mint, raw token units. */
  amount0: bigint;
  amount1: bigint;
  range: RangeSettings;
  /** Spec priceProximity: fraction of the range width (0.05). */
  rebalanceThreshold: number;
  /** Spec apyThreshold (0.10). */
  apyThreshold: number;
  /** Spec capitalEfficiency floor (0.70). */
  minCapitalEfficiency: number;
  /** Refuse to roll while |pool price / reference − 1| exceeds this (0.02). */
  maxPriceDeviation: number;
  /** Fee APY assumed while in range (fraction). */
  feeApy: number;
  rollGasUnits: number;
  /** Uncollected fees are read from chain at most this often (ms; 0 = every snapshot). */
  feeReadMs: number;
  /** Required margin of expected gain over cost, USD. */
  minNetGainUsd: number;
  /** USD per native gas token; when the pool's asset (or non-USD quote) is the native token, its reference price is used. */
  nativePriceUsd: number;
  nativeIsAsset: boolean;
  /** The pool's non-USD quote token is the native token (a WBTC/WETH pool on Ethereum). */
  nativeIsQuote?: boolean;
  /** Other positions owned in the pool at start-up: counted (default), withdrawn into the held tokens, or merged into the managed position. */
  otherPositions?: OtherPositionsPolicy;
  exit: ExitRule;
  /** Measure σ, fee yield and liquidity live (absent: the configured annualVolatility and feeApy only). */
  market?: MarketSettings;
  /** How the reference price is read (sources, staleness, agreement, the pool TWAP's window). */
  reference: ReferenceSettings;
  /**
   * Where the capital comes from: 'configured' (default) mints amount0/amount1 at start-up;
   * 'deposits' (a vault's pool) waits for `capital` messages and deploys what they bring.
   */
  capital?: 'configured' | 'deposits';
}

/** What start-up reconciliation does with positions owned in the pool beside the managed one. */
export type OtherPositionsPolicy = 'count' | 'withdraw' | 'merge';

export interface PositionState {
  poolId: string;
  asset: string;
  /** USD per whole quote token: 1 for a USD stablecoin; a non-USD quote's reference (null until a venue quoted it; absent in older checkpoints). */
  quotePriceUsd?: number | null;
  /** A non-USD quote token held (position, held tokens, other positions), whole units: the second hedged asset (absent: a USD quote). */
  quoteDelta?: number;
  status: 'starting' | 'running' | 'halted' | 'exited';
  haltReason: string | null;
  /** Pool price, human token1 per token0. */
  price: number;
  /** The asset's price implied by the pool, quote per asset (= price, or 1/price when the asset is token1). */
  assetPrice: number;
  tick: number;
  blockNumber: number;
  /** The accepted reference price of the asset (median of fresh sources), quote per asset; null while refused. */
  referencePrice: number | null;
  /** The reference's sources, agreement and, while refused, why (absent in checkpoints from before it existed). */
  reference?: ReferenceState;
  /** Value, PnL and IL at the reference price: what the exit rule and the risk limits judge. */
  atReference?: AtReference | null;
  /** |pool asset price / reference − 1|. */
  deviation: number | null;
  gasPriceWei: string;
  position: { tokenId: string; tickLower: number; tickUpper: number; liquidity: string } | null;
  range: { tickLower: number; tickUpper: number } | null;
  /** Other positions found on chain in this pool (reported, never stranded silently). */
  otherPositions: string[];
  /**
   * Those other positions as found at start-up reconciliation, each with its value (USD, principal
   * at the pool price; fees not read) and the asset it holds: counted in `valueUsd` and `delta`
   * (so the hedge covers them), never rolled (absent in checkpoints from before it existed).
   */
  others?: OtherPosition[];
  /** Amounts (whole tokens) and price at the last mint/roll: the IL reference. */
  entry: { price: number; amount0: number; amount1: number; at: number } | null;
  /** USD value of the first deposit: the PnL reference of the exit rule. */
  depositedUsd: number;
  /** Tokens withdrawn and not yet redeployed, raw units (decimal strings): from the chain-kept books where the port has them. */
  held: { amount0: string; amount1: string };
  /** How much less of each token the wallet holds than the books say (0 normally), raw units. */
  walletShortfall?: { amount0: string; amount1: string };
  /** What the pool's sagas took from the wallet's float beyond its books, cumulative, raw units: the strategy's own tokens outside the position are held − fromFloat. */
  fromFloat?: { amount0: string; amount1: string };
  amounts: { amount0: number; amount1: number };
  valueUsd: number;
  pnlUsd: number;
  pnlPercent: number;
  /** Fees collected by rolls plus uncollected, USD. */
  feesEarned: number;
  feesCollectedUsd: number;
  /**
   * IL against holding the entry amounts (losses negative). `ilPercent`/`ilUSD`/`priceRatio` are
   * the current range's, since its entry (a roll starts a new entry). `realizedUSD` sums the IL
   * each closed range had when it was rolled or withdrawn; `cumulativeUSD` = realized + current,
   * and `cumulativePercent` is it over the first deposit. `feesEarned` counts every range's
   * fees, so `netIL` = cumulativeUSD + feesEarned is the whole strategy's IL net of fees.
   */
  il: PositionIl;
  /** Asset held (whole units, position + held tokens): the long exposure the hedge offsets. */
  delta: number;
  rolls: number;
  lastRoll: { at: number; from: { tickLower: number; tickUpper: number }; to: { tickLower: number; tickUpper: number }; txHash: string } | null;
  lastDecision: (RollDecision & { at: number }) | null;
  /** The decisions that rolled, newest last (at most 20), each with its expectedAPY, confidence and reasoning. */
  rollDecisions: (RollDecision & { at: number; txHash: string })[];
  /** Measured σ (the spec's VolatilityData), fee yield and liquidity (null: not measured). */
  market: PositionMarketState | null;
  /** Loss-versus-rebalancing: rate (USD/day), sum since the first deposit, fees over it. */
  lvr: PositionLvr | null;
  /** d(delta)/d(asset price): asset units per quote unit, beside `delta` (<= 0). */
  gamma: number;
  efficiency: PositionEfficiency | null;
  refusals: { deviation: number; halted: number; noReference: number };
  exitReason: string | null;
  errors: number;
  lastError: string | null;
  /** The last chain saga (roll, mint, withdraw) applied to this state: a saga is applied once. */
  lastSagaId: string | null;
  /** An operator's per-pool settings over the configuration, who set them and when (absent: none). */
  settings?: PoolSettings & { updatedBy: string; updatedAt: number };
  /** A vault pool: new capital waits to be deployed into the range (absent: none). */
  pendingCapital?: boolean;
  /** A vault pool: times new capital was deployed. */
  deployments?: number;
}

/** A position the agent owns in the pool beside the one it manages. */
export interface OtherPosition {
  tokenId: string;
  tickLower: number;
  tickUpper: number;
  liquidity: string;
  valueUsd: number;
  /** Asset held, whole units. */
  delta: number;
  /** The quote token held, whole units (absent in older checkpoints). */
  quoteAmount?: number;
}

export interface PositionIl {
  ilPercent: number;
  ilUSD: number;
  realizedUSD: number;
  cumulativeUSD: number;
  cumulativePercent: number;
  feesEarned: number;
  netIL: number;
  priceRatio: number;
}

/** The IL of the range being closed, added to what earlier ranges realized. */
function realizeIl(il: PositionIl): PositionIl {
  return { ...il, realizedUSD: finiteOr0(il.realizedUSD) + il.ilUSD, ilUSD: 0, ilPercent: 0 };
}

/** A checkpoint written before a field existed restores it as 0. */
function finiteOr0(x: number | undefined): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}

export interface PositionReport {
  poolId: string;
  /** The perp symbol the pool's delta is hedged in, and that delta in USD (long > 0): the risk supervisor's exposure. */
  symbol: string;
  deltaUsd: number;
  /** A non-USD quote's perp symbol and the quote token held in USD (long > 0): the pool's second exposure. */
  quoteDelta?: { symbol: string; deltaUsd: number };
  valueUsd: number;
  depositedUsd: number;
  ilPercent: number;
  pnlPercent: number;
  status: PositionState['status'];
}

export interface PositionDeps {
  config: PositionConfig;
  chain: ChainPort;
  log: Logger;
  now: () => number;
  publish: (s: PositionState) => void;
  /** `hedgeRatio`: the pool's own hedge ratio (per-pool settings), null: the agent's. */
  reportDelta: (poolId: string, asset: string, symbol: string, delta: number, price: number, valueUsd: number, hedgeRatio: number | null) => void;
  reportRisk: (r: PositionReport) => void;
  /** Asks the RiskSupervisor to halt (books that cannot be right); absent: the actor halts itself only. */
  requestHalt?: (reason: string) => void;
}

export function initialPositionState(pool: PoolDescriptor): PositionState {
  return {
    poolId: pool.poolId, asset: pool.asset, status: 'starting', haltReason: null, price: 0, assetPrice: 0, tick: 0, blockNumber: 0,
    referencePrice: null, reference: emptyReference(), atReference: null, deviation: null, gasPriceWei: '0', position: null, range: null, otherPositions: [], entry: null,
    depositedUsd: 0, held: { amount0: '0', amount1: '0' }, amounts: { amount0: 0, amount1: 0 }, valueUsd: 0, pnlUsd: 0,
    pnlPercent: 0, feesEarned: 0, feesCollectedUsd: 0, il: { ilPercent: 0, ilUSD: 0, realizedUSD: 0, cumulativeUSD: 0, cumulativePercent: 0, feesEarned: 0, netIL: 0, priceRatio: 1 },
    delta: 0, rolls: 0, lastRoll: null, lastDecision: null, rollDecisions: [], market: null, lvr: null, gamma: 0, efficiency: null, refusals: { deviation: 0, halted: 0, noReference: 0 }, exitReason: null,
    errors: 0, lastError: null, lastSagaId: null,
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The PositionActor's behaviour. */
export function positionBehaviour(deps: PositionDeps): Behaviour<PositionState, PositionMsg> {
  const { config: cfg, chain, log } = deps;
  const pool = cfg.pool;
  const d0 = Math.pow(10, pool.token0.decimals);
  const d1 = Math.pow(10, pool.token1.decimals);
  let uncollected = { fees0: 0n, fees1: 0n };
  let lastFeeRead = Number.NEGATIVE_INFINITY;
  const market = cfg.market === undefined ? null : new PositionMarket({
    settings: cfg.market, priorVolatility: cfg.range.annualVolatility, fee: pool.fee / 1_000_000,
    usdPerRawToken1: (raw) => usdPerRawToken1(rawToHumanPrice(raw, pool.token0.decimals, pool.token1.decimals)),
    ...(chain.poolLiquidity === undefined ? {} : { readLiquidity: () => chain.poolLiquidity!(pool.poolId) }),
  });
  /** The range settings with the σ in use (measured once there are enough samples). */
  /** The operator's per-pool settings of the state being handled (set at the start of each message). */
  let overrides: PoolSettings = {};
  const rangeNow = (): RangeSettings => ({
    ...cfg.range, ...(market === null ? {} : { annualVolatility: market.volatility().data.annualized }),
    ...(overrides.rangeWidthMultiplier === undefined ? {} : { widthMultiplier: overrides.rangeWidthMultiplier }),
  });
  const reference = new PoolReference(cfg.reference);
  const fromDeposits = cfg.capital === 'deposits';
  const quoteDecimals = pool.assetIsToken0 ? pool.token1.decimals : pool.token0.decimals;
  const quote = new QuoteValuation(pool.quote ?? null, cfg.reference);
  /** USD per whole quote token now (0 while a non-USD quote has no price yet: nothing is reported then). */
  const quoteUsd = (): number => quote.usdPerQuote() ?? 0;
  const rollPolicy = new RememberedRollPolicy();

  const toPosition = (p: OwnedPosition): NonNullable<PositionState['position']> => ({ tokenId: p.tokenId, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidity: p.liquidity.toString() });
  /** USD value of whole-token amounts at pool price `price` (token1 per token0). */
  const usd = (amount0: number, amount1: number, price: number): number =>
    (pool.assetIsToken0 ? amount0 * price + amount1 : amount0 + amount1 / price) * quoteUsd();
  const assetPriceOf = (price: number): number => (pool.assetIsToken0 ? price : 1 / price);
  const usdPerRawToken1 = (price: number): number => usd(0, 1 / d1, price);

  /** Recomputes amounts, value, IL, PnL and delta at the pool price, and value, PnL and IL at the reference. */
  function measure(s0: PositionState): PositionState {
    const m = withMarketMeasures(measureAt(depositValued(s0)));
    const ref = m.referencePrice ?? referenceOf(m).lastGood?.price ?? null;
    if (ref === null || !(m.price > 0)) return { ...m, atReference: null };
    const v = measureAt({ ...m, price: pool.assetIsToken0 ? ref : 1 / ref });
    return { ...m, atReference: { price: ref, valueUsd: v.valueUsd, pnlUsd: v.pnlUsd, pnlPercent: v.pnlPercent, ilPercent: v.il.ilPercent } };
  }

  /**
   * A position adopted (or minted) before its non-USD quote had a USD price has its deposit valued
   * once the price is known: at the entry amounts and price, with the other positions beside it.
   */
  function depositValued(s: PositionState): PositionState {
    if (pool.quote === undefined || s.depositedUsd > 0 || s.entry === null || s.position === null || quote.usdPerQuote() === null) return s;
    const raw = humanToRawPrice(s.entry.price, pool.token0.decimals, pool.token1.decimals);
    const depositedUsd = usd(s.entry.amount0, s.entry.amount1, s.entry.price) + otherHoldings(s.others ?? [], raw).reduce((t, o) => t + o.valueUsd, 0);
    log.info({ poolId: pool.poolId, depositedUsd, quotePriceUsd: quote.usdPerQuote() }, 'deposit valued at the quote token\'s first USD price');
    return { ...s, depositedUsd };
  }

  /** LVR, gamma, capital efficiency and the market summary at the pool price (feeds the market the position's sample). */
  function withMarketMeasures(s: PositionState): PositionState {
    if (!(s.price > 0)) return s;
    return {
      ...s,
      ...positionMeasures({
        pool, price: s.price, tick: s.tick, position: s.position, valueUsd: s.valueUsd, earningUsd: usd(s.amounts.amount0, s.amounts.amount1, s.price), feesEarned: s.feesEarned,
        lvr: s.lvr, now: deps.now(), annualVolatility: rangeNow().annualVolatility, usdPerRawToken1: usdPerRawToken1(s.price), market,
        apy: currentRangeApy(s),
      }),
    };
  }

  /** The current range's expected fee APY from the last decision: the new range's once that decision rolled to it. */
  function currentRangeApy(s: PositionState): { value: number; source: 'measured' | 'configured' } | null {
    const d = s.lastDecision;
    if (d === null || d.currentAPY === undefined) return null;
    const rolled = d.roll && s.lastRoll !== null && s.lastRoll.at === d.at;
    return { value: rolled ? d.expectedAPY : d.currentAPY, source: rolled ? d.recommendedApySource ?? d.apySource : d.apySource };
  }

  /** Recomputes amounts, value, IL, PnL and delta from price and position (pure). */
  function measureAt(s: PositionState): PositionState {
    if (!(s.price > 0)) return s;
    const raw = humanToRawPrice(s.price, pool.token0.decimals, pool.token1.decimals);
    // the strategy's own tokens outside the position: what it took from the wallet's float is not its own
    const heldA0 = Number(BigInt(s.held.amount0) - BigInt(s.fromFloat?.amount0 ?? '0')) / d0;
    const heldA1 = Number(BigInt(s.held.amount1) - BigInt(s.fromFloat?.amount1 ?? '0')) / d1;
    let amount0 = 0;
    let amount1 = 0;
    if (s.position !== null) {
      const a = rangeAmounts(Number(BigInt(s.position.liquidity)), s.position.tickLower, s.position.tickUpper, raw);
      amount0 = a.amount0 / d0;
      amount1 = a.amount1 / d1;
    }
    const uncollectedUsd = usd(Number(uncollected.fees0) / d0, Number(uncollected.fees1) / d1, s.price);
    const feesEarned = s.feesCollectedUsd + uncollectedUsd;
    const others = otherHoldings(s.others ?? [], raw);
    const othersValue = others.reduce((t, o) => t + o.valueUsd, 0);
    const othersDelta = others.reduce((t, o) => t + o.delta, 0);
    const othersQuote = others.reduce((t, o) => t + (o.quoteAmount ?? 0), 0);
    const valueUsd = usd(amount0 + heldA0, amount1 + heldA1, s.price) + uncollectedUsd + othersValue;
    let ilPercent = 0;
    let ilUSD = 0;
    let priceRatio = 1;
    if (s.entry !== null && s.position !== null) {
      const ilFrac = Math.min(0, lossVersusHold({ amount0, amount1 }, { amount0: s.entry.amount0, amount1: s.entry.amount1 }, s.price));
      ilPercent = ilFrac * 100;
      ilUSD = ilFrac * usd(s.entry.amount0, s.entry.amount1, s.price);
      priceRatio = assetPriceOf(s.price) / assetPriceOf(s.entry.price);
    }
    const realizedUSD = finiteOr0(s.il.realizedUSD);
    const cumulativeUSD = realizedUSD + ilUSD;
    const il: PositionIl = {
      ilPercent, ilUSD, realizedUSD, cumulativeUSD, cumulativePercent: s.depositedUsd > 0 ? (cumulativeUSD / s.depositedUsd) * 100 : 0,
      feesEarned, netIL: cumulativeUSD + feesEarned, priceRatio,
    };
    const pnlUsd = s.depositedUsd > 0 ? valueUsd - s.depositedUsd : 0;
    return {
      ...s, amounts: { amount0, amount1 }, valueUsd, feesEarned, il, pnlUsd,
      pnlPercent: s.depositedUsd > 0 ? pnlUsd / s.depositedUsd : 0, delta: (pool.assetIsToken0 ? amount0 + heldA0 : amount1 + heldA1) + othersDelta,
      ...(s.others === undefined ? {} : { others }),
      quotePriceUsd: quote.usdPerQuote(),
      ...(pool.quote === undefined ? {} : { quoteDelta: (pool.assetIsToken0 ? amount1 + heldA1 : amount0 + heldA0) + othersQuote }),
    };
  }

  /** The other positions valued at raw price `raw`: principal in USD and the asset they hold. */
  function otherHoldings(list: readonly OtherPosition[], raw: number): OtherPosition[] {
    return list.map((o) => {
      const a = rangeAmounts(Number(BigInt(o.liquidity)), o.tickLower, o.tickUpper, raw);
      const [x0, x1] = [a.amount0 / d0, a.amount1 / d1];
      return { ...o, valueUsd: usd(x0, x1, rawToHumanPrice(raw, pool.token0.decimals, pool.token1.decimals)), delta: pool.assetIsToken0 ? x0 : x1, quoteAmount: pool.assetIsToken0 ? x1 : x0 };
    });
  }

  function report(s: PositionState): void {
    deps.publish(s);
    // books that cannot be right are not reported on: the hedge must not follow them
    if (impossibleBooks(s, pool.token0.symbol, pool.token1.symbol) !== null) return;
    // a non-USD quote without a USD price yet: no value is known, nothing to hedge or judge by
    const q = quote.usdPerQuote();
    if (q === null) return;
    // the hedge and the risk limits work from the reference price and the value at it, not from the pool's own price
    const at = s.atReference ?? null;
    const assetUsd = (at?.price ?? s.assetPrice) * q;
    const valueUsd = at?.valueUsd ?? s.valueUsd;
    if (s.price > 0) {
      const ratio = s.settings?.hedgeRatio ?? null;
      deps.reportDelta(pool.poolId, pool.asset, pool.hedgeSymbol, s.delta, assetUsd, valueUsd, ratio);
      // the quote token held is the pool's second exposure, hedged in its own perp
      if (pool.quote !== undefined) deps.reportDelta(pool.poolId, pool.quote.asset, pool.quote.hedgeSymbol, s.quoteDelta ?? 0, q, valueUsd, ratio);
    }
    const deltaUsd = s.price > 0 ? s.delta * assetUsd : 0;
    deps.reportRisk({
      poolId: pool.poolId, symbol: pool.hedgeSymbol, deltaUsd, valueUsd, depositedUsd: s.depositedUsd,
      ...(pool.quote === undefined ? {} : { quoteDelta: { symbol: pool.quote.hedgeSymbol, deltaUsd: s.price > 0 ? (s.quoteDelta ?? 0) * q : 0 } }),
      ilPercent: at?.ilPercent ?? s.il.ilPercent, pnlPercent: at?.pnlPercent ?? s.pnlPercent, status: s.status,
    });
  }

  function failed(s: PositionState, what: string, err: unknown): PositionState {
    log.error({ err, poolId: pool.poolId }, `${what} failed`);
    return { ...s, errors: s.errors + 1, lastError: `${what}: ${describe(err)}` };
  }

  /** Mints amount0/amount1 (raw) at `range`, or at the recommended range. */
  async function mintFresh(s: PositionState, amount0: bigint, amount1: bigint, range?: TickRange): Promise<PositionState> {
    const { tickLower, tickUpper } = range ?? rollPolicy.recommend(s.tick, pool.tickSpacing, rangeNow(), { ...market?.rangeMarket(), feeApy: cfg.feeApy });
    const res = await chain.mint({ poolId: pool.poolId, tickLower, tickUpper, amount0Max: amount0, amount1Max: amount1 });
    return reconcileHeld(applyMint(s, res, amount0, amount1));
  }

  /** The state after a mint of `res` from a deposit of amount0/amount1 (what the mint did not use stays held). */
  function applyMint(s: PositionState, res: MintResult, amount0: bigint, amount1: bigint): PositionState {
    const range = { tickLower: res.position.tickLower, tickUpper: res.position.tickUpper };
    const a0 = Number(res.amount0) / d0;
    const a1 = Number(res.amount1) / d1;
    const first = s.depositedUsd === 0;
    log.info({ poolId: pool.poolId, tokenId: res.position.tokenId, ...range, tx: res.receipt.hash, sagaId: res.sagaId }, 'position minted');
    return {
      ...s,
      position: toPosition(res.position), range,
      entry: { price: s.price, amount0: a0, amount1: a1, at: deps.now() },
      depositedUsd: first ? usd(Number(amount0) / d0, Number(amount1) / d1, s.price) : s.depositedUsd,
      // what the mint did not use stays in the wallet: it is still ours, and counted
      held: { amount0: (BigInt(s.held.amount0) + amount0 - res.amount0).toString(), amount1: (BigInt(s.held.amount1) + amount1 - res.amount1).toString() },
      lastSagaId: res.sagaId ?? s.lastSagaId,
    };
  }

  /** The state after a roll to `res` from `from`. */
  function applyRoll(s: PositionState, res: RollResult, from: { tickLower: number; tickUpper: number }): PositionState {
    uncollected = { fees0: 0n, fees1: 0n };
    const to = { tickLower: res.position.tickLower, tickUpper: res.position.tickUpper };
    return {
      ...s,
      position: toPosition(res.position), range: to,
      entry: { price: s.price, amount0: Number(res.amount0) / d0, amount1: Number(res.amount1) / d1, at: deps.now() },
      il: realizeIl(s.il),
      feesCollectedUsd: s.feesCollectedUsd + usd(Number(res.fees0) / d0, Number(res.fees1) / d1, s.price),
      // what the new range did not take is back in the wallet: still ours, still counted
      held: { amount0: (BigInt(s.held.amount0) + res.returned0).toString(), amount1: (BigInt(s.held.amount1) + res.returned1).toString() },
      rolls: s.rolls + 1,
      lastRoll: { at: deps.now(), from, to, txHash: res.receipt.hash },
      lastSagaId: res.sagaId ?? s.lastSagaId,
    };
  }

  /** The state after withdrawing everything (`res`). */
  function applyWithdraw(s: PositionState, res: WithdrawResult): PositionState {
    uncollected = { fees0: 0n, fees1: 0n };
    return {
      ...s, position: null, il: realizeIl(s.il),
      held: { amount0: (BigInt(s.held.amount0) + res.amount0 + res.fees0).toString(), amount1: (BigInt(s.held.amount1) + res.amount1 + res.fees1).toString() },
      feesCollectedUsd: s.feesCollectedUsd + usd(Number(res.fees0) / d0, Number(res.fees1) / d1, s.price),
      lastSagaId: res.sagaId ?? s.lastSagaId,
    };
  }

  /**
   * Applies a saga the chain finished that this state has not seen (its checkpoint lagged behind
   * the chain: killed between the saga's end and the checkpoint write). Each saga is applied once.
   */
  function applySaga(s: PositionState, o: SagaOutcome): PositionState {
    if (o.id === s.lastSagaId) return s;
    log.warn({ poolId: pool.poolId, sagaId: o.id, kind: o.kind, status: o.status, note: o.status === 'abandoned' ? o.note : null }, 'applying a chain saga the checkpoint had not seen');
    if (o.status === 'abandoned') return { ...s, lastSagaId: o.id };
    if (o.kind === 'roll') return applyRoll(s, o.result, s.range ?? { tickLower: o.result.position.tickLower, tickUpper: o.result.position.tickUpper });
    if (o.kind === 'mint') return applyMint(s, o.result, o.result.amount0, o.result.amount1);
    return applyWithdraw(s, o.result);
  }

  /** Books from the chain: `held` is the pool's books (moved by its sagas' receipts, checked against the wallet), not what the checkpoint says. */
  async function reconcileHeld(s: PositionState): Promise<PositionState> {
    if (chain.heldTokens === undefined) return s;
    let held = await chain.heldTokens(pool.poolId);
    if (held === null && s.depositedUsd > 0 && chain.adoptBooks !== undefined) {
      held = await chain.adoptBooks(pool.poolId, { amount0: BigInt(s.held.amount0), amount1: BigInt(s.held.amount1) });
      log.warn({ poolId: pool.poolId, amount0: held.amount0.toString(), amount1: held.amount1.toString() }, 'books started from the checkpointed held amounts');
    }
    if (held === null) return s;
    if (held.amount0.toString() !== s.held.amount0 || held.amount1.toString() !== s.held.amount1) {
      log.info({ poolId: pool.poolId, checkpoint: s.held, chain: { amount0: held.amount0.toString(), amount1: held.amount1.toString() } }, 'held tokens reconciled from the wallet');
    }
    return {
      ...s, held: { amount0: held.amount0.toString(), amount1: held.amount1.toString() },
      // a vault's pool: the PnL reference is its shares at the inception share price, read with the tokens
      ...(fromDeposits && held.capital !== undefined ? { depositedUsd: (Number(held.capital) / Math.pow(10, quoteDecimals)) * quoteUsd() } : {}),
      walletShortfall: { amount0: held.shortfall0.toString(), amount1: held.shortfall1.toString() },
      fromFloat: { amount0: (held.fromFloat0 ?? 0n).toString(), amount1: (held.fromFloat1 ?? 0n).toString() },
    };
  }

  /** Halts (with an alert through the supervisor) when the books cannot be right; never throws. */
  function guardBooks(s: PositionState): PositionState {
    const why = impossibleBooks(s, pool.token0.symbol, pool.token1.symbol);
    if (why === null || (s.status === 'halted' && s.haltReason === why)) return s;
    log.error({ poolId: pool.poolId, held: s.held, valueUsd: s.valueUsd, delta: s.delta, reason: why }, 'impossible books: halting');
    deps.requestHalt?.(why);
    return { ...s, status: 'halted', haltReason: why, errors: s.errors + 1, lastError: why };
  }

  /** Start-up reconciliation: adopt what the chain says we own; mint only if we own nothing. */
  async function init(s0: PositionState): Promise<PositionState> {
    quote.restore(s0.quotePriceUsd);
    const snap = await chain.poolSnapshot(pool.poolId);
    let s: PositionState = { ...s0, price: snap.price, assetPrice: assetPriceOf(snap.price), tick: snap.tick, blockNumber: snap.blockNumber };
    reference.observePool(deps.now(), s.assetPrice);
    s = readReference(s);
    s = { ...s, gasPriceWei: (await chain.gasPriceWei()).toString() };
    // an unfinished saga (killed mid-roll) is finished first, from its last confirmed step; a
    // finished one the checkpoint has not seen is applied once
    try {
      const outcome = chain.resume === undefined ? null : await chain.resume(pool.poolId);
      if (outcome !== null) s = applySaga(s, outcome);
    } catch (err) {
      // halted: the saga's remaining steps wait, journaled, for the resume (or a withdraw); reconcile the rest
      if (!(err instanceof HaltedError)) throw err;
      log.warn({ poolId: pool.poolId, reason: err.reason }, 'unfinished saga left journaled: halted');
    }
    const owned = (await chain.ownedPositions(pool.poolId)).filter((p) => p.liquidity > 0n).sort((a, b) => (a.liquidity > b.liquidity ? -1 : 1));
    const main = owned[0];
    if (main !== undefined) {
      const keepEntry = s.position?.tokenId === main.tokenId;
      s = {
        ...s,
        position: toPosition(main), range: { tickLower: main.tickLower, tickUpper: main.tickUpper },
        otherPositions: owned.slice(1).map((p) => p.tokenId),
        others: owned.slice(1).map((p) => ({ tokenId: p.tokenId, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidity: p.liquidity.toString(), valueUsd: 0, delta: 0 })),
      };
      if (!keepEntry || s.entry === null) {
        const raw = humanToRawPrice(s.price, pool.token0.decimals, pool.token1.decimals);
        const a = rangeAmounts(Number(main.liquidity), main.tickLower, main.tickUpper, raw);
        s = { ...s, entry: { price: s.price, amount0: a.amount0 / d0, amount1: a.amount1 / d1, at: deps.now() } };
        // what was deposited: the adopted position and the others beside it, all counted in the value
        if (s.depositedUsd === 0 && !fromDeposits && quote.usdPerQuote() !== null) s = { ...s, depositedUsd: usd(a.amount0 / d0, a.amount1 / d1, s.price) + otherHoldings(s.others ?? [], raw).reduce((t, o) => t + o.valueUsd, 0) };
      }
      if (owned.length > 1) log.warn({ poolId: pool.poolId, others: s.otherPositions }, 'more than one position owned in this pool; managing the largest, the others counted in value and delta');
      log.info({ poolId: pool.poolId, tokenId: main.tokenId, adopted: !keepEntry }, 'position reconciled with chain');
    } else if (s.position !== null) {
      log.warn({ poolId: pool.poolId, tokenId: s.position.tokenId }, 'checkpointed position not found on chain; forgetting it');
      s = { ...s, position: null, range: null, otherPositions: [], others: [] };
    }
    s = await reconcileHeld(s);
    // reconciled: from here on we know what we own, so a first mint cannot open a second position
    if (s.status === 'starting') s = { ...s, status: 'running' };
    // a first mint values its deposit in USD: with a non-USD quote it waits for the quote's price (act retries it under the reference guard)
    if (s.position === null && s.status === 'running' && s.depositedUsd === 0 && !fromDeposits && quote.usdPerQuote() !== null) {
      try {
        s = await mintFresh(s, cfg.amount0, cfg.amount1);
      } catch (err) {
        s = failed(s, 'first mint (retried on the next snapshot)', err);
      }
    }
    return guardBooks(measure(s));
  }

  /**
   * Withdraws the other positions owned in the pool into its held tokens (config `otherPositions:
   * withdraw`); with `merge`, the managed position is then withdrawn too and minted again in its
   * range with everything held, so one position holds it all. Each withdraw is a chain saga the
   * kill switch gates; the value is unchanged (principal moves from `others` to `held`, their fees
   * are collected).
   */
  async function settleOthers(s0: PositionState, merge: boolean): Promise<PositionState> {
    let s = s0;
    for (const o of s0.others ?? []) {
      const res = await chain.withdraw({ tokenId: o.tokenId, poolId: pool.poolId, tickLower: o.tickLower, tickUpper: o.tickUpper, liquidity: BigInt(o.liquidity) });
      log.warn({ poolId: pool.poolId, tokenId: o.tokenId, tx: res.receipt.hash, merge }, 'other position withdrawn');
      s = {
        ...s,
        others: (s.others ?? []).filter((x) => x.tokenId !== o.tokenId), otherPositions: s.otherPositions.filter((t) => t !== o.tokenId),
        held: { amount0: (BigInt(s.held.amount0) + res.amount0 + res.fees0).toString(), amount1: (BigInt(s.held.amount1) + res.amount1 + res.fees1).toString() },
        feesCollectedUsd: s.feesCollectedUsd + usd(Number(res.fees0) / d0, Number(res.fees1) / d1, s.price),
        lastSagaId: res.sagaId ?? s.lastSagaId,
      };
    }
    s = await reconcileHeld(s);
    if (!merge || s.position === null) return s;
    const range = { tickLower: s.position.tickLower, tickUpper: s.position.tickUpper };
    s = await reconcileHeld(applyWithdraw(s, await chain.withdraw({ tokenId: s.position.tokenId, poolId: pool.poolId, ...range, liquidity: BigInt(s.position.liquidity) })));
    // the strategy's own held tokens (not what it took from the wallet's float) go into the merged position
    const h0 = BigInt(s.held.amount0) - BigInt(s.fromFloat?.amount0 ?? '0');
    const h1 = BigInt(s.held.amount1) - BigInt(s.fromFloat?.amount1 ?? '0');
    try {
      s = await mintFresh({ ...s, held: { amount0: (BigInt(s.held.amount0) - h0).toString(), amount1: (BigInt(s.held.amount1) - h1).toString() } }, h0, h1, range);
    } catch (err) {
      // withdrawn and not minted again: everything is held, counted and hedged; `resume` redeploys it
      return failed(measure(await reconcileHeld(s).catch(() => s)), 'merge mint', err);
    }
    log.warn({ poolId: pool.poolId, tokenId: s.position?.tokenId, ...range }, 'other positions merged into the managed position');
    return s;
  }

  async function withdrawAll(s: PositionState, why: string): Promise<PositionState> {
    if (s.position === null) return s;
    const res = await chain.withdraw({ tokenId: s.position.tokenId, poolId: pool.poolId, tickLower: s.position.tickLower, tickUpper: s.position.tickUpper, liquidity: BigInt(s.position.liquidity) });
    log.warn({ poolId: pool.poolId, tokenId: s.position.tokenId, tx: res.receipt.hash, why }, 'liquidity withdrawn');
    return measure(await reconcileHeld(applyWithdraw(s, res)));
  }

  /** The deviation guard: the pool is too far from the reference to trade in (counted as a refusal). */
  function deviates(s: PositionState): boolean {
    return s.deviation !== null && s.deviation > cfg.maxPriceDeviation;
  }

  /**
   * The reference guards of every chain step the strategy starts (a roll, manual or its own, a first
   * mint, deploying new capital, settling other positions): an accepted reference price and the pool
   * within maxPriceDeviation of it. Why the step may not go ahead now and the refusal it counts; null
   * when it may.
   */
  function referenceRefusal(s: PositionState): { why: string; counts: 'noReference' | 'deviation' } | null {
    if (s.referencePrice === null) return { why: `no accepted reference price: ${referenceOf(s).refused ?? 'none yet'}`, counts: 'noReference' };
    if (deviates(s)) return { why: `the pool price deviates from the reference by ${((s.deviation ?? 0) * 100).toFixed(2)}% (> ${(cfg.maxPriceDeviation * 100).toFixed(2)}%)`, counts: 'deviation' };
    return null;
  }

  /** The state with the refusal counted when the reference guards refuse `what` now (logged under its name when given); null when it may go ahead. */
  function refusedByGuards(s: PositionState, what: string | null): PositionState | null {
    const r = referenceRefusal(s);
    if (r === null) return null;
    if (what !== null) log.warn({ poolId: pool.poolId, price: s.assetPrice, reference: s.referencePrice, deviation: s.deviation, why: r.why }, `${what} refused`);
    return { ...s, refusals: { ...s.refusals, [r.counts]: s.refusals[r.counts] + 1 } };
  }

  /** Evaluates the exit rule and the roll policy, and acts. */
  async function act(s0: PositionState): Promise<PositionState> {
    let s = s0;
    if (s.status !== 'running') return s;
    // paused by an operator: measured and reported (so hedged), never acted on
    if (overrides.paused === true) return s;
    // no accepted reference (too few fresh sources, or they disagree): nothing is judged, nothing is done
    const exit = !fromDeposits && s.position !== null && s.referencePrice !== null && s.atReference !== undefined && s.atReference !== null ? exitReason(cfg.exit, { price: s.referencePrice, pnlPercent: s.atReference.pnlPercent }) : null;
    if (exit !== null && deviates(s)) {
      log.warn({ poolId: pool.poolId, exit, price: s.assetPrice, reference: s.referencePrice, deviation: s.deviation }, 'exit waits: pool price deviates from reference');
      return { ...s, refusals: { ...s.refusals, deviation: s.refusals.deviation + 1 } };
    }
    if (exit !== null) {
      s = await withdrawAll(s, exit);
      log.warn({ poolId: pool.poolId, exit }, 'position exit rule fired');
      return { ...s, status: 'exited', exitReason: exit };
    }
    if (s.pendingCapital === true) return refusedByGuards(s, 'new capital') ?? deployCapital(s);
    if (s.position !== null && (cfg.otherPositions ?? 'count') !== 'count' && (s.others ?? []).length > 0) {
      // the other positions are withdrawn (or merged) under the guards of a roll
      return refusedByGuards(s, null) ?? measure(await settleOthers(s, cfg.otherPositions === 'merge'));
    }
    const pos = s.position;
    if (pos === null) {
      if (fromDeposits) return s;
      // the first mint has not happened (or failed at start-up): retry it, under the same guard as a roll
      if (s.depositedUsd > 0) return s;
      return refusedByGuards(s, null) ?? measure(await mintFresh(s, cfg.amount0, cfg.amount1));
    }
    const decision = decideNow(s, pos);
    // the state's fee APY is this decision's, not the one before it
    s = { ...s, lastDecision: { ...decision, at: deps.now() }, market: s.market === null ? null : { ...s.market, feeApy: decision.currentAPY, feeApySource: decision.apySource } };
    if (!decision.roll || decision.newRange === null) return s;
    return refusedByGuards(s, 'roll') ?? executeRoll(s, pos, decision, decision.newRange);
  }

  /**
   * Puts a vault pool's idle capital into its range: a first mint, or a roll to the same range
   * (the vault burns and re-mints with everything but its idle reserve); to the recommended range
   * when the price has left the current one. Not counted as a roll.
   */
  async function deployCapital(s0: PositionState): Promise<PositionState> {
    const s = { ...s0, pendingCapital: false };
    const pos = s.position;
    if (pos === null) {
      const next = measure(await mintFresh({ ...s, held: { amount0: '0', amount1: '0' } }, BigInt(s.held.amount0), BigInt(s.held.amount1)));
      return { ...next, deployments: (s.deployments ?? 0) + 1 };
    }
    const inRange = s.tick >= pos.tickLower && s.tick < pos.tickUpper;
    const to = inRange ? { tickLower: pos.tickLower, tickUpper: pos.tickUpper } : rollPolicy.recommend(s.tick, pool.tickSpacing, rangeNow(), { ...market?.rangeMarket(), feeApy: cfg.feeApy });
    const res = await chain.roll({ poolId: pool.poolId, tokenId: pos.tokenId, tickLower: to.tickLower, tickUpper: to.tickUpper });
    log.info({ poolId: pool.poolId, tokenId: res.position.tokenId, tickLower: res.position.tickLower, tickUpper: res.position.tickUpper, tx: res.receipt.hash }, 'new capital deployed');
    const rolled = applyRoll(s, res, { tickLower: pos.tickLower, tickUpper: pos.tickUpper });
    return measure(await reconcileHeld({ ...rolled, rolls: s.rolls, lastRoll: s.lastRoll, deployments: (s.deployments ?? 0) + 1 }));
  }

  /** A vault pool's position, idle tokens and capital as the chain has them now (a withdrawal pulled liquidity, a deposit added idle quote). */
  async function rereadVault(s: PositionState): Promise<PositionState> {
    const main = (await chain.ownedPositions(pool.poolId)).find((p) => p.liquidity > 0n);
    const range = main === undefined ? s.range : { tickLower: main.tickLower, tickUpper: main.tickUpper };
    // the vault pulled liquidity pro rata for a withdrawal: the IL reference (entry amounts) shrinks with it
    let entry = s.entry;
    if (entry !== null && main !== undefined && s.position !== null && s.position.tokenId === main.tokenId && BigInt(s.position.liquidity) > 0n) {
      const ratio = Number(main.liquidity) / Number(BigInt(s.position.liquidity));
      entry = { ...entry, amount0: entry.amount0 * ratio, amount1: entry.amount1 * ratio };
    }
    return reconcileHeld({ ...s, position: main === undefined ? null : toPosition(main), range, entry });
  }

  /** The roll policy's decision for the position now. */
  function decideNow(s: PositionState, pos: NonNullable<PositionState['position']>): RollDecision {
    return rollPolicy.decide({
      tick: s.tick, tickLower: pos.tickLower, tickUpper: pos.tickUpper, tickSpacing: pool.tickSpacing,
      range: rangeNow(), rebalanceThreshold: overrides.rebalanceThreshold ?? cfg.rebalanceThreshold, apyThreshold: overrides.apyThreshold ?? cfg.apyThreshold,
      minCapitalEfficiency: overrides.minCapitalEfficiency ?? cfg.minCapitalEfficiency,
      valueUsd: s.valueUsd, feeApy: cfg.feeApy, rollGasUnits: cfg.rollGasUnits, gasPriceWei: BigInt(s.gasPriceWei),
      nativePriceUsd: nativeUsd(s), poolFee: pool.fee / 1_000_000, minNetGainUsd: cfg.minNetGainUsd,
      ...(market === null ? {} : { market: market.rangeMarket() }),
    });
  }

  /** USD per native gas token: the asset's or the quote's reference when either is the native token. */
  function nativeUsd(s: PositionState): number {
    if (cfg.nativeIsAsset) return (s.referencePrice ?? s.assetPrice) * quoteUsd();
    if (cfg.nativeIsQuote === true && quote.usdPerQuote() !== null) return quoteUsd();
    return cfg.nativePriceUsd;
  }

  /** Rolls the position to `to` through the chain port (its saga checks the kill switch before each transaction). */
  async function executeRoll(s: PositionState, pos: NonNullable<PositionState['position']>, decision: RollDecision, to: TickRange): Promise<PositionState> {
    const from = { tickLower: pos.tickLower, tickUpper: pos.tickUpper };
    const res = await chain.roll({ poolId: pool.poolId, tokenId: pos.tokenId, ...to });
    log.info({ poolId: pool.poolId, from, to: { tickLower: res.position.tickLower, tickUpper: res.position.tickUpper }, triggers: decision.triggers, urgency: decision.urgency, expectedGainUsd: decision.expectedGainUsd, gasCostUsd: decision.gasCostUsd, swapCostUsd: decision.swapCostUsd, tx: res.receipt.hash, sagaId: res.sagaId }, 'range rolled');
    const rolled = { ...s, rollDecisions: [...(s.rollDecisions ?? []), { ...decision, at: deps.now(), txHash: res.receipt.hash }].slice(-20) };
    return measure(await reconcileHeld(applyRoll(rolled, res, from)));
  }

  /** Why a manual roll to `to` may not happen now (the guards of the actor's own rolls, and the range's own checks), or null; `counts` is the refusal counter it adds to. */
  function manualRefusal(s: PositionState, to: TickRange | null): { why: string; counts?: keyof PositionState['refusals'] } | null {
    if (s.status !== 'running') return s.status === 'halted' ? { why: `halted: ${s.haltReason ?? 'no reason given'}`, counts: 'halted' } : { why: `the position is ${s.status}` };
    if (overrides.paused === true) return { why: 'the pool is paused (per-pool settings)' };
    if (s.position === null || to === null) return { why: 'no position in this pool to roll' };
    if (to.tickLower >= to.tickUpper) return { why: `tickLower ${to.tickLower} must be below tickUpper ${to.tickUpper}` };
    if (to.tickLower % pool.tickSpacing !== 0 || to.tickUpper % pool.tickSpacing !== 0) return { why: `ticks must be multiples of the pool's tick spacing ${pool.tickSpacing}` };
    if (to.tickLower < MIN_TICK || to.tickUpper > MAX_TICK) return { why: `ticks must lie within ${MIN_TICK}..${MAX_TICK}` };
    if (to.tickLower === s.position.tickLower && to.tickUpper === s.position.tickUpper) return { why: 'the position is already in this range' };
    return referenceRefusal(s);
  }

  /** A manual roll (see the message): refused by a guard, or carried out like the actor's own. */
  async function manualRoll(s0: PositionState, range: TickRange | null, by: string): Promise<{ state: PositionState; result: Omit<ManualRollResult, 'state'> }> {
    const pos = s0.position;
    const rec = range ?? (pos === null ? null : rollPolicy.recommend(s0.tick, pool.tickSpacing, rangeNow(), { ...market?.rangeMarket(), feeApy: cfg.feeApy }));
    const target = rec === null ? null : { tickLower: rec.tickLower, tickUpper: rec.tickUpper };
    const from = pos === null ? null : { tickLower: pos.tickLower, tickUpper: pos.tickUpper };
    const refusal = manualRefusal(s0, target);
    if (refusal !== null || pos === null || target === null) {
      const why = refusal?.why ?? 'no position in this pool to roll';
      log.warn({ poolId: pool.poolId, by, to: target, why }, 'manual roll refused');
      const counts = refusal?.counts;
      const refusals = counts === undefined ? s0.refusals : { ...s0.refusals, [counts]: s0.refusals[counts] + 1 };
      return { state: { ...s0, refusals }, result: { outcome: 'refused', reason: why, from, to: target, txHash: null } };
    }
    const policy = decideNow(s0, pos);
    const decision: RollDecision = {
      ...policy, roll: true, newRange: target, triggers: ['manual'],
      reasons: [`manual rebalance by ${by}${range === null ? ' to the recommended range' : ''}`, ...policy.reasons],
    };
    const s = { ...s0, lastDecision: { ...decision, at: deps.now() } };
    log.warn({ poolId: pool.poolId, by, from, to: target }, 'manual roll requested');
    try {
      const state = await executeRoll(s, pos, decision, target);
      return { state, result: { outcome: 'rolled', reason: null, from, to: state.range, txHash: state.lastRoll?.txHash ?? null } };
    } catch (err) {
      const state = await afterRollError(s, err);
      const halted = err instanceof HaltedError;
      return { state, result: { outcome: halted ? 'refused' : 'failed', reason: halted ? `halted: ${err.reason}` : describe(err), from, to: target, txHash: null } };
    }
  }

  /** The state after a roll that threw: a halt counted as a refusal; otherwise what the chain did before the failure is counted from the wallet. */
  async function afterRollError(next: PositionState, err: unknown): Promise<PositionState> {
    if (err instanceof HaltedError) {
      log.warn({ poolId: pool.poolId, reason: err.reason }, 'roll refused by the kill switch');
      return { ...next, refusals: { ...next.refusals, halted: next.refusals.halted + 1 } };
    }
    if (err instanceof PartialRollError) {
      // the position is unchanged but the wallet moved (a swap went through): keep counting it
      const moved = { ...next, held: { amount0: (BigInt(next.held.amount0) + err.returned0).toString(), amount1: (BigInt(next.held.amount1) + err.returned1).toString() } };
      return failed(measure(await reconcileHeld(moved).catch(() => moved)), 'roll', err);
    }
    // whatever the chain did before the failure is in the wallet: count that, not the checkpoint
    return failed(measure(await reconcileHeld(next).catch(() => next)), 'roll', err);
  }

  /** The state with an operator's settings patch applied (null clears a field back to the configuration). */
  function withSettings(s: PositionState, patch: PoolSettingsPatch, by: string): PositionState {
    const merged: Record<string, unknown> = { ...(s.settings ?? {}) };
    delete merged['updatedBy'];
    delete merged['updatedAt'];
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else if (v !== undefined) merged[k] = v;
    }
    const settings = merged as PoolSettings;
    if (Object.keys(settings).length === 0) {
      const { settings: _, ...rest } = s;
      return rest;
    }
    return { ...s, settings: { ...settings, updatedBy: by, updatedAt: deps.now() } };
  }

  /** Reads the reference at the injected clock's now; the deviation is the pool's from it. */
  function readReference(s: PositionState): PositionState {
    const before = referenceOf(s);
    const r = reference.read(before, deps.now());
    if (r.refused !== before.refused) {
      if (r.refused === null) log.info({ poolId: pool.poolId, reference: r.lastGood?.price, sources: r.fresh }, 'reference price accepted');
      else log.warn({ poolId: pool.poolId, why: r.refused }, 'reference price refused: the agent does not act on this pool');
    }
    const ref = r.refused === null ? r.lastGood?.price ?? null : null;
    return { ...s, reference: r, referencePrice: ref, deviation: ref === null || !(s.assetPrice > 0) ? null : Math.abs(s.assetPrice / ref - 1) };
  }

  /** The state the last turn that read the reference left, and when it read it (see rereadReference). */
  let lastRead: { state: PositionState; at: number } | null = null;

  return async (s, msg) => {
    let next: PositionState;
    overrides = s.settings ?? {};
    switch (msg.type) {
      case 'settings': {
        next = withSettings(s, msg.patch, msg.by);
        overrides = next.settings ?? {};
        log.warn({ poolId: pool.poolId, by: msg.by, patch: msg.patch, settings: next.settings }, 'per-pool settings changed');
        report(next);
        reply(msg.replyTo, next);
        return next;
      }
      case 'init':
        try {
          next = await init(s);
        } catch (err) {
          // not reconciled (an unfinished saga that could not be finished yet, the RPC down): back to
          // 'starting' even when the checkpoint said 'running', so the next snapshot reconciles again
          // before any decision (a halt or an exit stays as it was)
          next = failed(s, 'reconciliation', err);
          if (next.status === 'running') next = { ...next, status: 'starting' };
        }
        report(next);
        if (msg.replyTo !== undefined) reply(msg.replyTo, next);
        return next;
      case 'snapshot': {
        const snap = msg.snapshot;
        if (!Number.isFinite(snap.price) || snap.price <= 0) throw new PositionInvariantError(pool.poolId, 'price', snap.price);
        if (snap.blockNumber < s.blockNumber) {
          if (msg.replyTo !== undefined) reply(msg.replyTo, s);
          return s; // stale
        }
        reference.observePool(deps.now(), assetPriceOf(snap.price));
        next = readReference({ ...s, price: snap.price, assetPrice: assetPriceOf(snap.price), tick: snap.tick, blockNumber: snap.blockNumber });
        market?.observePool(deps.now(), next.assetPrice);
        try {
          await market?.refresh(deps.now());
        } catch (err) {
          next = failed(next, 'pool liquidity read', err);
        }
        if (next.position !== null && deps.now() - lastFeeRead >= cfg.feeReadMs) {
          lastFeeRead = deps.now();
          try {
            const pos = next.position;
            uncollected = await chain.positionFees({ tokenId: pos.tokenId, poolId: pool.poolId, tickLower: pos.tickLower, tickUpper: pos.tickUpper, liquidity: BigInt(pos.liquidity) });
          } catch (err) {
            next = failed(next, 'fee read', err);
          }
        }
        next = measure(next);
        if (next.status === 'starting') {
          // start-up reconciliation failed earlier (e.g. RPC down): try again before anything else
          try {
            next = await init(next);
          } catch (err) {
            next = failed(next, 'reconciliation', err);
          }
        }
        break;
      }
      case 'referencePrice':
      case 'quotePrice': {
        if (!Number.isFinite(msg.price) || msg.price <= 0) throw new PositionInvariantError(pool.poolId, msg.type, msg.price);
        quote.restore(s.quotePriceUsd);
        // in a non-USD-quoted pool a venue's source is its asset mark over its quote mark
        const mark = msg.type === 'referencePrice' ? quote.assetMark(msg.source, msg.price, msg.at) : quote.quoteMark(msg.source, msg.price, msg.at, deps.now());
        next = readReference(mark === null ? s : { ...s, reference: reference.quote(referenceOf(s), msg.source, mark.price, mark.at) });
        // σ from the market the accepted reading quotes (the median of its venue marks), not from
        // each source, nor from the reference itself, which mixes in the lagging pool TWAP
        {
          const m = marketPrice(referenceOf(next));
          if (m !== null) market?.observeReference(deps.now(), m);
        }
        next = measure(next);
        break;
      }
      case 'rereadReference':
        // the state a turn left after reading the reference at this very instant: a re-read now
        // reads the same quotes and TWAP at the same time, so it would measure and decide the same
        if (lastRead !== null && lastRead.state === s && lastRead.at === deps.now()) {
          if (msg.replyTo !== undefined) reply(msg.replyTo, s);
          return s;
        }
        next = measure(readReference(s));
        break;
      case 'gasPrice': {
        const wei = msg.wei.toString();
        if (wei === s.gasPriceWei) return s;
        next = { ...s, gasPriceWei: wei };
        deps.publish(next);
        return next;
      }
      case 'halt': {
        next = { ...s, status: 'halted', haltReason: msg.reason };
        if (msg.withdraw) {
          try {
            next = await withdrawAll(next, `halt: ${msg.reason}`);
          } catch (err) {
            next = failed(next, 'withdraw on halt', err);
          }
        }
        report(next);
        if (msg.replyTo !== undefined) reply(msg.replyTo, next);
        return next;
      }
      case 'resume': {
        next = { ...s, status: 'running', haltReason: null, exitReason: null };
        if (next.position === null && next.price > 0) {
          try {
            const h0 = BigInt(next.held.amount0);
            const h1 = BigInt(next.held.amount1);
            if (h0 > 0n || h1 > 0n) next = measure(await mintFresh({ ...next, held: { amount0: '0', amount1: '0' } }, h0, h1));
          } catch (err) {
            next = failed(next, 'redeploy on resume', err);
          }
        }
        report(next);
        return next;
      }
      case 'getState':
        reply(msg.replyTo, s);
        return s;
      case 'capital': {
        next = { ...s, pendingCapital: s.pendingCapital === true || msg.deploy };
        try {
          next = await rereadVault(next);
        } catch (err) {
          next = failed(next, 'vault re-read', err);
        }
        next = measure(next);
        break;
      }
      case 'manualRoll': {
        const { state, result } = await manualRoll(s, msg.range, msg.by);
        next = guardBooks(state);
        report(next);
        reply(msg.replyTo, { ...result, state: next });
        return next;
      }
    }
    try {
      next = await act(next);
    } catch (err) {
      next = await afterRollError(next, err);
    }
    next = guardBooks(next);
    report(next);
    lastRead = msg.type === 'snapshot' || msg.type === 'referencePrice' || msg.type === 'quotePrice' || msg.type === 'rereadReference' ? { state: next, at: deps.now() } : null;
    if (msg.replyTo !== undefined) reply(msg.replyTo, next);
    return next;
  };
}

export type PositionRef = ActorRef<PositionMsg>;
