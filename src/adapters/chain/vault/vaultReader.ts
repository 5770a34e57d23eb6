/**
 * What the API answers about the vault: a depositor's portfolio (shares, their value at the
 * vault's reference price, share of the vault, performance since entry, the next withdrawal
 * window) and the vault's status (total value, position, realized APY, Sharpe and largest
 * drawdown of the share price). Shares, values and the position are read from the chain at one
 * block; deposits, withdrawals and entry dates from the ledger the vault's events built.
 */
import type { Contract, Provider } from 'ethers';
import { equityStats } from '../../../api/vault/equityStats.js';
import type { VaultReader } from '../../../api/routes/apiSources.js';
import type { VaultLedger } from './vaultLedger.js';

const YEAR_MS = 365 * 86_400_000;
/** Below this much history a return is not annualized (it would say nothing). */
const MIN_ANNUALIZE_MS = 3_600_000;

export interface VaultReaderOptions {
  provider: Provider;
  vault: Contract;
  ledger: VaultLedger;
  quoteDecimals: number;
  /** USD per whole quote token. */
  quotePriceUsd: number;
  now: () => number;
  /** The vault's position as the chain has it at `blockTag` (VaultChainPort.vaultPosition). */
  position: (blockTag: number) => Promise<{ tokenId: string; tickLower: number; tickUpper: number; liquidity: bigint } | null>;
}

const annualized = (r: number, ms: number): number | null => (ms >= MIN_ANNUALIZE_MS && r > -1 ? Math.pow(1 + r, YEAR_MS / ms) - 1 : null);

export function vaultReader(o: VaultReaderOptions): Required<VaultReader> {
  const usd = (raw: bigint): number => (Number(raw) / Math.pow(10, o.quoteDecimals)) * o.quotePriceUsd;
  const at = async (): Promise<number> => o.provider.getBlockNumber();
  const call = <T>(name: string, blockTag: number, ...args: unknown[]): Promise<T> => o.vault.getFunction(name)(...args, { blockTag }) as Promise<T>;
  return {
    async portfolio(address) {
      const block = await at();
      const [shares, supply, totalAssets] = await Promise.all([call<bigint>('balanceOf', block, address), call<bigint>('totalSupply', block), call<bigint>('totalAssets', block)]);
      const u = o.ledger.user(address);
      if (shares === 0n && u === null) return null;
      const [value, withdrawable] = await Promise.all([call<bigint>('convertToAssets', block, shares), call<bigint>('previewRedeem', block, shares)]);
      const deposited = BigInt(u?.deposited ?? '0');
      const withdrawn = BigInt(u?.withdrawn ?? '0');
      const totalReturn = deposited > 0n ? Number(value + withdrawn - deposited) / Number(deposited) : null;
      const since = u?.firstAt ?? null;
      return {
        address,
        blockNumber: block,
        balance: {
          shares: shares.toString(),
          valueUSD: usd(value),
          percentage: supply > 0n ? (Number(shares) / Number(supply)) * 100 : 0,
          value: value.toString(),
          withdrawableNow: withdrawable.toString(),
          totalSupply: supply.toString(),
          totalAssets: totalAssets.toString(),
        },
        performance: {
          totalReturn,
          apy: totalReturn === null || since === null ? null : annualized(totalReturn, o.now() - since),
          since,
          deposited: deposited.toString(),
          withdrawn: withdrawn.toString(),
        },
        // withdrawals are instant (idle quote first, then liquidity pulled pro rata): the window is open now
        nextWithdrawalWindow: o.now(),
        withdrawals: 'instant',
      };
    },
    async status() {
      const block = await at();
      const [totalAssets, supply, sharePrice, position] = await Promise.all([
        call<bigint>('totalAssets', block), call<bigint>('totalSupply', block), call<bigint>('sharePrice', block), o.position(block),
      ]);
      const curve = o.ledger.state.sharePrice.map((p) => ({ at: p.at, equityUsd: Number(BigInt(p.price)) }));
      const stats = equityStats(curve);
      const t = o.ledger.state.totals;
      return {
        blockNumber: block,
        totalValueUsd: usd(totalAssets),
        totalAssets: totalAssets.toString(),
        totalSupply: supply.toString(),
        sharePrice: sharePrice.toString(),
        position: position === null ? null : { ...position, liquidity: position.liquidity.toString() },
        apy: stats.periodReturn === null || stats.fromMs === null || stats.toMs === null ? null : annualized(stats.periodReturn, stats.toMs - stats.fromMs),
        sharpe: stats.sharpe,
        maxDrawdown: stats.maxDrawdown,
        periodReturn: stats.periodReturn,
        sharePricePoints: stats.points,
        since: stats.fromMs,
        totals: { ...t },
      };
    },
  };
}
