/**
 * The devnet side of the pool model's on-chain differential tests: the real PoolManager, StateView
 * and v4-core's test routers (PoolSwapTest for swaps, PoolModifyLiquidityTest for liquidity) on
 * the project's devnet, driven from the manifest's accounts, with the steps every differential
 * test repeats: replay a liquidity change into the model and check the LP's balance change
 * against it, resize positions between swaps, and compare everything StateView reports with the
 * model.
 *
 *   const devnet = useDevnet({ seed: 11 });
 *   beforeAll(async () => { rig = await DifferentialRig.build(devnet(), [currency0, currency1]); });
 *
 * Positions added through the liquidity router are owned (in PoolManager) by the router.
 */
import { Contract, type Signer } from 'ethers';
import { expect } from 'vitest';
import { loadArtifact } from '../../../src/adapters/chain/devnet/artifacts.js';
import type { Devnet } from '../../../src/adapters/chain/devnet/devnet.js';
import { walletFor } from '../../../src/adapters/chain/devnet/wallets.js';
import type { PoolKey } from '../../../src/adapters/chain/poolId.js';
import { StateViewReader } from '../../../src/adapters/chain/stateView.js';
import type { Pool } from '../../../src/math/pool/index.js';
import { type PoolSpec, positionRange, saltOf } from '../../math/pool/poolArbitraries.js';
import { mined } from './mined.js';

const ARTIFACTS = {
  erc20: loadArtifact('MockERC20'),
  poolManager: loadArtifact('PoolManager'),
  swapRouter: loadArtifact('PoolSwapTest'),
  liquidityRouter: loadArtifact('PoolModifyLiquidityTest'),
};
const MODIFY = 'modifyLiquidity((address,address,uint24,int24,address),(int24,int24,int256,bytes32),bytes)';

/** Where a position is (owner: the liquidity router). */
export interface PositionRef {
  tickLower: number;
  tickUpper: number;
  salt: string;
}

/** A position the test keeps track of, with its current liquidity. */
export interface TrackedPosition extends PositionRef {
  liquidity: bigint;
}

export class DifferentialRig {
  private constructor(
    /** The PoolManager owner (sets the protocol fee controller and fees; places hooks). */
    readonly deployer: Signer,
    readonly deployerAddress: string,
    /** Adds, resizes and pokes positions through PoolModifyLiquidityTest (and donates, where a test deploys a donate router). */
    readonly lp: Signer,
    readonly lpAddress: string,
    /** PoolManager, connected to the deployer. */
    readonly pm: Contract,
    /** The project's StateView reader (slot0, liquidity, fee growth, ticks, positions). */
    readonly stateView: StateViewReader,
    /** PoolSwapTest, connected to the swapper (the manifest's arbitrageur, approved for it). */
    readonly swapRouter: Contract,
    /** PoolModifyLiquidityTest, connected to the LP. */
    readonly liqRouter: Contract,
    readonly liqRouterAddress: string,
    readonly currency0: string,
    readonly currency1: string,
    private readonly token0: Contract,
    private readonly token1: Contract,
  ) {}

  /**
   * Connects to the devnet's contracts as the manifest's accounts and mints 2^200 of both
   * currencies to the swapper and the LP: exact-output swaps that drain a range can cost up to
   * int128.max of the input token (MockERC20.mint is open).
   */
  static async build(devnet: Devnet, [currency0, currency1]: readonly [string, string]): Promise<DifferentialRig> {
    const { manifest, provider } = devnet;
    const account = (role: string) => {
      const found = manifest.accounts.find((a) => a.role === role);
      if (found === undefined) throw new Error(`the devnet manifest has no ${role} account`);
      return found;
    };
    const deployer = walletFor(account('deployer'), provider);
    const swapper = walletFor(account('arbitrageur'), provider); // approved for PoolSwapTest
    const lp = walletFor(account('liquidity'), provider); // approved for PoolModifyLiquidityTest
    for (const currency of [currency0, currency1]) {
      for (const w of [swapper, lp]) await mined(new Contract(currency, ARTIFACTS.erc20.abi, w).getFunction('mint')(await w.getAddress(), 2n ** 200n));
    }
    const { contracts } = manifest;
    return new DifferentialRig(
      deployer,
      await deployer.getAddress(),
      lp,
      await lp.getAddress(),
      new Contract(contracts.poolManager, ARTIFACTS.poolManager.abi, deployer),
      new StateViewReader(contracts.stateView, provider),
      new Contract(contracts.poolSwapTest, ARTIFACTS.swapRouter.abi, swapper),
      new Contract(contracts.poolModifyLiquidityTest, ARTIFACTS.liquidityRouter.abi, lp),
      contracts.poolModifyLiquidityTest,
      currency0,
      currency1,
      new Contract(currency0, ARTIFACTS.erc20.abi, provider),
      new Contract(currency1, ARTIFACTS.erc20.abi, provider),
    );
  }

  /** The LP's balances of currency0 and currency1. */
  async balances(): Promise<[bigint, bigint]> {
    const [b0, b1] = await Promise.all([this.token0.getFunction('balanceOf')(this.lpAddress), this.token1.getFunction('balanceOf')(this.lpAddress)]);
    return [BigInt(b0 as bigint), BigInt(b1 as bigint)];
  }

  /** modifyLiquidity on chain and in the model; the LP's balance change must be the model's callerDelta (principal and fees). */
  async modify(model: Pool, key: PoolKey, p: PositionRef, liquidityDelta: bigint): Promise<void> {
    const { tickLower, tickUpper, salt } = p;
    const expected = model.modifyLiquidity({ owner: this.liqRouterAddress, tickLower, tickUpper, liquidityDelta, salt });
    const [b0, b1] = await this.balances();
    await mined(this.liqRouter.getFunction(MODIFY)(key, { tickLower, tickUpper, liquidityDelta, salt }, '0x'));
    const [a0, a1] = await this.balances();
    expect({ amount0: a0 - b0, amount1: a1 - b1 }).toEqual(expected.callerDelta);
  }

  /**
   * Resizes one of `positions` (chosen by `n`): an even `n` removes a third of its liquidity, an
   * odd one adds half plus one, after collecting its fees (PoolModifyLiquidityTest asserts an add
   * is paid for in full). Fees are credited on chain and in the model: the balances must agree.
   */
  async resize(model: Pool, key: PoolKey, positions: TrackedPosition[], n: number): Promise<void> {
    const p = positions[n % positions.length]!;
    const delta = n % 2 === 0 ? -(p.liquidity / 3n) : p.liquidity / 2n + 1n;
    if (delta > 0n) await this.modify(model, key, p, 0n);
    await this.modify(model, key, p, delta);
    p.liquidity += delta;
  }

  /**
   * Adds the spec's positions on chain and in the model, with salts saltOf(firstSalt + i) and
   * liquidity kept realistic for 2^200-token balances (at most ~1e24).
   */
  async addPositions(model: Pool, key: PoolKey, spec: PoolSpec, firstSalt: number): Promise<TrackedPosition[]> {
    const positions: TrackedPosition[] = [];
    for (const [i, p] of spec.positions.entries()) {
      const position = { ...positionRange(spec, p), salt: saltOf(firstSalt + i), liquidity: (p.liquidity % 10n ** 24n) + 10n ** 12n };
      await this.modify(model, key, position, position.liquidity);
      positions.push(position);
    }
    return positions;
  }

  /** PoolManager.protocolFeesAccrued of the pool's currency0 and currency1. */
  async protocolFeesAccrued(key: PoolKey): Promise<[bigint, bigint]> {
    const accrued = this.pm.getFunction('protocolFeesAccrued');
    const [a0, a1] = await Promise.all([accrued(key.currency0) as Promise<bigint>, accrued(key.currency1) as Promise<bigint>]);
    return [BigInt(a0), BigInt(a1)];
  }

  /** StateView's slot0 (lpFee included), liquidity, fee growth, every initialized tick and every position must equal the model's. */
  async expectSameState(model: Pool, poolId: string, positions: readonly PositionRef[]): Promise<void> {
    const sv = this.stateView;
    const [slot0, liquidity, growth] = await Promise.all([sv.getSlot0(poolId), sv.getLiquidity(poolId), sv.getFeeGrowthGlobals(poolId)]);
    expect(slot0).toEqual(model.getSlot0());
    expect(liquidity).toBe(model.getLiquidity());
    expect({ feeGrowthGlobal0X128: growth.feeGrowth0X128, feeGrowthGlobal1X128: growth.feeGrowth1X128 }).toEqual(model.getFeeGrowthGlobals());
    const ticks = model.initializedTicks();
    const onChainTicks = await Promise.all(ticks.map((t) => sv.getTickInfo(poolId, t.tick)));
    ticks.forEach((t, i) => expect(onChainTicks[i], `tick ${t.tick}`).toEqual(t.info));
    const owner = this.liqRouterAddress;
    const onChainPositions = await Promise.all(positions.map((p) => sv.getPositionInfo(poolId, owner, p.tickLower, p.tickUpper, p.salt)));
    positions.forEach((p, i) => expect(onChainPositions[i], `position ${p.tickLower}..${p.tickUpper}`).toEqual(model.getPosition(owner, p.tickLower, p.tickUpper, p.salt)));
  }
}
