/**
 * Other positions the wallet owns in a configured pool, found at start-up (issue 9), with
 * `otherPositions: withdraw` and `merge`: the real PositionActor withdraws them (and, merging,
 * re-mints the managed position in its range with everything) through the chain port, under the
 * guards of a roll — not before the reference is accepted, never while the kill switch is closed.
 * Real anvil, real v4 contracts, the real file store and books.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DevnetManifest } from '../../../src/adapters/chain/devnet/manifest.js';
import { positionBehaviour, initialPositionState, type OtherPositionsPolicy, type PositionMsg, type PositionState } from '../../../src/actors/position/positionActor.js';
import type { BehaviourContext } from '../../../src/actors/core/typedActors.js';
import { gateChain, KillSwitch } from '../../../src/actors/core/killSwitch.js';
import { around, poolOf, sagaDevnet, USDC, WETH, type AgentInstance } from '../support/sagaRig.js';

const rig = sagaDevnet(31);
let manifest: DevnetManifest;
beforeAll(() => {
  manifest = rig.manifest();
});

/** The real PositionActor over the rig's chain port (behind the kill switch `ks`), run message by message. */
function actor(a: AgentInstance, policy: OtherPositionsPolicy, ks: KillSwitch) {
  const behaviour = positionBehaviour({
    config: {
      pool: a.onChainPool.desc, amount0: 30_000n * USDC, amount1: 10n * WETH,
      range: { annualVolatility: 0.6, horizonSeconds: 86_400, riskLevel: 'moderate' },
      rebalanceThreshold: 0.05, apyThreshold: 0, minCapitalEfficiency: 0, maxPriceDeviation: 0.02, feeApy: 1,
      rollGasUnits: 800_000, feeReadMs: 0, minNetGainUsd: 1e12, nativePriceUsd: 3000, nativeIsAsset: true, exit: {}, otherPositions: policy,
      reference: { minSources: 1, maxSpread: 0.03, twapSeconds: 1, staleMs: 3_600_000 },
    },
    chain: gateChain(a.port, ks), log: a.log, now: () => Date.now(), publish: () => undefined, reportDelta: () => undefined, reportRisk: () => undefined,
  });
  const ctx = { name: 'position-test' } as BehaviourContext<PositionMsg>;
  return async (s: PositionState, msg: PositionMsg): Promise<PositionState> => behaviour(s, msg, ctx);
}

/** Two positions owned before the agent starts, both from the strategy's deposit (its books): a larger one (managed) and a smaller one beside it. */
async function twoPositions(a: AgentInstance) {
  const poolId = poolOf(manifest).id;
  await a.port.adoptBooks(poolId, { amount0: 33_000n * USDC, amount1: 11n * WETH });
  const tick = (await a.port.poolSnapshot(poolId)).tick;
  const big = await a.port.mint({ poolId, ...around(manifest, tick, 20), amount0Max: 30_000n * USDC, amount1Max: 10n * WETH });
  const small = await a.port.mint({ poolId, ...around(manifest, tick, 6), amount0Max: 3_000n * USDC, amount1Max: 1n * WETH });
  return { poolId, big, small };
}

/** Start-up reconciliation, then the venue's quote at the pool's price: the reference is accepted and the actor acts. */
async function startAndQuote(run: ReturnType<typeof actor>, a: AgentInstance): Promise<{ adopted: PositionState; after: PositionState }> {
  const adopted = await run(initialPositionState(a.onChainPool.desc), { type: 'init' });
  const after = await run(adopted, { type: 'referencePrice', source: 'venue', price: adopted.assetPrice, at: Date.now() });
  return { adopted, after };
}

describe('other positions owned in a configured pool, on the devnet', () => {
  it('withdraw: the other position is withdrawn into the held tokens once the reference is accepted; value and books unchanged', async () => {
    const a = await rig.start();
    const { poolId, big, small } = await twoPositions(a);
    const run = actor(a, 'withdraw', new KillSwitch());
    const { adopted, after } = await startAndQuote(run, a);
    // adopted and counted, nothing withdrawn without an accepted reference
    expect(adopted.position?.tokenId).toBe(big.position.tokenId);
    expect(adopted.otherPositions).toEqual([small.position.tokenId]);
    expect(adopted.referencePrice).toBeNull();

    const owned = (await a.port.ownedPositions(poolId)).filter((p) => p.liquidity > 0n);
    expect(owned.map((p) => p.tokenId)).toEqual([big.position.tokenId]);
    expect(after.others).toEqual([]);
    expect(after.otherPositions).toEqual([]);
    expect(after.position?.tokenId).toBe(big.position.tokenId);
    // what the small position held is now held by the pool's books, to the wei
    const books = (await a.books.held(poolId))!;
    expect({ amount0: BigInt(after.held.amount0), amount1: BigInt(after.held.amount1) }).toEqual(books);
    expect(BigInt(after.held.amount1) - BigInt(adopted.held.amount1)).toBeGreaterThanOrEqual(small.amount1 - 1n);
    expect(after.valueUsd).toBeCloseTo(adopted.valueUsd, -1);
    expect(after.delta).toBeCloseTo(adopted.delta, 6);
  });

  it('merge: both withdrawn and one position minted in the managed range with everything; refused while halted', async () => {
    const a = await rig.start();
    const { poolId, big, small } = await twoPositions(a);
    const ks = new KillSwitch();
    ks.halt('operator halt');
    const run = actor(a, 'merge', ks);
    // halted: the kill switch refuses the withdraw; nothing moves on chain
    const { adopted, after: refused } = await startAndQuote(run, a);
    expect(adopted.others).toHaveLength(1);
    expect(refused.refusals.halted).toBeGreaterThan(0);
    expect((await a.port.ownedPositions(poolId)).filter((p) => p.liquidity > 0n)).toHaveLength(2);

    ks.resume();
    const merged = await run(refused, { type: 'referencePrice', source: 'venue', price: refused.assetPrice, at: Date.now() });
    const owned = (await a.port.ownedPositions(poolId)).filter((p) => p.liquidity > 0n);
    expect(owned).toHaveLength(1);
    const one = owned[0]!;
    expect(one.tokenId).not.toBe(big.position.tokenId);
    expect(one.tokenId).not.toBe(small.position.tokenId);
    expect({ tickLower: one.tickLower, tickUpper: one.tickUpper }).toEqual({ tickLower: big.position.tickLower, tickUpper: big.position.tickUpper });
    expect(one.liquidity).toBeGreaterThan(big.position.liquidity);
    expect(merged.position?.tokenId).toBe(one.tokenId);
    expect(merged.others).toEqual([]);
    const books = (await a.books.held(poolId))!;
    expect({ amount0: BigInt(merged.held.amount0), amount1: BigInt(merged.held.amount1) }).toEqual(books);
    expect(merged.valueUsd).toBeCloseTo(adopted.valueUsd, -1);
    expect(merged.depositedUsd).toBe(adopted.depositedUsd);
  });
});
