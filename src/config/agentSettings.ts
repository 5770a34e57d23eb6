/**
 * From a validated configuration to the agent's settings: pool descriptors with their ids,
 * deposits in raw units (exact decimal parsing, no float), limits and policies.
 */
import type { AgentSettings } from '../actors/agent.js';
import type { PositionConfig } from '../actors/position/positionActor.js';
import type { PoolDescriptor } from '../actors/ports.js';
import type { AgentConfig, PoolConfig } from './schema.js';

/** Thrown when a decimal amount has more fractional digits than the token has decimals. */
export class AmountPrecisionError extends Error {
  override readonly name = 'AmountPrecisionError';
  constructor(readonly value: string, readonly decimals: number) {
    super(`amount "${value}" has more than ${decimals} decimal places`);
  }
}

/** "1.5" with 18 decimals -> 1500000000000000000n, exactly. */
export function parseUnits(value: string, decimals: number): bigint {
  const [whole, frac = ''] = value.split('.');
  if (frac.length > decimals) throw new AmountPrecisionError(value, decimals);
  return BigInt(whole ?? '0') * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
}

/** Whether `asset` names the token: the same symbol, or its wrapped form (ETH ~ WETH). */
export function isAssetToken(asset: string, tokenSymbol: string): boolean {
  return tokenSymbol === asset || tokenSymbol === `W${asset}`;
}

/** The descriptor of a configured pool; `poolId` must be known (from config or the deployment). */
export function poolDescriptor(p: PoolConfig, poolId: string): PoolDescriptor {
  return { poolId, asset: p.asset, assetIsToken0: isAssetToken(p.asset, p.token0.symbol), hedgeSymbol: p.hedgeSymbol, token0: { symbol: p.token0.symbol, decimals: p.token0.decimals }, token1: { symbol: p.token1.symbol, decimals: p.token1.decimals }, fee: p.fee, tickSpacing: p.tickSpacing, ...(p.quote === undefined ? {} : { quote: p.quote }) };
}

/** Builds AgentSettings; `poolIds[i]` is the id of `cfg.pools[i]`. */
export function agentSettings(cfg: AgentConfig, poolIds: string[], nativeAsset = 'ETH'): AgentSettings {
  const pools: PositionConfig[] = cfg.pools.map((p, i) => ({
    pool: poolDescriptor(p, poolIds[i]!),
    amount0: parseUnits(p.deposit.amount0, p.token0.decimals),
    amount1: parseUnits(p.deposit.amount1, p.token1.decimals),
    range: { annualVolatility: cfg.strategy.annualVolatility, horizonSeconds: cfg.strategy.horizonSeconds, riskLevel: cfg.strategy.riskLevel },
    rebalanceThreshold: cfg.strategy.rebalanceThreshold,
    apyThreshold: cfg.strategy.apyThreshold,
    minCapitalEfficiency: cfg.strategy.minCapitalEfficiency,
    maxPriceDeviation: cfg.strategy.maxPriceDeviation,
    feeApy: cfg.strategy.feeApy,
    rollGasUnits: cfg.strategy.rollGasUnits,
    feeReadMs: cfg.strategy.feeReadMs,
    minNetGainUsd: cfg.strategy.minNetGainUsd,
    nativePriceUsd: cfg.strategy.nativePriceUsd,
    nativeIsAsset: p.asset === nativeAsset,
    nativeIsQuote: p.quote?.asset === nativeAsset,
    otherPositions: p.otherPositions,
    exit: p.exit,
    market: { windowSeconds: cfg.strategy.volatilityWindowSeconds, minSamples: cfg.strategy.minSamples, maxSamples: cfg.strategy.maxSamples, liquidityReadMs: cfg.strategy.liquidityReadMs },
    reference: cfg.reference,
  }));
  return {
    agentId: cfg.agentId,
    pools,
    limits: { maxDrawdown: cfg.risk.maxDrawdown, maxExposure: cfg.risk.maxExposure, maxIL: cfg.risk.maxIL, stopLoss: cfg.risk.stopLoss, maxPositionSize: cfg.risk.maxPositionSize },
    halt: { flattenHedges: cfg.risk.onHalt.flattenHedges, withdrawLiquidity: cfg.risk.onHalt.withdrawLiquidity, maxCrashes: cfg.risk.crashLoop.maxCrashes, crashWindowMs: cfg.risk.crashLoop.windowMs },
    capitalUsd: cfg.risk.capitalUsd ?? null,
    hedge: { ratio: cfg.risk.hedgeRatio, maxRatio: cfg.risk.maxHedgeRatio, band: cfg.hedge.band, leverage: cfg.hedge.leverage, venue: cfg.hedge.venue,
      pacing: { minIntervalMs: cfg.hedge.minIntervalMs, urgentBand: cfg.hedge.urgentBand, minOrderUsd: cfg.hedge.minOrderUsd }, margin: cfg.hedge.margin,
      ...(cfg.hedge.venues === undefined ? {} : { venues: cfg.hedge.venues }), failoverMs: cfg.hedge.failoverMs, horizonMs: cfg.hedge.horizonMs },
    timeouts: cfg.timeouts,
    gasPollMs: cfg.gasPollMs,
    venueSyncMs: cfg.venueSyncMs,
  };
}
