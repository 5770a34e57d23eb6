/**
 * Swaps through the real Universal Router (the @uniswap/universal-router 2.1.0 artifact, deployed
 * by the devnet with its Permit2, PoolManager and PositionManager) against our exact pool model:
 * every swap must take exactly the input, pay exactly the output and leave exactly the sqrt
 * price the model predicted from StateView reads; a swap whose minimum output is one unit above
 * the prediction is refused with a decoded V4TooLittleReceived before anything is sent; and a
 * roll through OnChainPort re-balances so the new range holds both tokens and nearly all of the
 * old position's value.
 */
import { Contract, Interface, ZeroAddress, type JsonRpcProvider } from 'ethers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../../src/adapters/chain/devnet/artifacts.js';
import type { DevnetManifest, ManifestPool } from '../../../src/adapters/chain/devnet/manifest.js';
import { initializePools, poolKeyTuple } from '../../../src/adapters/chain/devnet/pools.js';
import { OnChainPort, type OnChainPool } from '../../../src/adapters/chain/onchain/onChainPort.js';
import type { PoolKey } from '../../../src/adapters/chain/poolId.js';
import { ensurePermit2Allowance } from '../../../src/adapters/chain/positions/permit2.js';
import { principalAmounts } from '../../../src/adapters/chain/positions/positionAmounts.js';
import { PositionManagerClient } from '../../../src/adapters/chain/positions/positionManager.js';
import { StateViewReader } from '../../../src/adapters/chain/stateView.js';
import { quoteExactIn, quoteOnModel } from '../../../src/adapters/chain/swap/exactInQuote.js';
import { readPoolModel } from '../../../src/adapters/chain/swap/poolModelReader.js';
import { PoolSwapTestSwap } from '../../../src/adapters/chain/swap/poolSwapTestSwap.js';
import { SwapOutputBelowMinimumError } from '../../../src/adapters/chain/swap/swapErrors.js';
import type { SwapRouter } from '../../../src/adapters/chain/swap/swapRouter.js';
import { UniversalRouterSwap } from '../../../src/adapters/chain/swap/universalRouterSwap.js';
import { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { walletFor } from '../../../src/adapters/chain/devnet/wallets.js';
import { createLogger } from '../../../src/logging/logger.js';
import { MAX_TICK, MIN_TICK } from '../../../src/math/tickMath.js';
import { useDevnet } from '../../support/devnet.js';

const log = createLogger({ level: 'silent' });
const devnet = useDevnet({ seed: 5 });
const ERC20 = ['function balanceOf(address) view returns (uint256)'];

interface Trader {
  address: string;
  sender: TxSender;
  router: SwapRouter;
}

let manifest: DevnetManifest;
let provider: JsonRpcProvider;
let pool: ManifestPool;
let key: PoolKey;
let agent: Trader;
/** The arbitrageur account (approved for PoolSwapTest) trading through PoolSwapTest. */
let mover: Trader;

function trader(role: 'agent' | 'arbitrageur', kind: 'universalRouter' | 'poolSwapTest'): Trader {
  const account = manifest.accounts.find((a) => a.role === role)!;
  const sender = new TxSender({ signer: walletFor(account, provider), provider, logger: log, config: { receiptPollMs: 20 } });
  const router: SwapRouter = kind === 'universalRouter'
    ? new UniversalRouterSwap({ address: manifest.contracts.universalRouter!, provider, sender, permit2: manifest.contracts.permit2, log })
    : new PoolSwapTestSwap({ address: manifest.contracts.poolSwapTest, provider, sender, log });
  return { address: account.address, sender, router };
}

beforeAll(async () => {
  ({ manifest, provider } = devnet());
  pool = manifest.pools[0]!; // WETH/USDC fee 500 / spacing 10; USDC is token0
  key = pool.key;
  agent = trader('agent', 'universalRouter');
  mover = trader('arbitrageur', 'poolSwapTest');
  // enough of both tokens for any sequence of the swaps below (MockERC20.mint is open)
  const mint = new Interface(['function mint(address to, uint256 value)']);
  for (const token of [key.currency0, key.currency1]) {
    await agent.sender.send({ to: token, data: mint.encodeFunctionData('mint', [agent.address, 10n ** 40n]), label: 'mint test tokens' });
  }
});

async function balances(owner: string): Promise<[bigint, bigint]> {
  const [a, b] = await Promise.all([key.currency0, key.currency1].map((t) => new Contract(t, ERC20, provider).getFunction('balanceOf')(owner) as Promise<bigint>));
  return [a!, b!];
}

async function sqrtPrice(): Promise<bigint> {
  return (await new StateViewReader(manifest.contracts.stateView, provider).getSlot0(pool.id)).sqrtPriceX96;
}

/** Swaps with the model's predicted output as the minimum and checks the pool did exactly that. */
async function swapMatchesModel(t: Trader, zeroForOne: boolean, amountIn: bigint): Promise<void> {
  const { quote } = await quoteExactIn({ provider, stateView: manifest.contracts.stateView, poolId: pool.id, key, zeroForOne, amountIn });
  const [b0, b1] = await balances(t.address);
  const r = await t.router.swapExactIn({ poolKey: key, zeroForOne, amountIn, amountOutMinimum: quote.amountOut, label: 'test swap' });
  const [a0, a1] = await balances(t.address);
  expect({ amountIn: r.amountIn, amountOut: r.amountOut, sqrtPriceX96: r.sqrtPriceX96After, tick: r.tickAfter })
    .toEqual({ amountIn: quote.amountIn, amountOut: quote.amountOut, sqrtPriceX96: quote.sqrtPriceX96After, tick: quote.tickAfter });
  expect(await sqrtPrice()).toBe(quote.sqrtPriceX96After);
  expect(zeroForOne ? [b0 - a0, a1 - b1] : [b1 - a1, a0 - b0]).toEqual([quote.amountIn, quote.amountOut]);
}

const USDC = 10n ** 6n;
const WETH = 10n ** 18n;

describe('Universal Router swaps on the devnet', () => {
  it('a swap moves the pool exactly as the pool model predicts (amount in, amount out, sqrtPrice), both directions', async () => {
    // USDC -> WETH from 1 USDC to 3M USDC, WETH -> USDC from 0.001 to 1000 WETH: small swaps and
    // swaps that cross several of the seeded bands
    const swap = fc.oneof(
      fc.record({ zeroForOne: fc.constant(true), amountIn: fc.bigInt({ min: USDC, max: 3_000_000n * USDC }) }),
      fc.record({ zeroForOne: fc.constant(false), amountIn: fc.bigInt({ min: WETH / 1000n, max: 1000n * WETH }) }),
    );
    await fc.assert(fc.asyncProperty(swap, async (s) => swapMatchesModel(agent, s.zeroForOne, s.amountIn)), { numRuns: 10 });
  });

  it('a swap past the ticks read is detected, and the widened quote is still exact', async () => {
    const narrow = await readPoolModel({ provider, stateView: manifest.contracts.stateView, poolId: pool.id, key, radiusWords: 0 });
    // 20M USDC moves the price far beyond one bitmap word (2,560 ticks) on this book
    expect(quoteOnModel(narrow, true, 20_000_000n * USDC)).toBeNull();
    await swapMatchesModel(agent, true, 20_000_000n * USDC);
    await swapMatchesModel(agent, false, 6_000n * WETH);
  });

  it('a minimum output one unit above the prediction is refused with a decoded V4TooLittleReceived; nothing is sent', async () => {
    const amountIn = 2_500n * USDC;
    await ensurePermit2Allowance({ sender: agent.sender, provider, token: key.currency0, spender: manifest.contracts.universalRouter!, amount: amountIn, permit2: manifest.contracts.permit2 });
    const { quote } = await quoteExactIn({ provider, stateView: manifest.contracts.stateView, poolId: pool.id, key, zeroForOne: true, amountIn });
    const nonce = await provider.getTransactionCount(agent.address);
    const [b0, b1] = await balances(agent.address);
    const price = await sqrtPrice();
    const err = await agent.router.swapExactIn({ poolKey: key, zeroForOne: true, amountIn, amountOutMinimum: quote.amountOut + 1n, label: 'too greedy' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SwapOutputBelowMinimumError);
    expect(err).toMatchObject({ stage: 'simulation', minimum: quote.amountOut + 1n, received: quote.amountOut });
    expect(await provider.getTransactionCount(agent.address)).toBe(nonce);
    expect(await balances(agent.address)).toEqual([b0, b1]);
    expect(await sqrtPrice()).toBe(price);
  });

  it('PoolSwapTest (the test router) matches the model too and refuses a minimum it would miss', async () => {
    await swapMatchesModel(mover, false, 3n * WETH);
    const { quote } = await quoteExactIn({ provider, stateView: manifest.contracts.stateView, poolId: pool.id, key, zeroForOne: true, amountIn: 9_000n * USDC });
    const nonce = await provider.getTransactionCount(mover.address);
    await expect(mover.router.swapExactIn({ poolKey: key, zeroForOne: true, amountIn: 9_000n * USDC, amountOutMinimum: quote.amountOut + 1n, label: 'too greedy' }))
      .rejects.toMatchObject({ name: 'SwapOutputBelowMinimumError', received: quote.amountOut });
    expect(await provider.getTransactionCount(mover.address)).toBe(nonce);
  });
});

describe('a roll through OnChainPort with the Universal Router', () => {
  it('re-balances: the new range holds both tokens and at least 95% of the old position value', async () => {
    const positions = new PositionManagerClient({ positionManager: manifest.contracts.positionManager, stateView: manifest.contracts.stateView, provider, sender: agent.sender, logger: log });
    const onChainPool: OnChainPool = {
      desc: { poolId: pool.id, asset: 'ETH', assetIsToken0: false, hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 }, fee: key.fee, tickSpacing: key.tickSpacing },
      key,
    };
    const port = new OnChainPort({ provider, positions, owner: agent.address, pools: [onChainPool], fromBlock: 0, log, swap: { router: agent.router, slippageBps: 50 } });
    const spacing = key.tickSpacing;
    const around = (tick: number, half: number): { tickLower: number; tickUpper: number } => {
      const c = Math.floor(tick / spacing) * spacing;
      return { tickLower: c - half * spacing, tickUpper: c + half * spacing };
    };
    const tick0 = (await port.poolSnapshot(pool.id)).tick;
    const minted = await port.mint({ poolId: pool.id, ...around(tick0, 40), amount0Max: 30_000n * USDC, amount1Max: 10n * WETH });
    // the arbitrageur sells WETH until the price leaves the range below: the position holds WETH only
    await mover.router.swapExactIn({ poolKey: key, zeroForOne: false, amountIn: 2_000n * WETH, amountOutMinimum: 0n, label: 'push price' });
    const out = await port.poolSnapshot(pool.id);
    expect(out.tick).toBeGreaterThanOrEqual(minted.position.tickUpper);
    const view = await positions.read(BigInt(minted.position.tokenId));
    const fees = await positions.uncollectedFees(view);
    const old = principalAmounts(await positions.price(pool.id), view.tickLower, view.tickUpper, view.liquidity, false);
    expect(old.amount0).toBe(0n);

    const rolled = await port.roll({ poolId: pool.id, tokenId: minted.position.tokenId, ...around(out.tick, 40) });

    expect(rolled.amount0).toBeGreaterThan(0n);
    expect(rolled.amount1).toBeGreaterThan(0n);
    // valued at the price before the roll: the swap's fee and price impact count against it
    const p = (Number(out.sqrtPriceX96) / 2 ** 96) ** 2; // raw token1 per raw token0
    const value = (a0: bigint, a1: bigint): number => Number(a0) * p + Number(a1);
    const oldValue = value(old.amount0 + fees.amount0, old.amount1 + fees.amount1);
    const deployed = value(rolled.amount0, rolled.amount1);
    const idle = value(rolled.returned0, rolled.returned1);
    expect(deployed / oldValue).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(idle) / oldValue).toBeLessThanOrEqual(0.05);
  });
});

describe('a native ETH pool (currency0 = address(0))', () => {
  it('the Universal Router takes ETH as the call value and pays ETH out; amounts and price are the model\'s', async () => {
    const deployer = walletFor(manifest.accounts.find((a) => a.role === 'deployer')!, provider);
    const lp = walletFor(manifest.accounts.find((a) => a.role === 'liquidity')!, provider); // USDC approved for PoolModifyLiquidityTest
    const [ethUsdc] = await initializePools(deployer, manifest.contracts.poolManager, { address: ZeroAddress, symbol: 'ETH', decimals: 18 }, manifest.contracts.tokens['USDC']!, 3000, [{ fee: 3000, tickSpacing: 60 }]);
    const native = ethUsdc!;
    expect(native.key.currency0).toBe(ZeroAddress);
    // full-range liquidity, about 90 ETH and 270,000 USDC; the test router refunds unused ETH
    const liq = new Interface(loadArtifact('PoolModifyLiquidityTest').abi);
    const full = { tickLower: Math.ceil(MIN_TICK / 60) * 60, tickUpper: Math.floor(MAX_TICK / 60) * 60, liquidityDelta: 5n * 10n ** 15n, salt: '0x' + '00'.repeat(32) };
    await new TxSender({ signer: lp, provider, logger: log, config: { receiptPollMs: 20 } }).send({
      to: manifest.contracts.poolModifyLiquidityTest,
      data: liq.encodeFunctionData('modifyLiquidity((address,address,uint24,int24,address),(int24,int24,int256,bytes32),bytes)', [poolKeyTuple(native.key), full, '0x']),
      value: 100n * WETH,
      label: 'full-range liquidity',
    });
    const stateView = manifest.contracts.stateView;
    const sv = new StateViewReader(stateView, provider);
    for (const [zeroForOne, amountIn] of [[true, 2n * WETH], [false, 5_000n * USDC], [true, WETH / 3n]] as const) {
      const { quote } = await quoteExactIn({ provider, stateView, poolId: native.id, key: native.key, zeroForOne, amountIn });
      const r = await agent.router.swapExactIn({ poolKey: native.key, zeroForOne, amountIn, amountOutMinimum: quote.amountOut, label: 'native swap' });
      expect({ amountIn: r.amountIn, amountOut: r.amountOut, sqrtPriceX96: r.sqrtPriceX96After }).toEqual({ amountIn: quote.amountIn, amountOut: quote.amountOut, sqrtPriceX96: quote.sqrtPriceX96After });
      expect((await sv.getSlot0(native.id)).sqrtPriceX96).toBe(quote.sqrtPriceX96After);
      // the router keeps nothing
      expect(await provider.getBalance(manifest.contracts.universalRouter!)).toBe(0n);
    }
  });
});
