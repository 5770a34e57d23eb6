/**
 * What the chain says the agent has, read at one block: its wallet's balance of each pool token,
 * every PositionManager position it owns (found by replaying NFT transfers) with pool, range and
 * liquidity, and each pool's price. Nothing here comes from the agent.
 */
import { Contract, getAddress, parseUnits, type Provider } from 'ethers';
import { POSITION_MANAGER_ABI, decodePositionInfo, findOwnedTokenIds, poolIdMatchesPrefix, principalAmounts, type PoolPrice } from '../../src/adapters/chain/positions/index.js';
import { StateViewReader } from '../../src/adapters/chain/stateView.js';
import { getTokenBalance } from '../../src/adapters/chain/tokens.js';
import type { DrillPool } from './drillSetup.js';

export interface ChainPosition {
  tokenId: string;
  poolId: string;
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
}

export interface ChainHoldings {
  block: number;
  /** Wallet balance per token address (checksummed), raw units. */
  wallet: Record<string, bigint>;
  /** Every position the agent owns, any liquidity. */
  positions: ChainPosition[];
  /** Price per pool id. */
  prices: Record<string, PoolPrice>;
}

export interface ChainReader {
  provider: Provider;
  positionManager: string;
  stateView: string;
  owner: string;
  fromBlock: number;
  pools: DrillPool[];
}

/** The pools' distinct token addresses (checksummed). */
export function poolTokens(pools: DrillPool[]): string[] {
  return [...new Set(pools.flatMap((p) => [getAddress(p.token0.address), getAddress(p.token1.address)]))];
}

/** Reads the agent's wallet, positions and the pools' prices at `block` (default: latest). */
export async function readChainHoldings(r: ChainReader, block?: number): Promise<ChainHoldings> {
  const at = block ?? (await r.provider.getBlockNumber());
  const pm = new Contract(r.positionManager, POSITION_MANAGER_ABI, r.provider);
  const sv = new StateViewReader(r.stateView, r.provider);
  const tokens = poolTokens(r.pools);
  const [balances, scan, slots] = await Promise.all([
    Promise.all(tokens.map((t) => getTokenBalance(r.provider, t, r.owner, at))),
    findOwnedTokenIds({ provider: r.provider, positionManager: r.positionManager, owner: r.owner, fromBlock: r.fromBlock, toBlock: at }),
    Promise.all(r.pools.map((p) => sv.getSlot0(p.poolId, { blockTag: at }))),
  ]);
  const positions = await Promise.all(scan.tokenIds.map(async (id): Promise<ChainPosition> => {
    const [[, info], liquidity] = await Promise.all([
      pm.getFunction('getPoolAndPositionInfo')(id, { blockTag: at }) as Promise<[unknown, bigint]>,
      pm.getFunction('getPositionLiquidity')(id, { blockTag: at }) as Promise<bigint>,
    ]);
    const f = decodePositionInfo(info);
    const pool = r.pools.find((p) => poolIdMatchesPrefix(p.poolId, f.poolIdPrefix));
    return { tokenId: id.toString(), poolId: pool?.poolId ?? f.poolIdPrefix, tickLower: f.tickLower, tickUpper: f.tickUpper, liquidity };
  }));
  const wallet: Record<string, bigint> = {};
  tokens.forEach((t, i) => (wallet[t] = balances[i]!));
  const prices: Record<string, PoolPrice> = {};
  r.pools.forEach((p, i) => (prices[p.poolId] = { sqrtPriceX96: slots[i]!.sqrtPriceX96, tick: slots[i]!.tick }));
  return { block: at, wallet, positions, prices };
}

/** Token amounts of `liquidity` on a range at `price`, per token address: what a withdrawal would pay. */
export function principalByToken(pool: DrillPool, price: PoolPrice, tickLower: number, tickUpper: number, liquidity: bigint): Record<string, bigint> {
  const a = principalAmounts(price, tickLower, tickUpper, liquidity, false);
  return { [getAddress(pool.token0.address)]: a.amount0, [getAddress(pool.token1.address)]: a.amount1 };
}

/**
 * What of the wallet is not the agent's to count, per token address: its balance now (before the
 * agent's first start) less the pools' deposits.
 */
export async function unmanagedBalances(r: ChainReader): Promise<Record<string, bigint>> {
  const before = await readChainHoldings(r);
  const unmanaged: Record<string, bigint> = {};
  for (const t of poolTokens(r.pools)) {
    let deposits = 0n;
    for (const p of r.pools) {
      if (getAddress(p.token0.address) === t) deposits += parseUnits(p.deposit.amount0, p.token0.decimals);
      if (getAddress(p.token1.address) === t) deposits += parseUnits(p.deposit.amount1, p.token1.decimals);
    }
    unmanaged[t] = before.wallet[t]! - deposits;
  }
  return unmanaged;
}
