/**
 * The backtester's fees against the real PoolManager, to the wei. One pool of the devnet (anvil,
 * the real v4 contracts, a seeded liquidity book) is read from chain into the backtester's chain
 * port (the simulated chain over the exact pool model, as a replayed market holds it, behind the
 * RecordingChain the agent sees in a backtest). Our position is minted through that port, and the
 * same position (range and liquidity) on chain; then one sequence of swaps — both directions,
 * exact input and exact output, some crossing the book's initialized ticks, some stopped by a
 * price limit — moves the port's pool (as a market step does) and is executed on the PoolManager.
 * The fees the port owes our position must equal what the chain pays it when it is poked, in both
 * tokens, to the wei.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolDescriptor } from '../../src/actors/ports.js';
import { readPoolModel } from '../../src/adapters/chain/swap/poolModelReader.js';
import { PoolValuation } from '../../src/backtest/poolValuation.js';
import { RecordingChain } from '../../src/backtest/recordingChain.js';
import type { SwapParams } from '../../src/math/pool/index.js';
import { MAX_SQRT_PRICE, MIN_SQRT_PRICE, getSqrtPriceAtTick } from '../../src/math/tickMath.js';
import { SimulatedChain } from '../../src/sim/simulatedChain.js';
import { DifferentialRig } from '../chain/support/differentialRig.js';
import { mined } from '../chain/support/mined.js';
import { useDevnet } from '../support/devnet.js';

const MODIFY = 'modifyLiquidity((address,address,uint24,int24,address),(int24,int24,int256,bytes32),bytes)';
const OURS = `0x${'0e'.repeat(32)}`;
const SWAPS = 24;

const devnet = useDevnet({ seed: 17 });
let rig: DifferentialRig;

beforeAll(async () => {
  const { currency0, currency1 } = devnet().manifest.pools[0]!.key;
  rig = await DifferentialRig.build(devnet(), [currency0, currency1]);
});

const Q96 = 1n << 96n;

/** One swap of the sequence: sized to move the price about `moveTicks` at the liquidity in range (more or less where it crosses ticks). */
const swapArb = fc.record({
  zeroForOne: fc.boolean(),
  exactInput: fc.boolean(),
  moveTicks: fc.constantFrom(2, 8, 30, 120),
  /** Ticks to the price limit (0: no limit). */
  limitTicks: fc.constantFrom(0, 0, 0, 15, 60),
});

/** The input (or output) amount that moves the price from `s` to `t` at liquidity L, raw units. */
function amountFor(zeroForOne: boolean, exactInput: boolean, L: bigint, s: bigint, t: bigint): bigint {
  const d1 = (L * (s > t ? s - t : t - s)) / Q96;
  const d0 = (L * Q96 * (s > t ? s - t : t - s)) / (s * t);
  // price down: token0 in, token1 out; price up: token1 in, token0 out
  return (zeroForOne ? (exactInput ? d0 : d1) : (exactInput ? d1 : d0)) + 1n;
}

describe('fees in the backtester\'s chain port equal the PoolManager\'s, to the wei (devnet)', () => {
  it('one swap sequence, the same position on both: the same fees in both tokens', async () => {
    const { manifest, provider } = devnet();
    const mp = manifest.pools[0]!;
    const key = mp.key;
    const read = await readPoolModel({ provider, stateView: manifest.contracts.stateView, poolId: mp.id, key, radiusWords: 1 << 16 });
    expect(read.complete).toBe(true);
    const desc: PoolDescriptor = {
      poolId: mp.id, asset: 'ETH', assetIsToken0: mp.token0 === 'WETH', hedgeSymbol: 'ETH/USDT:USDT',
      token0: { symbol: mp.token0, decimals: mp.token0 === 'USDC' ? 6 : 18 }, token1: { symbol: mp.token1, decimals: mp.token1 === 'USDC' ? 6 : 18 },
      fee: key.fee, tickSpacing: key.tickSpacing,
    };
    const sim = new SimulatedChain({ pools: [{ ...desc, price: 1, model: read.pool }], balances: { [mp.token0]: 10n ** 40n, [mp.token1]: 10n ** 40n }, now: () => 0 });
    const port = new RecordingChain(sim, new PoolValuation(desc), () => 0, () => 0);

    // our position, ±20 spacings around the price, through the port; the same range and liquidity on chain
    const start = sim.poolModel(mp.id).getSlot0();
    const spacing = key.tickSpacing;
    const tickLower = Math.floor(start.tick / spacing) * spacing - 20 * spacing;
    const tickUpper = tickLower + 40 * spacing;
    const L0 = sim.poolModel(mp.id).getLiquidity();
    // a quarter of the liquidity in range: our share of each swap's fee is diluted by the book's
    const want = L0 / 4n;
    const [sL, sP, sU] = [getSqrtPriceAtTick(tickLower), start.sqrtPriceX96, getSqrtPriceAtTick(tickUpper)];
    const minted = await port.mint({ poolId: mp.id, tickLower, tickUpper, amount0Max: (want * Q96 * (sU - sP)) / (sP * sU) + 1n, amount1Max: (want * (sP - sL)) / Q96 + 1n });
    const ours = minted.position;
    expect(ours.liquidity).toBeGreaterThan(0n);
    await mined(rig.liqRouter.getFunction(MODIFY)(key, { tickLower, tickUpper, liquidityDelta: ours.liquidity, salt: OURS }, '0x'));

    const specs = fc.sample(fc.array(swapArb, { minLength: SWAPS, maxLength: SWAPS }), { seed: 20261206, numRuns: 1 })[0]!;
    let crossed = 0;
    for (const s of specs) {
      const model = sim.poolModel(mp.id);
      const { tick } = model.getSlot0();
      const L = model.getLiquidity();
      const sqrt = model.getSlot0().sqrtPriceX96;
      const amount = amountFor(s.zeroForOne, s.exactInput, L, sqrt, getSqrtPriceAtTick(s.zeroForOne ? tick - s.moveTicks : tick + s.moveTicks));
      const limit = s.limitTicks === 0
        ? (s.zeroForOne ? MIN_SQRT_PRICE + 1n : MAX_SQRT_PRICE - 1n)
        : getSqrtPriceAtTick(s.zeroForOne ? tick - s.limitTicks : tick + s.limitTicks);
      const params: SwapParams = { zeroForOne: s.zeroForOne, amountSpecified: s.exactInput ? -amount : amount, sqrtPriceLimitX96: limit };
      // the port's pool moves as a market step moves it; the chain swaps through PoolSwapTest
      sim.drive(mp.id, (m) => { m.swap(params); });
      await mined(rig.swapRouter.getFunction('swap')(key, params, { takeClaims: false, settleUsingBurn: false }, '0x'));
      if (sim.poolModel(mp.id).getLiquidity() !== L) crossed++;
    }
    expect(crossed, 'swaps that crossed an initialized tick').toBeGreaterThan(0);
    // the chain's pool ended where the port's did
    const onChain = await rig.stateView.getSlot0(mp.id);
    expect(onChain.sqrtPriceX96).toBe(sim.poolModel(mp.id).getSlot0().sqrtPriceX96);

    const owed = await port.positionFees(ours);
    const [b0, b1] = await rig.balances();
    await mined(rig.liqRouter.getFunction(MODIFY)(key, { tickLower, tickUpper, liquidityDelta: 0n, salt: OURS }, '0x'));
    const [a0, a1] = await rig.balances();
    const paid = { fees0: a0 - b0, fees1: a1 - b1 };
    console.log(`devnet fees, ${SWAPS} swaps (${crossed} crossing ticks), L ours ${ours.liquidity} of ${L0 + ours.liquidity}: chain paid ${paid.fees0} / ${paid.fees1}, the port owed ${owed.fees0} / ${owed.fees1}`);
    expect(paid.fees0 > 0n && paid.fees1 > 0n, 'the sequence paid fees in both tokens').toBe(true);
    expect(owed).toEqual(paid);
  });
});
