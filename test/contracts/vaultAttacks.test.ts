/**
 * What RangeVault refuses, on the devnet with the real v4 contracts: everything outside the
 * strategy manager's role (each attempt listed below), the first-depositor inflation attack, a
 * deposit at a pushed pool price, and reentrancy through a malicious asset token.
 */
import { Contract, ContractFactory, MaxUint256, ZeroAddress, id as keccakId } from 'ethers';
import { describe, expect, it } from 'vitest';
import { loadArtifact } from '../../src/adapters/chain/devnet/artifacts.js';
import { poolKeyTuple } from '../../src/adapters/chain/devnet/pools.js';
import { loadVaultArtifact } from '../../src/adapters/chain/vault/artifacts.js';
import { DEFAULT_VAULT_BOUNDS } from '../../src/adapters/chain/vault/deployVault.js';
import { mined } from '../chain/support/mined.js';
import { revert, snapshot } from '../support/devnet.js';
import { as, expectRevert, pushPrice, rangeAround, scaledSqrtPrice, send, sharesFor, useVaultRig, type VaultRig } from './support/vaultRig.js';

let rig: VaultRig;
const devnet = useVaultRig(12, (r) => {
  rig = r;
});

const USDC = 10n ** 6n;
const quoteOf = async (who: string): Promise<bigint> => (await rig.quote.getFunction('balanceOf')(who)) as bigint;

/** Users deposit and the manager deploys the capital into a position around the price. */
async function fundedVaultWithPosition(): Promise<void> {
  const [alice, bob] = rig.users;
  await send(as(rig, alice!).getFunction('deposit')(20_000n * USDC, alice!.address));
  await send(as(rig, bob!).getFunction('deposit')(10_000n * USDC, bob!.address));
  const [lower, upper] = await rangeAround(rig, 1_200);
  await send(as(rig, rig.manager).getFunction('rebalance')(lower, upper, rig.deployment.quoteIsCurrency0, 13_000n * USDC));
}

describe('the strategy manager role', () => {
  it('refuses everything but rebalancing within bounds', async () => {
    await fundedVaultWithPosition();
    const [alice] = rig.users;
    const m = as(rig, rig.manager);
    const mAddr = rig.manager.address;
    const positionId = (await rig.vault.getFunction('positionId')()) as bigint;
    const [lower, upper] = await rangeAround(rig, 1_200);
    const tried: string[] = [];
    const refused = async (what: string, call: Promise<unknown>, error: string, iface?: Contract): Promise<void> => {
      tried.push(what);
      await expectRevert(call, error, iface ?? rig.vault);
    };
    // parameters and roles are the owner's
    await refused('setManager(self)', m.getFunction('setManager')(mAddr), 'OwnableUnauthorizedAccount');
    await refused('setBounds(wider)', m.getFunction('setBounds')([2_000, 1_000, 0, 60, 800_000, 1_000_000]), 'OwnableUnauthorizedAccount');
    await refused('setFees(max, to self)', m.getFunction('setFees')(500, 3_000, mAddr), 'OwnableUnauthorizedAccount');
    await refused('setReferencePrice(x2)', m.getFunction('setReferencePrice')(rig.deployment.referenceSqrtPriceX96 * 2n), 'OwnableUnauthorizedAccount');
    await refused('transferOwnership(self)', m.getFunction('transferOwnership')(mAddr), 'OwnableUnauthorizedAccount');
    // users' shares are not the manager's
    await refused('redeem(alice shares to self)', m.getFunction('redeem')(1_000n, mAddr, alice!.address), 'ERC20InsufficientAllowance');
    await refused('withdraw(alice assets to self)', m.getFunction('withdraw')(1_000n, mAddr, alice!.address), 'ERC20InsufficientAllowance');
    await refused('transferFrom(alice shares)', m.getFunction('transferFrom')(alice!.address, mAddr, 1_000n), 'ERC20InsufficientAllowance');
    // ranges outside the bounds
    await refused('rebalance(too narrow: 120 ticks)', m.getFunction('rebalance')(lower + 1_140, lower + 1_260, false, 0n), 'BadRange');
    await refused('rebalance(too wide: 24,060 ticks)', m.getFunction('rebalance')(lower - 12_000, upper + 10_860, false, 0n), 'BadRange');
    await refused('rebalance(ticks not on the spacing)', m.getFunction('rebalance')(lower + 1, upper + 1, false, 0n), 'BadRange');
    await refused('rebalance(inverted range)', m.getFunction('rebalance')(upper, lower, false, 0n), 'BadRange');
    await refused('rebalance(range away from the price)', m.getFunction('rebalance')(upper + 600, upper + 3_000, false, 0n), 'RangeMissesPrice');
    // a swap that would lose more than 1%: the pool pushed 0.9% against the vault (inside the
    // deviation bound) plus the 0.3% pool fee
    const snapSlip = await snapshot(devnet());
    const quoteIs0 = rig.deployment.quoteIsCurrency0;
    await pushPrice(rig, quoteIs0, scaledSqrtPrice(rig.deployment.referenceSqrtPriceX96, quoteIs0 ? 9_910n : 10_090n, 10_000n));
    await refused('rebalance(swap 1,000 USDC at 1.2% below the reference)', m.getFunction('rebalance')(lower, upper, quoteIs0, 1_000n * USDC), 'SlippageExceeded');
    await revert(devnet(), snapSlip);
    // a pool pushed beyond the deviation bound: no rebalance into it
    const snapPush = await snapshot(devnet());
    await pushPrice(rig, true, scaledSqrtPrice(rig.deployment.referenceSqrtPriceX96, 97n, 100n));
    await refused('rebalance(pool pushed 3%)', m.getFunction('rebalance')(lower, upper, false, 0n), 'PriceOutOfBounds');
    await revert(devnet(), snapPush);
    // a stale reference price: no rebalance
    const snapStale = await snapshot(devnet());
    await devnet().provider.send('evm_increaseTime', [DEFAULT_VAULT_BOUNDS.maxPriceAge + 1]);
    await devnet().provider.send('evm_mine', []);
    await refused('rebalance(reference price stale)', m.getFunction('rebalance')(lower, upper, false, 0n), 'StalePrice');
    await revert(devnet(), snapStale);
    // no door around the vault: the pool manager callback and the position NFT
    await refused('unlockCallback(swap to self)', m.getFunction('unlockCallback')('0x' + '00'.repeat(64)), 'NotPoolManager');
    tried.push('PositionManager.transferFrom(vault NFT to self)');
    await expect(mined((rig.positionManager.connect(rig.manager) as Contract).getFunction('transferFrom')(rig.deployment.vault, mAddr, positionId))).rejects.toThrow();
    expect(await rig.positionManager.getFunction('ownerOf')(positionId)).toBe(rig.deployment.vault);
    await refused('hook.bindVault(self)', (rig.hook.connect(rig.manager) as Contract).getFunction('bindVault')(mAddr), 'NotBinder', rig.hook);
    // and nobody else may rebalance
    await refused('rebalance by a user', as(rig, alice!).getFunction('rebalance')(lower, upper, false, 0n), 'NotManager');
    await refused('collectPositionFees by a user', as(rig, alice!).getFunction('collectPositionFees')(), 'NotManager');
    // the manager never held anything
    expect(await rig.vault.getFunction('balanceOf')(mAddr)).toBe(0n);
    // within bounds it works
    await send(m.getFunction('rebalance')(lower - 600, upper + 600, false, 0n));
    process.stdout.write(`manager refused: ${tried.join('; ')}\n`);
    expect(tried.length).toBeGreaterThanOrEqual(20);
  });
});

describe('attacks on the share price', () => {
  it('a first-depositor inflation attack loses the attacker money', async () => {
    const [victim] = rig.users;
    const attacker = rig.attacker;
    const a0 = await quoteOf(attacker.address);
    const v0 = await quoteOf(victim!.address);
    await send(as(rig, attacker).getFunction('deposit')(1n, attacker.address));
    // donate 10,000 USDC to inflate the share price before the victim's deposit
    await send((rig.quote.connect(attacker) as Contract).getFunction('transfer')(rig.deployment.vault, 10_000n * USDC));
    const ta = (await rig.vault.getFunction('totalAssets')()) as bigint;
    const supply = (await rig.vault.getFunction('totalSupply')()) as bigint;
    await send(as(rig, victim!).getFunction('deposit')(10_000n * USDC, victim!.address));
    const victimShares = (await rig.vault.getFunction('balanceOf')(victim!.address)) as bigint;
    expect(victimShares).toBe(sharesFor(10_000n * USDC, ta, supply));
    expect(victimShares).toBeGreaterThan(0n);
    for (const w of [attacker, victim!]) {
      const shares = (await rig.vault.getFunction('balanceOf')(w.address)) as bigint;
      await send(as(rig, w).getFunction('redeem')(shares, w.address, w.address));
    }
    const attackerPnl = (await quoteOf(attacker.address)) - a0;
    const victimPnl = (await quoteOf(victim!.address)) - v0;
    // the virtual shares (10^6 per wei of USDC) take a third of the donation; the victim loses
    // only rounding dust
    expect(attackerPnl).toBeLessThan(-4_000n * USDC);
    expect(victimPnl).toBeGreaterThan(-USDC / 100n);
  });

  it('a deposit at a pushed pool price earns nothing, and beyond the bound is refused', async () => {
    await fundedVaultWithPosition();
    const attacker = rig.attacker;
    const ref = rig.deployment.referenceSqrtPriceX96;
    const dep = 10_000n * USDC;
    const sharesAtRef = (await rig.vault.getFunction('previewDeposit')(dep)) as bigint;
    for (const [zeroForOne, num] of [[true, 9_920n], [false, 10_080n]] as const) {
      const s = await snapshot(devnet());
      const a0 = await quoteOf(attacker.address);
      const b0 = (await rig.base.getFunction('balanceOf')(attacker.address)) as bigint;
      await pushPrice(rig, zeroForOne, scaledSqrtPrice(ref, num, 10_000n));
      expect(await rig.vault.getFunction('previewDeposit')(dep)).toBe(sharesAtRef);
      await send(as(rig, attacker).getFunction('deposit')(dep, attacker.address));
      expect(await rig.vault.getFunction('balanceOf')(attacker.address)).toBe(sharesAtRef);
      // push back and take it all out: no more comes out of the vault than went in
      await pushPrice(rig, !zeroForOne, ref);
      const shares = (await rig.vault.getFunction('balanceOf')(attacker.address)) as bigint;
      const q1 = await quoteOf(attacker.address);
      await send(as(rig, attacker).getFunction('redeem')(shares, attacker.address, attacker.address));
      expect((await quoteOf(attacker.address)) - q1).toBeLessThanOrEqual(dep);
      // and the whole round trip (pool swaps included), valued at the reference price, lost money
      const quoteLeg = (await quoteOf(attacker.address)) - a0;
      const baseLeg = ((await rig.base.getFunction('balanceOf')(attacker.address)) as bigint) - b0;
      const baseValue = rig.deployment.quoteIsCurrency0 ? (baseLeg * (1n << 192n)) / (ref * ref) : (baseLeg * ref * ref) / (1n << 192n);
      expect(quoteLeg + baseValue).toBeLessThan(0n);
      await revert(devnet(), s);
    }
    // 3% away: refused
    await pushPrice(rig, true, scaledSqrtPrice(ref, 97n, 100n));
    await expectRevert(as(rig, attacker).getFunction('deposit')(dep, attacker.address), 'PriceOutOfBounds', rig.vault);
  });
});

describe('reentrancy', () => {
  it('a malicious asset calling back into the vault during deposit and withdraw is refused', async () => {
    const { provider, manifest } = devnet();
    const owner = rig.owner;
    const [user] = rig.users;
    const tokenArt = loadVaultArtifact('ReentrantToken');
    const token = (await new ContractFactory(tokenArt.abi, tokenArt.bytecode, owner).deploy()) as Contract;
    await mined(Promise.resolve(token.deploymentTransaction()));
    const tokenAddr = await token.getAddress();
    const weth = manifest.contracts.tokens.WETH.address;
    const quoteIs0 = BigInt(tokenAddr) < BigInt(weth);
    const key = { currency0: quoteIs0 ? tokenAddr : weth, currency1: quoteIs0 ? weth : tokenAddr, fee: 3000, tickSpacing: 60, hooks: ZeroAddress };
    const sqrtP = 1n << 96n;
    await mined((new Contract(manifest.contracts.poolManager, loadArtifact('PoolManager').abi, owner)).getFunction('initialize')(poolKeyTuple(key), sqrtP));
    const b = DEFAULT_VAULT_BOUNDS;
    const vaultArt = loadVaultArtifact('RangeVault');
    const vault = (await new ContractFactory(vaultArt.abi, vaultArt.bytecode, owner).deploy(
      poolKeyTuple(key), quoteIs0, manifest.contracts.poolManager, manifest.contracts.positionManager, manifest.contracts.permit2,
      owner.address, rig.manager.address, sqrtP, [b.maxDeviationBps, b.maxSlippageBps, b.idleReserveBps, b.minWidth, b.maxWidth, b.maxPriceAge], 'R', 'R',
    )) as Contract;
    await mined(Promise.resolve(vault.deploymentTransaction()));
    const vaultAddr = await vault.getAddress();
    const t = token.connect(user!) as Contract;
    const v = vault.connect(user!) as Contract;
    await mined(t.getFunction('mint')(user!.address, 10n ** 24n));
    await mined(t.getFunction('approve')(vaultAddr, MaxUint256));
    const reentrantCall = keccakId('ReentrancyGuardReentrantCall()').slice(0, 10);

    // during deposit's transferFrom the token calls vault.deposit again
    await mined(t.getFunction('arm')(vaultAddr, vault.interface.encodeFunctionData('deposit', [10n ** 18n, tokenAddr])));
    await mined(v.getFunction('deposit')(10n ** 20n, user!.address));
    expect(await token.getFunction('reentered')()).toBe(true);
    expect(await token.getFunction('reentrySucceeded')()).toBe(false);
    expect(await token.getFunction('reentryResult')()).toBe(reentrantCall);
    // during redeem's transfer the token calls redeem again (as itself, holding no shares) and withdraw
    for (const payload of [
      vault.interface.encodeFunctionData('redeem', [1n, tokenAddr, user!.address]),
      vault.interface.encodeFunctionData('accrueFees', []),
    ]) {
      await mined(t.getFunction('arm')(vaultAddr, payload));
      await mined(v.getFunction('redeem')(10n ** 20n, user!.address, user!.address));
      expect(await token.getFunction('reentrySucceeded')()).toBe(false);
      expect(await token.getFunction('reentryResult')()).toBe(reentrantCall);
    }
    // exactly what was deposited and redeemed moved; the re-entries changed nothing
    expect(await vault.getFunction('balanceOf')(tokenAddr)).toBe(0n);
    expect(await vault.getFunction('totalSupply')()).toBe((10n ** 20n) * 10n ** 6n - 2n * 10n ** 20n);
    expect(await provider.getCode(vaultAddr)).not.toBe('0x');
  });
});
