import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, Wallet, ZeroAddress } from 'ethers';
import { startPositionsDevnet, OTHER_KEY, type PositionsDevnet } from './support/positionsDevnet.js';
import type { PositionManagerClient} from '../../../src/adapters/chain/positions/positionManager.js';
import { PositionNotFoundError } from '../../../src/adapters/chain/positions/positionManager.js';
import { principalAmounts, maxAmountsForAdd } from '../../../src/adapters/chain/positions/positionAmounts.js';
import { findOwnedTokenIds } from '../../../src/adapters/chain/positions/ownership.js';
import { TxRevertedError } from '../../../src/adapters/chain/tx/errors.js';
import type { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { NFT_TRANSFER_TOPIC_FOR_TESTS } from './support/topics.js';
import { mined } from '../support/mined.js';

let dev: PositionsDevnet;
let client: PositionManagerClient;
let sender: TxSender;

beforeAll(async () => {
  dev = await startPositionsDevnet();
  sender = dev.newSender();
  client = dev.newClient(sender);
});
afterAll(async () => { await dev?.stop(); });

async function balances(): Promise<[bigint, bigint]> {
  const a = dev.owner.address;
  return [await dev.erc20(dev.pool.token0.address).getFunction('balanceOf')(a) as bigint, await dev.erc20(dev.pool.token1.address).getFunction('balanceOf')(a) as bigint];
}

describe('mint through PositionManager', () => {
  it('takes exactly the amounts our math computes, in range, below and above the price', async () => {
    const key = dev.pool.key;
    const cases: [number, number, bigint][] = [
      [-600, 600, 10n ** 18n],
      [-120, 60, 123_456_789_012_345n],
      [-1200, -60, 10n ** 17n + 7n], // below the price: only currency1... (tick 0 >= upper)
      [60, 1800, 987_654_321n],      // above the price: only currency0
      [-887220, 887220, 3n ** 40n],  // full range
    ];
    for (const [lo, hi, liquidity] of cases) {
      const before = await balances();
      const price = await client.price(dev.pool.poolId);
      const r = await client.mint({ poolKey: key, tickLower: lo, tickUpper: hi, liquidity, slippageBps: 0 });
      const after = await balances();
      const expected = principalAmounts(price, lo, hi, liquidity, true);
      expect(r.expected).toEqual(expected);
      expect(before[0] - after[0]).toBe(expected.amount0);
      expect(before[1] - after[1]).toBe(expected.amount1);
      expect(r.flows.paid0).toBe(expected.amount0);
      expect(r.flows.paid1).toBe(expected.amount1);
      const view = await client.read(r.tokenId);
      expect(view).toMatchObject({ tickLower: lo, tickUpper: hi, liquidity, owner: dev.owner.address, poolId: dev.pool.poolId, hasSubscriber: false });
    }
  });

  it('mints the largest liquidity the desired amounts fund, never spending more than them', async () => {
    const before = await balances();
    const r = await client.mint({ poolKey: dev.pool.key, tickLower: -300, tickUpper: 600, amount0Desired: 5n * 10n ** 17n, amount1Desired: 4n * 10n ** 17n, slippageBps: 0 });
    const after = await balances();
    expect(before[0] - after[0]).toBe(r.expected.amount0);
    expect(before[1] - after[1]).toBe(r.expected.amount1);
    expect(r.expected.amount0).toBeLessThanOrEqual(5n * 10n ** 17n);
    expect(r.expected.amount1).toBeLessThanOrEqual(4n * 10n ** 17n);
    expect(await client.read(r.tokenId)).toMatchObject({ liquidity: r.liquidity });
  });
});

describe('increase and burn', () => {
  it('increase pays exactly our rounded-up amounts; burn returns principal + fees and removes the position', async () => {
    const m = await client.mint({ poolKey: dev.pool.key, tickLower: -360, tickUpper: 420, liquidity: 10n ** 19n });
    const price = await client.price(dev.pool.poolId);
    const more = 7n * 10n ** 18n + 3n;
    const expected = principalAmounts(price, -360, 420, more, true);
    const inc = await client.increase({ tokenId: m.tokenId, liquidity: more, slippageBps: 0 });
    expect(inc.flows).toEqual({ paid0: expected.amount0, paid1: expected.amount1, received0: 0n, received1: 0n });
    expect((await client.read(m.tokenId)).liquidity).toBe(10n ** 19n + more);

    await dev.pool.swap(false, 10n ** 17n);
    const pos = await client.read(m.tokenId);
    const fees = await client.uncollectedFees(pos);
    const now = await client.price(pos.poolId);
    const principal = principalAmounts(now, pos.tickLower, pos.tickUpper, pos.liquidity, false);
    const b = await client.burn({ tokenId: m.tokenId, slippageBps: 0 });
    expect(b.flows.received0).toBe(principal.amount0 + fees.amount0);
    expect(b.flows.received1).toBe(principal.amount1 + fees.amount1);
    await expect(client.read(m.tokenId)).rejects.toBeInstanceOf(PositionNotFoundError);
  });
});

describe('native ETH pools', () => {
  it('mint sends ETH as value and sweeps the surplus back; decrease and roll pay ETH out', async () => {
    const key = { currency0: ZeroAddress, currency1: dev.pool.token1.address, fee: 3000, tickSpacing: 60, hooks: ZeroAddress };
    const pm = new Contract(dev.pool.poolManager, ['function initialize((address,address,uint24,int24,address) key, uint160 sqrtPriceX96) returns (int24)'], dev.pool.signer);
    await mined(pm.getFunction('initialize')([key.currency0, key.currency1, key.fee, key.tickSpacing, key.hooks], 1n << 96n));
    const provider = dev.pool.provider;
    const ethSpent = async <T extends { tx: { receipt: { gasUsed: bigint; gasPrice: bigint } } }>(f: () => Promise<T>): Promise<[bigint, T]> => {
      const before = await provider.getBalance(dev.owner.address);
      const r = await f();
      const after = await provider.getBalance(dev.owner.address);
      return [before - after - r.tx.receipt.gasUsed * r.tx.receipt.gasPrice, r];
    };
    await client.approve(key, 0n, 10n ** 24n); // approvals first, so only the position txs move ETH below
    const [spent, m] = await ethSpent(() => client.mint({ poolKey: key, tickLower: -600, tickUpper: 600, liquidity: 10n ** 18n, slippageBps: 200 }));
    expect(spent).toBe(m.expected.amount0); // value carried amount0Max; the surplus came back via SWEEP
    expect(m.flows.paid1).toBe(m.expected.amount1);

    const poolId = (await client.read(m.tokenId)).poolId;
    const half = 4n * 10n ** 17n;
    const out = principalAmounts(await client.price(poolId), -600, 600, half, false);
    const [spentOnDecrease, d] = await ethSpent(() => client.decrease({ tokenId: m.tokenId, liquidity: half }));
    expect(-spentOnDecrease).toBe(out.amount0);
    expect(d.flows.received1).toBe(out.amount1);

    const r = await client.roll({ tokenId: m.tokenId, tickLower: -1200, tickUpper: 1200 });
    expect(await client.read(r.newTokenId)).toMatchObject({ tickLower: -1200, tickUpper: 1200, liquidity: r.newLiquidity, poolId });
    expect(await provider.getBalance(dev.positionManager)).toBe(0n); // nothing left behind in PositionManager
  });
});

describe('fees', () => {
  it('what collect pays equals feesOwed over StateView feeGrowthInside, after swaps both ways', async () => {
    const m = await client.mint({ poolKey: dev.pool.key, tickLower: -180, tickUpper: 240, liquidity: 5n * 10n ** 20n });
    for (let i = 0; i < 6; i++) await dev.pool.swap(i % 2 === 0, 10n ** 17n + BigInt(i) * 12_345n);
    const pos = await client.read(m.tokenId);
    const fees = await client.uncollectedFees(pos);
    expect(fees.amount0).toBeGreaterThan(0n);
    expect(fees.amount1).toBeGreaterThan(0n);
    const before = await balances();
    const c = await client.collect({ tokenId: m.tokenId });
    const after = await balances();
    expect(c.flows.received0).toBe(fees.amount0);
    expect(c.flows.received1).toBe(fees.amount1);
    expect(after[0] - before[0]).toBe(fees.amount0);
    expect(after[1] - before[1]).toBe(fees.amount1);
    expect((await client.read(m.tokenId)).liquidity).toBe(pos.liquidity);
    expect(await client.uncollectedFees(pos)).toEqual({ amount0: 0n, amount1: 0n });
  });

  it('decrease returns principal (our rounded-down amounts) plus the fees owed', async () => {
    const m = await client.mint({ poolKey: dev.pool.key, tickLower: -240, tickUpper: 120, liquidity: 10n ** 20n });
    await dev.pool.swap(true, 3n * 10n ** 17n);
    await dev.pool.swap(false, 2n * 10n ** 17n);
    const pos = await client.read(m.tokenId);
    const fees = await client.uncollectedFees(pos);
    const price = await client.price(pos.poolId);
    const half = pos.liquidity / 2n;
    const principal = principalAmounts(price, pos.tickLower, pos.tickUpper, half, false);
    const d = await client.decrease({ tokenId: m.tokenId, liquidity: half });
    expect(d.flows.received0).toBe(principal.amount0 + fees.amount0);
    expect(d.flows.received1).toBe(principal.amount1 + fees.amount1);
    expect((await client.read(m.tokenId)).liquidity).toBe(pos.liquidity - half);
  });
});

describe('roll', () => {
  it('moves a position to a new range in one modifyLiquidities transaction', async () => {
    const m = await client.mint({ poolKey: dev.pool.key, tickLower: -120, tickUpper: 120, liquidity: 10n ** 20n });
    await dev.pool.swap(true, 2n * 10n ** 17n);
    const old = await client.read(m.tokenId);
    const r = await client.roll({ tokenId: m.tokenId, tickLower: -600, tickUpper: 60 });
    expect(r.tx.receipt.status).toBe(1);
    const nftTransfers = r.tx.receipt.logs.filter((l) => l.topics[0] === NFT_TRANSFER_TOPIC_FOR_TESTS && l.topics.length === 4);
    expect(nftTransfers).toHaveLength(2); // burn of the old, mint of the new, same transaction
    await expect(client.read(m.tokenId)).rejects.toBeInstanceOf(PositionNotFoundError);
    const moved = await client.read(r.newTokenId);
    expect(moved).toMatchObject({ tickLower: -600, tickUpper: 60, liquidity: r.newLiquidity, owner: dev.owner.address, poolId: old.poolId });
    expect(r.newLiquidity).toBeGreaterThan(0n);
    // the new position is funded by the old one: the owner pays no more than rounding dust
    expect(r.flows.paid0).toBeLessThanOrEqual(1n);
    expect(r.flows.paid1).toBeLessThanOrEqual(1n);
  });
});

describe('ownership discovery', () => {
  it('finds minted positions and not burned or transferred ones, across chunked log reads', async () => {
    const other = new Wallet(OTHER_KEY, dev.pool.provider);
    const a = await client.mint({ poolKey: dev.pool.key, tickLower: -60, tickUpper: 60, liquidity: 10n ** 18n });
    const b = await client.mint({ poolKey: dev.pool.key, tickLower: -60, tickUpper: 120, liquidity: 10n ** 18n });
    const c = await client.mint({ poolKey: dev.pool.key, tickLower: -120, tickUpper: 60, liquidity: 10n ** 18n });
    await client.burn({ tokenId: b.tokenId });
    const data = new (await import('ethers')).Interface(['function transferFrom(address,address,uint256)']).encodeFunctionData('transferFrom', [dev.owner.address, other.address, c.tokenId]);
    await sender.send({ to: dev.positionManager, data, label: 'give away' });
    const scan = await findOwnedTokenIds({ provider: dev.pool.provider, positionManager: dev.positionManager, owner: dev.owner.address, fromBlock: dev.deployBlock, chunkSize: 3 });
    expect(scan.tokenIds).toContain(a.tokenId);
    expect(scan.tokenIds).not.toContain(b.tokenId);
    expect(scan.tokenIds).not.toContain(c.tokenId);
    const otherScan = await findOwnedTokenIds({ provider: dev.pool.provider, positionManager: dev.positionManager, owner: other.address, fromBlock: dev.deployBlock, chunkSize: 2 });
    expect(otherScan.tokenIds).toEqual([c.tokenId]);
    // every id found is live and owned; the whole-range scan agrees with the chunked one
    const views = await client.positionsOf(dev.owner.address, dev.deployBlock);
    expect(views.map((v) => v.tokenId)).toEqual(scan.tokenIds);
    for (const v of views) expect(v.owner).toBe(dev.owner.address);
  });
});

describe('slippage', () => {
  it('a mint whose price moved past its bounds reverts with MaximumAmountExceeded, decoded', async () => {
    const price = await client.price(dev.pool.poolId);
    const liquidity = 10n ** 19n;
    const max = maxAmountsForAdd(price, -300, 300, liquidity, 0);
    await client.approve(dev.pool.key, max.amount0Max * 2n, max.amount1Max * 2n);
    await dev.pool.swap(false, 5n * 10n ** 17n); // price up: the mint now costs more currency1
    const actions = [
      { type: 'MINT_POSITION' as const, poolKey: dev.pool.key, tickLower: -300, tickUpper: 300, liquidity, amount0Max: max.amount0Max, amount1Max: max.amount1Max, owner: dev.owner.address },
      { type: 'SETTLE_PAIR' as const, currency0: dev.pool.key.currency0, currency1: dev.pool.key.currency1 },
    ];
    const err = await client.execute(actions, 'stale mint').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TxRevertedError);
    const e = err as TxRevertedError;
    expect(e.stage).toBe('simulation');
    expect(e.reason).toBe('MaximumAmountExceeded');
    const inner = e.revert!.inner ?? e.revert!;
    expect(inner.args['maximumAmount']).toBe(max.amount1Max);
    expect(inner.args['amountRequested'] as bigint).toBeGreaterThan(max.amount1Max);
  });

  it('a decrease below its minimums reverts with MinimumAmountInsufficient, also when mined', async () => {
    const m = await client.mint({ poolKey: dev.pool.key, tickLower: -600, tickUpper: 600, liquidity: 10n ** 19n });
    const pos = await client.read(m.tokenId);
    const price = await client.price(pos.poolId);
    const out = principalAmounts(price, pos.tickLower, pos.tickUpper, pos.liquidity, false);
    const actions = [
      { type: 'DECREASE_LIQUIDITY' as const, tokenId: m.tokenId, liquidity: pos.liquidity, amount0Min: out.amount0 + 1n, amount1Min: 0n },
      { type: 'TAKE_PAIR' as const, currency0: dev.pool.key.currency0, currency1: dev.pool.key.currency1, recipient: dev.owner.address },
    ];
    const { encodeModifyLiquidities } = await import('../../../src/adapters/chain/positions/actions.js');
    const data = encodeModifyLiquidities(actions, 2n ** 40n);
    const err = await sender.send({ to: dev.positionManager, data, label: 'greedy decrease', simulate: false, gasLimit: 1_000_000n }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TxRevertedError);
    const e = err as TxRevertedError;
    expect(e.stage).toBe('mined');
    expect(e.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(e.reason).toBe('MinimumAmountInsufficient');
    const inner = e.revert!.inner ?? e.revert!;
    expect(inner.args['minimumAmount']).toBe(out.amount0 + 1n);
    expect(inner.args['amountReceived']).toBe(out.amount0);
    expect((await client.read(m.tokenId)).liquidity).toBe(pos.liquidity);
  });
});
