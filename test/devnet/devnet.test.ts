import { createServer, type Server } from 'node:net';
import { AbiCoder, Contract, NonceManager, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { startAnvil, isProcessAlive } from '../../src/adapters/chain/devnet/anvil.js';
import { loadArtifact } from '../../src/adapters/chain/devnet/artifacts.js';
import { startDevnet } from '../../src/adapters/chain/devnet/devnet.js';
import { AnvilNotFoundError, PortInUseError } from '../../src/adapters/chain/devnet/errors.js';
import { accountWithRole, parseManifest } from '../../src/adapters/chain/devnet/manifest.js';
import { poolKeyTuple } from '../../src/adapters/chain/devnet/pools.js';
import { poolIdOf } from '../../src/adapters/chain/poolId.js';
import { StateViewReader } from '../../src/adapters/chain/stateView.js';
import { openPriceLimit } from '../../src/adapters/chain/swap/exactInQuote.js';
import { quotePriceToSqrtPriceX96, sqrtPriceX96ToQuotePrice } from '../../src/adapters/chain/devnet/quotePrice.js';
import { waitForReceipt } from '../../src/adapters/chain/devnet/setupTx.js';
import { createLogger } from '../../src/logging/logger.js';
import { revert, snapshot, useDevnet } from '../support/devnet.js';

describe('startDevnet', () => {
  const devnet = useDevnet({ seed: 3 });

  function stateView(): StateViewReader {
    const { manifest, provider } = devnet();
    return new StateViewReader(manifest.contracts.stateView, provider);
  }

  it('deploys the real PoolManager, PositionManager, StateView, Permit2 and routers', async () => {
    const { manifest, provider } = devnet();
    expect(parseManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
    for (const [name, address] of Object.entries(manifest.contracts)) {
      if (name === 'tokens') continue;
      expect((await provider.getCode(address as string)).length, name).toBeGreaterThan(2);
    }
    const pmCode = await provider.getCode(manifest.contracts.poolManager);
    // The artifact's runtime code (immutables are filled in at deploy, so compare the length).
    expect(pmCode.length).toBe(loadArtifact('PoolManager').deployedBytecode.length);
    const pm = new Contract(manifest.contracts.positionManager, loadArtifact('PositionManager').abi, provider);
    expect(await pm.getFunction('poolManager')()).toBe(manifest.contracts.poolManager);
    expect(await pm.getFunction('permit2')()).toBe(manifest.contracts.permit2);
  });

  it('initializes both pools at 3000 USDC/WETH with currency0 < currency1', async () => {
    const { manifest } = devnet();
    const { WETH, USDC } = manifest.contracts.tokens;
    expect(manifest.pools.map((p) => [p.key.fee, p.key.tickSpacing])).toEqual([[500, 10], [3000, 60]]);
    const expected = quotePriceToSqrtPriceX96(3000, WETH, USDC);
    for (const pool of manifest.pools) {
      expect(BigInt(pool.key.currency0) < BigInt(pool.key.currency1)).toBe(true);
      expect(pool.id).toBe(poolIdOf(pool.key));
      const { sqrtPriceX96 } = await stateView().getSlot0(pool.id);
      expect(sqrtPriceX96).toBe(expected);
      expect(sqrtPriceX96ToQuotePrice(sqrtPriceX96, WETH, USDC)).toBeCloseTo(3000, 6);
    }
  });

  it('seeds background liquidity in several ranges, active at the current tick', async () => {
    const { manifest, seeded } = devnet();
    for (const pool of manifest.pools) {
      const mine = seeded.filter((s) => s.poolId === pool.id);
      expect(mine.length).toBeGreaterThanOrEqual(5);
      expect(new Set(mine.map((s) => s.owner)).size).toBeGreaterThan(1);
      expect(new Set(mine.map((s) => s.tickUpper - s.tickLower)).size).toBe(mine.length);
      const active = await stateView().getLiquidity(pool.id);
      expect(active).toBeGreaterThan(0n);
      const { tick } = await stateView().getSlot0(pool.id);
      const expectedActive = mine.filter((s) => s.tickLower <= tick && tick < s.tickUpper).reduce((a, s) => a + s.liquidity, 0n);
      expect(active).toBe(expectedActive);
    }
  });

  it('PositionManager mints a position paid through the Permit2 placed at its canonical address', async () => {
    const d = devnet();
    const id = await snapshot(d);
    try {
      const { manifest, provider } = d;
      const agent = new NonceManager(new Wallet(accountWithRole(manifest, 'agent').privateKey, provider));
      const me = await agent.getAddress();
      const pool = manifest.pools[1]!;
      const erc20 = loadArtifact('MockERC20').abi;
      const permit2 = new Contract(manifest.contracts.permit2, ['function approve(address token, address spender, uint160 amount, uint48 expiration)'], agent);
      for (const token of [pool.key.currency0, pool.key.currency1]) {
        const c = new Contract(token, erc20, agent);
        await waitForReceipt(provider, ((await c.getFunction('approve')(manifest.contracts.permit2, 2n ** 256n - 1n)) as { hash: string }).hash);
        await waitForReceipt(provider, ((await permit2.getFunction('approve')(token, manifest.contracts.positionManager, 2n ** 160n - 1n, 2n ** 48n - 1n)) as { hash: string }).hash);
      }
      const { tick } = await stateView().getSlot0(pool.id);
      const spacing = pool.key.tickSpacing;
      const lower = Math.floor(tick / spacing) * spacing - 10 * spacing;
      const upper = lower + 20 * spacing;
      const coder = AbiCoder.defaultAbiCoder();
      const mint = coder.encode(
        ['tuple(address,address,uint24,int24,address)', 'int24', 'int24', 'uint256', 'uint128', 'uint128', 'address', 'bytes'],
        [poolKeyTuple(pool.key), lower, upper, 10n ** 15n, 2n ** 128n - 1n, 2n ** 128n - 1n, me, '0x'],
      );
      const settle = coder.encode(['address', 'address'], [pool.key.currency0, pool.key.currency1]);
      const unlockData = coder.encode(['bytes', 'bytes[]'], ['0x020d', [mint, settle]]);
      const posm = new Contract(manifest.contracts.positionManager, loadArtifact('PositionManager').abi, agent);
      const tokenId = (await posm.getFunction('nextTokenId')()) as bigint;
      const tx = (await posm.getFunction('modifyLiquidities')(unlockData, 2n ** 48n)) as { hash: string };
      expect((await waitForReceipt(provider, tx.hash)).status).toBe(1);
      expect(await posm.getFunction('ownerOf')(tokenId)).toBe(me);
      expect(await posm.getFunction('getPositionLiquidity')(tokenId)).toBe(10n ** 15n);
    } finally {
      await revert(d, id);
    }
  });

  it('swaps through PoolSwapTest: the noise trader pays WETH, receives USDC, the price falls', async () => {
    const d = devnet();
    const id = await snapshot(d);
    try {
      const { manifest, provider } = d;
      const trader = new NonceManager(new Wallet(accountWithRole(manifest, 'noise').privateKey, provider));
      const pool = manifest.pools[0]!;
      const { WETH, USDC } = manifest.contracts.tokens;
      const erc20 = loadArtifact('MockERC20').abi;
      const weth = new Contract(WETH.address, erc20, provider);
      const usdc = new Contract(USDC.address, erc20, provider);
      const me = await trader.getAddress();
      const [w0, u0] = [(await weth.getFunction('balanceOf')(me)) as bigint, (await usdc.getFunction('balanceOf')(me)) as bigint];
      const { sqrtPriceX96: p0 } = await stateView().getSlot0(pool.id);
      const wethIs0 = BigInt(WETH.address) < BigInt(USDC.address);
      const zeroForOne = wethIs0; // selling WETH
      const limit = openPriceLimit(zeroForOne);
      const router = new Contract(manifest.contracts.poolSwapTest, loadArtifact('PoolSwapTest').abi, trader);
      const tx = await router.getFunction('swap')(poolKeyTuple(pool.key), [zeroForOne, -(10n ** 18n), limit], [false, false], '0x');
      expect((await waitForReceipt(provider, (tx as { hash: string }).hash)).status).toBe(1);
      const [w1, u1] = [(await weth.getFunction('balanceOf')(me)) as bigint, (await usdc.getFunction('balanceOf')(me)) as bigint];
      expect(w0 - w1).toBe(10n ** 18n);
      const received = Number(u1 - u0) / 1e6;
      expect(received).toBeGreaterThan(2990 * 0.99);
      expect(received).toBeLessThan(3000);
      const { sqrtPriceX96: p1 } = await stateView().getSlot0(pool.id);
      expect(sqrtPriceX96ToQuotePrice(p1, WETH, USDC)).toBeLessThan(sqrtPriceX96ToQuotePrice(p0, WETH, USDC));
    } finally {
      await revert(d, id);
    }
  });
});

describe('devnet lifecycle and errors', () => {
  const quiet = createLogger({ name: 'devnet', level: 'silent' });

  it('stop() leaves no anvil process and can be called twice', async () => {
    const d = await startDevnet({ skipSeed: true, logger: quiet });
    expect(isProcessAlive(d.anvil.pid)).toBe(true);
    await Promise.all([d.stop(), d.stop()]);
    expect(isProcessAlive(d.anvil.pid)).toBe(false);
    expect(isProcessAlive(d.anvil.processGroup)).toBe(false);
  });

  it('with blockTime, mines timed blocks once set up (automine during set-up)', async () => {
    const d = await startDevnet({ skipSeed: true, blockTime: 1, logger: quiet });
    try {
      expect(d.manifest.deployedAtBlock).toBeGreaterThan(10); // one block per set-up transaction
      const b0 = await d.provider.getBlockNumber();
      let b1 = b0;
      for (let i = 0; i < 100 && b1 === b0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        b1 = await d.provider.getBlockNumber();
      }
      expect(b1).toBeGreaterThan(b0);
      expect(await d.provider.send('anvil_getAutomine', [])).toBe(false);
    } finally {
      await d.stop();
    }
  });

  it('reports a taken port as PortInUseError', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const err = await startAnvil({ port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortInUseError);
      expect((err as PortInUseError).port).toBe(port);
    } finally {
      server.close();
    }
  });

  it('reports a missing binary as AnvilNotFoundError naming the path', async () => {
    const err = await startAnvil({ binary: '/nonexistent/anvil' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnvilNotFoundError);
    expect((err as AnvilNotFoundError).triedPaths).toContain('/nonexistent/anvil');
  });
});
