import { Contract, ZeroAddress, zeroPadValue } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownPoolError } from '../../../src/adapters/chain/errors.js';
import { StateViewReader } from '../../../src/adapters/chain/stateView.js';
import { getTokenBalance, getTokenMetadata } from '../../../src/adapters/chain/tokens.js';
import { startAnvil, type TestAnvil } from '../support/anvil.js';
import { Q96, deployV4Pool, type V4Pool } from '../support/v4Pool.js';

let anvil: TestAnvil;
let pool: V4Pool;
let reader: StateViewReader;

beforeAll(async () => {
  anvil = await startAnvil();
  pool = await deployV4Pool(anvil.rpcUrl);
  reader = new StateViewReader(pool.stateView, pool.provider);
});
afterAll(async () => {
  pool?.destroy();
  await anvil?.stop();
});

describe('StateView reads against the real v4 contracts', () => {
  it('reads slot0 and liquidity of a fresh pool, and rejects an unknown pool id', async () => {
    const s = await reader.getSlot0(pool.poolId);
    expect(s).toEqual({ sqrtPriceX96: Q96, tick: 0, protocolFee: 0, lpFee: 3000 });
    expect(await reader.getLiquidity(pool.poolId)).toBe(pool.liquidity);
    const unknown = '0x' + '12'.repeat(32);
    await expect(reader.getSlot0(unknown)).rejects.toThrow(UnknownPoolError);
    await expect(reader.getSlot0(unknown)).rejects.toMatchObject({ poolId: unknown });
  });

  it('reads tick info, the tick bitmap, fee growth and the router position, consistent with each other after swaps', async () => {
    const lower = await reader.getTickInfo(pool.poolId, -600);
    const upper = await reader.getTickInfo(pool.poolId, 600);
    expect(lower.liquidityGross).toBe(pool.liquidity);
    expect(lower.liquidityNet).toBe(pool.liquidity);
    expect(upper.liquidityNet).toBe(-pool.liquidity);
    expect((await reader.getTickInfo(pool.poolId, 60)).liquidityGross).toBe(0n);
    // tick spacing 60: tick -600 is bit 246 of word -1, tick 600 bit 10 of word 0; nothing else is initialized
    expect(await reader.getTickBitmap(pool.poolId, -1)).toBe(1n << 246n);
    expect(await reader.getTickBitmap(pool.poolId, 0)).toBe(1n << 10n);
    expect(await reader.getTickBitmap(pool.poolId, 1)).toBe(0n);

    const before = await reader.getFeeGrowthGlobals(pool.poolId);
    expect(before).toEqual({ feeGrowth0X128: 0n, feeGrowth1X128: 0n });
    const amountIn = 10n ** 18n;
    const { blockNumber } = await pool.swap(true, amountIn);
    await pool.swap(false, amountIn);
    const g = await reader.getFeeGrowthGlobals(pool.poolId);
    // fee 0.3% of the input, in Q128 per unit of liquidity, rounded down by the pool.
    const expected0 = ((amountIn * 3000n) / 1_000_000n << 128n) / pool.liquidity;
    expect(g.feeGrowth0X128 <= expected0 && g.feeGrowth0X128 >= expected0 - (2n << 128n) / pool.liquidity).toBe(true);
    expect(g.feeGrowth1X128 > 0n).toBe(true);
    // The whole range [-600, 600] holds the price, so fee growth inside equals the globals.
    expect(await reader.getFeeGrowthInside(pool.poolId, -600, 600)).toEqual(g);
    const pos = await reader.getPositionInfo(pool.poolId, pool.liquidityRouter, -600, 600, zeroPadValue('0x', 32));
    expect(pos).toEqual({ liquidity: pool.liquidity, feeGrowthInside0LastX128: 0n, feeGrowthInside1LastX128: 0n });
    // Reads at a past block see the state of that block.
    expect((await reader.getFeeGrowthGlobals(pool.poolId, { blockTag: blockNumber - 1 })).feeGrowth0X128).toBe(0n);
    expect((await reader.getSlot0(pool.poolId, { blockTag: blockNumber })).tick < 0).toBe(true);
  });

  it('reads token metadata and balances (ERC-20 and native)', async () => {
    expect(await getTokenMetadata(pool.provider, pool.token0.address)).toEqual({ ...pool.token0, name: pool.token0.symbol === 'WETH' ? 'Wrapped Ether' : 'USD Coin' });
    expect((await getTokenMetadata(pool.provider, ZeroAddress)).decimals).toBe(18);
    const me = await pool.signer.getAddress();
    const erc20 = new Contract(pool.token1.address, ['function balanceOf(address) view returns (uint256)'], pool.provider);
    expect(await getTokenBalance(pool.provider, pool.token1.address, me)).toBe(await erc20.getFunction('balanceOf')(me));
    expect(await getTokenBalance(pool.provider, ZeroAddress, me)).toBe(await pool.provider.getBalance(me));
  });
});
