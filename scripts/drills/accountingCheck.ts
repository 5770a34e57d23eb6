/**
 * The books-match-the-wallet check. What a correct agent must satisfy at any quiet moment after
 * its start-up reconciliation, per pool token:
 *
 *   Σ pools (held − fromFloat + principal of the position it manages)  =  wallet − unmanaged + Σ principal of its live positions on chain
 *
 * (`fromFloat`: what a pool's sagas paid in beyond its books, taken from the wallet's float and
 * recorded so instead of taking `held` below zero; see poolBooks.ts)
 * where `unmanaged` = the wallet's balance before the agent's first start less its deposits (the
 * rest of the wallet is not the agent's to count), and both principals are computed at the same
 * block's pool price, so only `held` against the wallet and the managed position against the
 * chain's positions can differ. Uncollected fees are on neither side (the agent counts them
 * apart). Also checked from the chain: exactly one live position per pool, and the one the agent
 * manages is that one (anything else is stranded liquidity).
 *
 * A sample is taken only between the agent's transactions (its nonce equal before and after the
 * reads); a mismatching sample is taken again, `attempts` times, since the agent may be between a
 * mined transaction and its bookkeeping. A mismatch in every sample is a failure.
 */
import { getAddress, type Provider } from 'ethers';
import type { ChainHoldings, ChainReader } from './chainHoldings.js';
import { poolTokens, principalByToken, readChainHoldings } from './chainHoldings.js';
import { fetchAgentState, type AgentState } from './agentState.js';
import type { DrillPool } from './drillSetup.js';

export interface AccountingSample {
  block: number;
  /** agent − chain, raw units, per token symbol. */
  diff: Record<string, bigint>;
  /** Per pool: live positions on chain (liquidity > 0). */
  live: Record<string, number>;
  /** Pool ids whose managed position is not the chain's single live one (id or liquidity). */
  positionMismatch: string[];
  /** Live positions the agent does not manage. */
  stranded: string[];
  ok: boolean;
  state: AgentState;
  chain: ChainHoldings;
}

export interface AccountingContext {
  reader: ChainReader & { provider: Provider };
  /** Wallet balance before the agent's first start less the deposits, per token address. */
  unmanaged: Record<string, bigint>;
  stateUrl: string;
  pools: DrillPool[];
}

function symbolOf(pools: DrillPool[], token: string): string {
  const p = pools.find((x) => getAddress(x.token0.address) === token || getAddress(x.token1.address) === token)!;
  return getAddress(p.token0.address) === token ? p.token0.symbol : p.token1.symbol;
}

/** Compares one agent state with the chain at one block (see the module comment). */
export function compare(ctx: AccountingContext, state: AgentState, chain: ChainHoldings): AccountingSample {
  const tokens = poolTokens(ctx.pools);
  const agent: Record<string, bigint> = {};
  const truth: Record<string, bigint> = {};
  for (const t of tokens) {
    agent[t] = 0n;
    truth[t] = chain.wallet[t]! - ctx.unmanaged[t]!;
  }
  const live: Record<string, number> = {};
  const positionMismatch: string[] = [];
  const stranded: string[] = [];
  for (const pool of ctx.pools) {
    const price = chain.prices[pool.poolId]!;
    const s = state.positions.find((p) => p.poolId.toLowerCase() === pool.poolId.toLowerCase());
    const t0 = getAddress(pool.token0.address);
    const t1 = getAddress(pool.token1.address);
    if (s !== undefined) {
      // the strategy's own tokens outside its position: held less what its sagas took from the wallet's float
      agent[t0]! += BigInt(s.held.amount0) - BigInt(s.fromFloat?.amount0 ?? '0');
      agent[t1]! += BigInt(s.held.amount1) - BigInt(s.fromFloat?.amount1 ?? '0');
      if (s.position !== null) {
        const a = principalByToken(pool, price, s.position.tickLower, s.position.tickUpper, BigInt(s.position.liquidity));
        agent[t0]! += a[t0]!;
        agent[t1]! += a[t1]!;
      }
    }
    const onChain = chain.positions.filter((p) => p.poolId.toLowerCase() === pool.poolId.toLowerCase() && p.liquidity > 0n);
    live[pool.poolId] = onChain.length;
    for (const p of onChain) {
      const a = principalByToken(pool, price, p.tickLower, p.tickUpper, p.liquidity);
      truth[t0]! += a[t0]!;
      truth[t1]! += a[t1]!;
      if (p.tokenId !== s?.position?.tokenId) stranded.push(p.tokenId);
    }
    const managed = s?.position ?? null;
    const single = onChain.length === 1 ? onChain[0]! : null;
    if (managed === null ? onChain.length > 0 : single === null || single.tokenId !== managed.tokenId || single.liquidity !== BigInt(managed.liquidity)) {
      positionMismatch.push(pool.poolId);
    }
  }
  const diff: Record<string, bigint> = {};
  for (const t of tokens) diff[symbolOf(ctx.pools, t)] = agent[t]! - truth[t]!;
  const ok = Object.values(diff).every((d) => d === 0n) && positionMismatch.length === 0;
  return { block: chain.block, diff, live, positionMismatch, stranded, ok, state, chain };
}

/** Samples until the books match the chain or `attempts` samples all mismatched; returns the last sample. */
export async function checkAccounting(ctx: AccountingContext, attempts = 6, spacingMs = 1_000): Promise<AccountingSample> {
  const { provider, owner } = ctx.reader;
  let last: AccountingSample | undefined;
  let samples = 0;
  for (let tries = 0; samples < attempts && tries < attempts * 3; tries++) {
    if (tries > 0) await new Promise((r) => setTimeout(r, spacingMs));
    const nonce0 = await provider.getTransactionCount(owner, 'latest');
    const state = await fetchAgentState(ctx.stateUrl);
    const block = await provider.getBlockNumber();
    const nonce1 = await provider.getTransactionCount(owner, block);
    // an agent transaction mined during the reads, or a pool not reconciled yet: not a quiet moment
    if (nonce1 !== nonce0 || state.positions.some((p) => p.status === 'starting')) continue;
    samples += 1;
    last = compare(ctx, state, await readChainHoldings(ctx.reader, block));
    if (last.ok) return last;
  }
  if (last === undefined) throw new Error(`no quiet moment to compare the agent's books with the chain in ${attempts * 3} tries`);
  return last;
}
