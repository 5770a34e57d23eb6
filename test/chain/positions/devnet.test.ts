/**
 * The positions adapter on the project devnet (WETH 18 / USDC 6 decimals at ~3000 USDC/ETH,
 * seeded background liquidity): mint, earn fees from swaps, collect exactly what we compute,
 * roll in one transaction, and rediscover the position from Transfer events.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Contract, Wallet, type InterfaceAbi } from 'ethers';
import { useDevnet } from '../../support/devnet.js';
import { PositionManagerClient } from '../../../src/adapters/chain/positions/positionManager.js';
import { principalAmounts } from '../../../src/adapters/chain/positions/positionAmounts.js';
import { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { silentLogger } from './support/positionsDevnet.js';
import { mined } from '../support/mined.js';
import { openPriceLimit } from '../../../src/adapters/chain/swap/exactInQuote.js';

const require = createRequire(import.meta.url);
const SWAP_TEST = require('@uniswap/v4-core/out/PoolSwapTest.sol/PoolSwapTest.json') as { abi: InterfaceAbi };

const devnet = useDevnet({ seed: 3 });

describe('positions on the devnet', () => {
  it('mint, fees, collect, roll and discovery on a seeded WETH/USDC pool', async () => {
    const { manifest, provider } = devnet();
    const pool = manifest.pools[0]!;
    const agent = manifest.accounts.find((a) => a.role === 'agent')!;
    const arb = manifest.accounts.find((a) => a.role === 'arbitrageur')!;
    const sender = new TxSender({ signer: new Wallet(agent.privateKey, provider), provider, logger: silentLogger, config: { receiptTimeoutMs: 20_000, receiptPollMs: 20 } });
    const client = new PositionManagerClient({ positionManager: manifest.contracts.positionManager, stateView: manifest.contracts.stateView, permit2: manifest.contracts.permit2, provider, sender, logger: silentLogger });
    const spacing = pool.key.tickSpacing;
    const price = await client.price(pool.id);
    const mid = Math.floor(price.tick / spacing) * spacing;

    // mint ~1 WETH worth of liquidity from desired amounts; the pool takes exactly our amounts
    const wethIs0 = pool.token0 === 'WETH';
    const m = await client.mint({ poolKey: pool.key, tickLower: mid - 20 * spacing, tickUpper: mid + 20 * spacing, amount0Desired: wethIs0 ? 10n ** 18n : 3000n * 10n ** 6n, amount1Desired: wethIs0 ? 3000n * 10n ** 6n : 10n ** 18n });
    expect(m.flows.paid0).toBe(m.expected.amount0);
    expect(m.flows.paid1).toBe(m.expected.amount1);
    expect(principalAmounts(price, mid - 20 * spacing, mid + 20 * spacing, m.liquidity, true)).toEqual(m.expected);

    // the arbitrageur trades both ways through our range
    const router = new Contract(manifest.contracts.poolSwapTest, SWAP_TEST.abi, new Wallet(arb.privateKey, provider));
    for (const zeroForOne of [true, false, true, false]) {
      const amountIn = (zeroForOne === wethIs0) ? 2n * 10n ** 17n : 600n * 10n ** 6n;
      await mined(router.getFunction('swap')(pool.key, { zeroForOne, amountSpecified: -amountIn, sqrtPriceLimitX96: openPriceLimit(zeroForOne) }, { takeClaims: false, settleUsingBurn: false }, '0x'));
    }
    const pos = await client.read(m.tokenId);
    const fees = await client.uncollectedFees(pos);
    expect(fees.amount0 > 0n && fees.amount1 > 0n).toBe(true);
    const c = await client.collect({ tokenId: m.tokenId });
    expect([c.flows.received0, c.flows.received1]).toEqual([fees.amount0, fees.amount1]);

    // roll up by 10 spacings in one transaction
    const r = await client.roll({ tokenId: m.tokenId, tickLower: mid - 10 * spacing, tickUpper: mid + 30 * spacing });
    const moved = await client.read(r.newTokenId);
    expect(moved).toMatchObject({ tickLower: mid - 10 * spacing, tickUpper: mid + 30 * spacing, liquidity: r.newLiquidity, owner: agent.address });

    const found = await client.positionsOf(agent.address, manifest.deployedAtBlock, 7);
    expect(found.map((p) => p.tokenId)).toEqual([r.newTokenId]);
  });
});
