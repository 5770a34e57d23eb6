/**
 * The vault product end to end on the devnet: RangeVault + VaultHook with the real v4 contracts,
 * the market simulator's arbitrageur keeping the vault's pool on a reference price we move, the
 * agent (PositionActor for the vault's pool through the VaultChainPort, HedgeActor on a paper
 * venue) and the vault coordinator following the vault's events. Users deposit -> the agent
 * deploys the capital into the pool through the vault -> the price moves -> the agent rolls
 * through the vault -> a user withdraws and gets what the share price says, to the wei; the
 * portfolio numbers are the chain's.
 */
import type { Contract, Wallet } from 'ethers';
import { Subject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent, type PriceTick } from '../../src/actors/agent.js';
import { tell } from '../../src/actors/core/typedActors.js';
import { startDevnet, type Devnet } from '../../src/adapters/chain/devnet/devnet.js';
import { quotePriceToSqrtPriceX96 } from '../../src/adapters/chain/devnet/quotePrice.js';
import { startMarketSimulator, type MarketSimulator } from '../../src/adapters/chain/devnet/simulator/marketSimulator.js';
import type { PricePoint } from '../../src/adapters/chain/devnet/simulator/referencePrice.js';
import { connectDevnetChain, type DevnetChain } from '../../src/adapters/chain/onchain/devnetChain.js';
import { devnetVaultPort, withVaultPool, type DevnetVaultPort } from '../../src/adapters/chain/vault/devnetVaultPort.js';
import { startVaultCoordinator, type VaultCoordinator } from '../../src/adapters/chain/vault/vaultCoordinator.js';
import { vaultReader } from '../../src/adapters/chain/vault/vaultReader.js';
import { PaperExchange } from '../../src/adapters/exchange/paperExchange.js';
import { MemoryStore } from '../../src/adapters/store/memoryStore.js';
import { createLogger } from '../../src/logging/logger.js';
import { pollingHeads } from '../../src/streams/pollingHeads.js';
import { MARKET_SOURCE, positionConfig, settings, SYMBOL, VENUE_ID } from '../actors/support/fixture.js';
import { assetsFor, buildVaultRig, send, type VaultRig } from '../contracts/support/vaultRig.js';
import { pollFor } from './support/devnetAgent.js';

const log = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
const USDC = 10n ** 6n;

let devnet: Devnet;
let chain: DevnetChain;
let vp: DevnetVaultPort;
let market: MarketSimulator;
let venue: PaperExchange;
let agent: Agent;
let coordinator: VaultCoordinator;
let rig: VaultRig;
const reference = new Subject<PricePoint>();

/** The oracle role: the vault's reference price set by its owner. */
async function setVaultReference(price: number): Promise<void> {
  const t = devnet.manifest.contracts.tokens;
  await send(rig.vault.getFunction('setReferencePrice')(quotePriceToSqrtPriceX96(price, t.WETH, t.USDC)));
}

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, seed: 13, pools: [], vault: true, logger: log });
  rig = await buildVaultRig(devnet);
  const manifest = withVaultPool(devnet.manifest);
  chain = await connectDevnetChain(manifest, log, SYMBOL);
  vp = devnetVaultPort(devnet.manifest, chain, log);
  const prices = new Subject<PriceTick>();
  market = startMarketSimulator({ manifest, provider: devnet.provider, logger: log, price$: reference, noiseTradesPerStep: 0 });
  venue = new PaperExchange({ id: VENUE_ID, balance: 20_000, symbols: [{ symbol: SYMBOL, base: 'ETH', price: 3000 }] }, { logger: log });
  market.price$.subscribe((p) => {
    venue.setMark(SYMBOL, p.price);
    prices.next({ asset: 'ETH', source: MARKET_SOURCE, price: p.price, at: Date.now() });
  });
  const cfg = positionConfig(vp.pool, {
    amount0: 0n, amount1: 0n, capital: 'deposits',
    range: { annualVolatility: 0.2, horizonSeconds: 86_400, riskLevel: 'moderate' },
  });
  agent = await startAgent(settings([cfg], { timeouts: { chainMs: 30_000, orderMs: 10_000 } }), { chain: vp.port, venues: [venue], prices$: prices, store: new MemoryStore(), log });
  const ref = agent.refs.positions.get(vp.pool.poolId)!;
  coordinator = await startVaultCoordinator({
    provider: chain.provider, addresses: { vault: vp.vault.vault, hook: vp.vault.hook }, store: new MemoryStore(), keyPrefix: 'vault/', heads: pollingHeads(chain.provider, 100, log),
    fromBlock: devnet.manifest.deployedAtBlock, confirmations: 0, now: Date.now, log,
    onCapital: (deploy) => tell(ref, { type: 'capital', deploy }),
  });
  reference.next({ time: Date.now(), price: 3000 });
}, 120_000);

afterAll(async () => {
  await coordinator?.stop();
  await agent?.stop();
  await venue?.close();
  await market?.stop();
  await chain?.close();
  await devnet?.stop();
});

describe('the vault end to end', () => {
  it('deposits are deployed, the agent rolls through the vault, a withdrawal pays what the share price says, the portfolio is the chain\'s', async () => {
    const [alice, bob] = rig.users as [Wallet, Wallet];
    const vaultAs = (w: Wallet): Contract => rig.vault.connect(w) as Contract;
    const poolId = vp.pool.poolId;

    // users deposit; the agent deploys the capital into the pool through the vault
    await send(vaultAs(alice).getFunction('deposit')(20_000n * USDC, alice.address));
    await send(vaultAs(bob).getFunction('deposit')(10_000n * USDC, bob.address));
    const deployed = await pollFor('the capital deployed', async () => {
      const s = await agent.position(poolId);
      return s.position !== null && s.pendingCapital !== true && Math.abs(s.depositedUsd - 30_000) < 300 ? s : null;
    });
    // its PnL reference: the shares at the vault's inception price (10^6 share units per asset unit)
    expect(deployed.depositedUsd).toBe(Number(((await rig.vault.getFunction('totalSupply')()) as bigint) / 10n ** 6n) / 1e6);
    const first = await vp.port.vaultPosition();
    expect(first).not.toBeNull();
    expect(deployed.position?.tokenId).toBe(first!.tokenId);
    // everything but the idle reserve (10%) is in the position; the swap's leftover stays idle
    const total = (await rig.vault.getFunction('totalAssets')()) as bigint;
    const idle = await vp.port.idle();
    const idleQuote = vp.vault.quoteIsCurrency0 ? idle.amount0 : idle.amount1;
    expect(idleQuote).toBeGreaterThanOrEqual((total * 1000n) / 10_000n - 1n);
    expect(idleQuote).toBeLessThan((total * 1300n) / 10_000n);
    // the hedge follows the vault's delta
    await pollFor('the hedge on the vault\'s delta', async () => {
      const h = (await agent.hedge()).assets['ETH'];
      const p = await agent.position(poolId);
      return h !== undefined && p.delta > 0 && Math.abs(h.current + 0.8 * p.delta) <= 0.05 * 0.8 * p.delta + 0.001 ? h : null;
    });

    // the price moves out of the range; the oracle follows; the agent rolls through the vault
    reference.next({ time: Date.now(), price: 3300 });
    await pollFor('the pool at 3300', async () => ((await agent.position(poolId)).assetPrice > 3280 ? true : null));
    await setVaultReference(3300);
    const rolled = await pollFor('a roll through the vault', async () => {
      const s = await agent.position(poolId);
      return s.rolls >= 1 ? s : null;
    });
    const second = (await vp.port.vaultPosition())!;
    expect(second.tokenId).not.toBe(first!.tokenId);
    expect(rolled.position?.tokenId).toBe(second.tokenId);
    const tick = (await chain.port.poolSnapshot(poolId)).tick;
    expect(tick).toBeGreaterThanOrEqual(second.tickLower);
    expect(tick).toBeLessThan(second.tickUpper);
    await pollFor('the hook\'s PositionRebalanced in the books', async () => (coordinator.ledger.state.history.some((h) => h.kind === 'PositionRebalanced') ? true : null));

    // alice redeems everything: more than idle, so the vault pulls liquidity pro rata; she gets
    // the share price's value less the exit charge on the part from liquidity, to the wei
    const shares = (await rig.vault.getFunction('balanceOf')(alice.address)) as bigint;
    const before = (await rig.quote.getFunction('balanceOf')(alice.address)) as bigint;
    const block = await devnet.provider.getBlockNumber();
    const [ta, supply, idleNow, preview] = (await Promise.all([
      rig.vault.getFunction('totalAssets')({ blockTag: block }), rig.vault.getFunction('totalSupply')({ blockTag: block }),
      rig.quote.getFunction('balanceOf')(vp.vault.vault, { blockTag: block }), rig.vault.getFunction('previewRedeem')(shares, { blockTag: block }),
    ])) as [bigint, bigint, bigint, bigint];
    const gross = assetsFor(shares, ta, supply);
    expect(gross).toBeGreaterThan(idleNow);
    const net = idleNow + ((gross - idleNow) * 9_900n) / 10_000n;
    expect(preview).toBe(net);
    const r = await send(vaultAs(alice).getFunction('redeem')(shares, alice.address, alice.address));
    expect(r.blockNumber).toBe(block + 1);
    expect((await rig.quote.getFunction('balanceOf')(alice.address)) as bigint).toBe(before + net);

    // the agent re-reads the vault: the position's liquidity is what the chain says after the pull
    const after = (await vp.port.vaultPosition())!;
    const supplyAfter = (await rig.vault.getFunction('totalSupply')()) as bigint;
    expect(after.liquidity).toBeLessThan(second.liquidity);
    await pollFor('the actor on the withdrawal', async () => {
      const s = await agent.position(poolId);
      return s.position?.liquidity === after.liquidity.toString() && s.depositedUsd === Number(supplyAfter / 10n ** 6n) / 1e6 ? s : null;
    });
    await pollFor('the ledger on the withdrawal', async () => (coordinator.ledger.state.totals.withdrawals === 1 ? true : null));
    const t = coordinator.ledger.state.totals;
    expect(t.deposits).toBe(2);
    expect(t.deposited).toBe((30_000n * USDC).toString());
    expect(t.withdrawn).toBe(net.toString());

    // bob's portfolio is the chain's
    const reader = vaultReader({
      provider: devnet.provider, vault: rig.vault, ledger: coordinator.ledger, quoteDecimals: 6, quotePriceUsd: 1, now: Date.now,
      position: (b) => vp.port.vaultPosition(b),
    });
    const p = (await reader.portfolio(bob.address.toLowerCase())) as { blockNumber: number; balance: Record<string, unknown>; performance: Record<string, unknown>; nextWithdrawalWindow: number };
    const [bobShares, supplyNow, valueNow] = (await Promise.all([
      rig.vault.getFunction('balanceOf')(bob.address, { blockTag: p.blockNumber }), rig.vault.getFunction('totalSupply')({ blockTag: p.blockNumber }),
      rig.vault.getFunction('totalAssets')({ blockTag: p.blockNumber }),
    ])) as [bigint, bigint, bigint];
    expect(p.balance['shares']).toBe(bobShares.toString());
    expect(p.balance['value']).toBe(assetsFor(bobShares, valueNow, supplyNow).toString());
    expect(p.balance['valueUSD']).toBeCloseTo(Number(assetsFor(bobShares, valueNow, supplyNow)) / 1e6, 6);
    expect(p.balance['percentage']).toBeCloseTo((Number(bobShares) / Number(supplyNow)) * 100, 9);
    expect(p.performance['deposited']).toBe((10_000n * USDC).toString());
    expect(p.performance['totalReturn']).toBeCloseTo(Number(assetsFor(bobShares, valueNow, supplyNow)) / 10_000e6 - 1, 9);
    expect(p.nextWithdrawalWindow).toBeLessThanOrEqual(Date.now());
    const status = await reader.status();
    expect(status.totalAssets).toBe(((await rig.vault.getFunction('totalAssets')({ blockTag: status.blockNumber })) as bigint).toString());
    expect(status.position?.tokenId).toBe(second.tokenId);
    expect(status.sharePricePoints).toBeGreaterThan(0);
    expect((await agent.risk()).status).toBe('running');
  });
});
