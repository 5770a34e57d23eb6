/**
 * Gives the devnet's accounts test tokens and the approvals their role needs: background LPs
 * approve PoolModifyLiquidityTest, the arbitrageur and noise traders approve PoolSwapTest. The
 * agent account only gets tokens: approving Permit2/PositionManager is the agent's own job.
 */
import { Contract, MaxUint256, parseUnits, type JsonRpcProvider } from 'ethers';
import { loadArtifact } from './artifacts.js';
import type { AccountRole, ManifestAccount, TokenInfo } from './manifest.js';
import { confirmTx } from './setupTx.js';
import { walletFor } from './wallets.js';

/** Whole-token balances each role receives, in base (WETH) and quote (USDC) units. */
export const ROLE_BALANCES: Record<AccountRole, { base: string; quote: string }> = {
  deployer: { base: '1000', quote: '3000000' },
  agent: { base: '10000', quote: '30000000' },
  liquidity: { base: '100000', quote: '300000000' },
  arbitrageur: { base: '1000000', quote: '3000000000' },
  noise: { base: '100000', quote: '300000000' },
};

/** Mints role balances of both tokens to every account and sets role approvals. */
export async function fundAccounts(
  provider: JsonRpcProvider,
  accounts: readonly ManifestAccount[],
  base: TokenInfo,
  quote: TokenInfo,
  routers: { poolSwapTest: string; poolModifyLiquidityTest: string },
): Promise<void> {
  const erc20 = loadArtifact('MockERC20').abi;
  await Promise.all(
    accounts.map(async (account) => {
      const wallet = walletFor(account, provider);
      const amounts = ROLE_BALANCES[account.role];
      for (const [token, whole] of [[base, amounts.base], [quote, amounts.quote]] as const) {
        const c = new Contract(token.address, erc20, wallet);
        // MockERC20.mint is open to anyone: each account mints its own balance.
        await confirmTx(`mint ${token.symbol} to ${account.role} ${account.address}`, c.getFunction('mint')(account.address, parseUnits(whole, token.decimals)));
        const spender = account.role === 'liquidity' ? routers.poolModifyLiquidityTest : account.role === 'arbitrageur' || account.role === 'noise' ? routers.poolSwapTest : undefined;
        if (spender !== undefined) await confirmTx(`approve ${token.symbol} for ${account.role} ${account.address}`, c.getFunction('approve')(spender, MaxUint256));
      }
    }),
  );
}
