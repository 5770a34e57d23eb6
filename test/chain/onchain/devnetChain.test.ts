/**
 * The devnet chain's reads see a transaction as soon as it is mined: the block number, a native
 * balance and a pool snapshot read right after another account's swap show the swap (ethers'
 * default 250 ms response cache would answer the block number and balance from before it, and
 * hold a receipt poll's "not yet" for as long).
 */
import { ZeroAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { walletFor } from '../../../src/adapters/chain/devnet/wallets.js';
import { connectDevnetChain } from '../../../src/adapters/chain/onchain/devnetChain.js';
import { PoolSwapTestSwap } from '../../../src/adapters/chain/swap/poolSwapTestSwap.js';
import { getTokenBalance } from '../../../src/adapters/chain/tokens.js';
import { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { createLogger } from '../../../src/logging/logger.js';
import { useDevnet } from '../../support/devnet.js';

const devnet = useDevnet({ seed: 19 });

describe('connectDevnetChain', () => {
  it('reads the state a swap just left, not a cached read from before it', async () => {
    const { manifest, provider: other } = devnet();
    const log = createLogger({ level: 'silent' });
    const chain = await connectDevnetChain(manifest, log);
    try {
      const pool = manifest.pools[0]!;
      const arb = manifest.accounts.find((a) => a.role === 'arbitrageur')!;
      const usdc = manifest.contracts.tokens.USDC!.address;
      const trader = new PoolSwapTestSwap({ address: manifest.contracts.poolSwapTest, provider: other, sender: new TxSender({ signer: walletFor(arb, other), provider: other, logger: log, config: { receiptPollMs: 5 } }), log });
      const usdcIn = pool.key.currency0.toLowerCase() === usdc.toLowerCase();
      const read = (): Promise<[number, bigint, bigint, bigint]> => Promise.all([
        chain.provider.getBlockNumber(), getTokenBalance(chain.provider, ZeroAddress, arb.address), getTokenBalance(chain.provider, usdc, arb.address),
        chain.port.poolSnapshot(pool.id).then((s) => s.sqrtPriceX96),
      ]);
      for (let i = 0; i < 3; i++) {
        const [block0, eth0, usdc0, price0] = await read();
        const swap = await trader.swapExactIn({ poolKey: pool.key, zeroForOne: usdcIn, amountIn: 1_000n * 10n ** 6n, amountOutMinimum: 0n, label: 'move' });
        const [block1, eth1, usdc1, price1] = await read();
        expect(block1).toBe(swap.tx.blockNumber);
        expect(block1).toBeGreaterThan(block0);
        expect(eth0 - eth1).toBe(swap.tx.gasUsed * swap.tx.effectiveGasPrice);
        expect(usdc0 - usdc1).toBe(swap.amountIn);
        expect(price0).not.toBe(swap.sqrtPriceX96After);
        expect(price1).toBe(swap.sqrtPriceX96After);
      }
    } finally {
      await chain.close();
    }
  });
});
