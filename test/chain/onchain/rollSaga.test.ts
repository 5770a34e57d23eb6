/**
 * A roll killed mid-way (kill -9: nothing in memory survives) is resumed from its journal by the
 * next run of the agent on the same store, never redone: exactly one re-balancing swap per roll,
 * the position rolled to the journaled range, and the strategy's held tokens equal to the wallet
 * less what it held beyond the first deposit (the books kept from receipts), to the wei. The kill is simulated deterministically at each step
 * boundary: a step gate that throws right after the swap is mined, a journal hook that throws
 * after a step's signed transaction is journaled and before it is broadcast, and a finished roll
 * whose actor checkpoint was never written. Real anvil, real v4 contracts, the real file store.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract, Interface, Wallet, type TransactionResponse } from 'ethers';
import { accountWithRole, type DevnetManifest } from '../../../src/adapters/chain/devnet/manifest.js';
import { DEFAULT_REFERENCE } from '../../../src/actors/position/referenceGuard.js';
import { positionBehaviour, initialPositionState, type PositionConfig, type PositionMsg, type PositionState } from '../../../src/actors/position/positionActor.js';
import type { BehaviourContext } from '../../../src/actors/core/typedActors.js';
import { gateChain, HaltedError, KillSwitch } from '../../../src/actors/core/killSwitch.js';
import type { ChainPort } from '../../../src/actors/ports.js';
import type { SagaHooks } from '../../../src/adapters/chain/saga/sagaContext.js';
import { agentSwaps, around, marketMover, poolOf, sagaDevnet, USDC, WETH, walletBalances, type AgentInstance } from '../support/sagaRig.js';

const MODIFY_LIQUIDITIES = new Interface(['function modifyLiquidities(bytes unlockData, uint256 deadline) payable']).getFunction('modifyLiquidities')!.selector;

class SimulatedKill extends Error {
  override readonly name = 'SimulatedKill';
}

const rig = sagaDevnet(21);
const devnet = rig.devnet;
let manifest: DevnetManifest;

beforeAll(() => {
  manifest = rig.manifest();
});

const dataDir = rig.dataDir;
const start = (dir: string, hooks: SagaHooks = {}, allPools = false): Promise<AgentInstance> => rig.start(dir, hooks, allPools);
const kill = rig.kill;

const DEPOSIT = { amount0: 30_000n * USDC, amount1: 10n * WETH };

function config(a: AgentInstance): PositionConfig {
  return {
    pool: a.onChainPool.desc, amount0: DEPOSIT.amount0, amount1: DEPOSIT.amount1,
    // a narrow range (about ±1%) so that one push of the market leaves it
    range: { annualVolatility: 0.1, horizonSeconds: 86_400, riskLevel: 'moderate' },
    rebalanceThreshold: 0.05, apyThreshold: 0.1, minCapitalEfficiency: 0, maxPriceDeviation: 0.02, feeApy: 1,
    rollGasUnits: 800_000, feeReadMs: 0, minNetGainUsd: 0, nativePriceUsd: 3000, nativeIsAsset: true, exit: {},
    reference: DEFAULT_REFERENCE,
  };
}

interface Actor {
  run(s: PositionState, msg: PositionMsg): Promise<PositionState>;
  halts: string[];
}

/** The real PositionActor behaviour over `chain`, run message by message (the agent's mailbox does the same). */
function actor(a: AgentInstance, chain: ChainPort = a.port): Actor {
  const halts: string[] = [];
  const behaviour = positionBehaviour({
    config: config(a), chain, log: a.log, now: () => Date.now(), publish: () => undefined, reportDelta: () => undefined, reportRisk: () => undefined,
    requestHalt: (reason) => halts.push(reason),
  });
  const ctx = { name: 'position-test' } as BehaviourContext<PositionMsg>;
  return { run: async (s, msg) => behaviour(s, msg, ctx), halts };
}

/** First run: the actor mints the first position (the books start there); then the market leaves its range. */
async function mintedAndOutOfRange(a: AgentInstance): Promise<{ state: PositionState; walletBeforeMint: { amount0: bigint; amount1: bigint } }> {
  const walletBeforeMint = await walletBalances(manifest, a.provider);
  const state = await actor(a).run(initialPositionState(a.onChainPool.desc), { type: 'init' });
  expect(state.position).not.toBeNull();
  const mover = marketMover(manifest);
  try {
    // the pool's price leaves the range from below: the position holds WETH only, so the roll re-balances
    await mover.swap(false, 1_000n * WETH);
  } finally {
    mover.close();
  }
  return { state, walletBeforeMint };
}

async function target(a: AgentInstance): Promise<{ tickLower: number; tickUpper: number }> {
  const snap = await a.port.poolSnapshot(poolOf(manifest).id);
  return around(manifest, snap.tick, 20);
}

/**
 * The restarted agent's books: held equals the pool's books kept from the receipts, and (one pool,
 * ERC20 tokens: nothing else moves them) equals the wallet less what it held beyond the first deposit, to the wei.
 */
async function expectBooksFromWallet(a: AgentInstance, s: PositionState, walletBeforeMint: { amount0: bigint; amount1: bigint }): Promise<void> {
  const books = await a.books.held(poolOf(manifest).id);
  expect(books).toEqual({ amount0: BigInt(s.held.amount0), amount1: BigInt(s.held.amount1) });
  const w = await walletBalances(manifest, a.provider);
  expect(BigInt(s.held.amount0)).toBe(w.amount0 - (walletBeforeMint.amount0 - DEPOSIT.amount0));
  expect(BigInt(s.held.amount1)).toBe(w.amount1 - (walletBeforeMint.amount1 - DEPOSIT.amount1));
  expect(BigInt(s.held.amount0)).toBeGreaterThanOrEqual(0n);
  expect(BigInt(s.held.amount1)).toBeGreaterThanOrEqual(0n);
}

describe('a roll killed mid-way is resumed from its journal', () => {
  it('killed after the swap was mined: the restarted agent sends only the roll, never a second swap', async () => {
    const dir = await dataDir();
    const first = await start(dir);
    const { state: checkpoint, walletBeforeMint } = await mintedAndOutOfRange(first);
    const fromBlock = await first.provider.getBlockNumber();
    const range = await target(first);
    const err = await first.port.roll({
      poolId: poolOf(manifest).id, tokenId: checkpoint.position!.tokenId, ...range,
      beforeStep: (step) => {
        if (step === 'roll') throw new SimulatedKill('kill -9 after the swap was mined');
      },
    }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SimulatedKill);
    expect(await agentSwaps(manifest, first.provider, fromBlock)).toHaveLength(1);
    const journaled = await first.journal.load(poolOf(manifest).id);
    expect(journaled).toMatchObject({ kind: 'roll', status: 'open', target: range });
    expect(journaled!.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['swap:confirmed']);
    await kill(first);

    // restart: a new process on the same store, from the checkpoint written before the roll
    const second = await start(dir);
    const resumed = await actor(second).run(checkpoint, { type: 'init' });
    expect(await agentSwaps(manifest, second.provider, fromBlock)).toHaveLength(1);
    expect(resumed.position).toMatchObject(range);
    expect(resumed.position!.tokenId).not.toBe(checkpoint.position!.tokenId);
    expect(resumed.rolls).toBe(1);
    expect(resumed.lastSagaId).toBe(journaled!.id);
    expect(resumed.status).toBe('running');
    const owned = await second.port.ownedPositions(poolOf(manifest).id);
    expect(owned.filter((p) => p.liquidity > 0n).map((p) => p.tokenId)).toEqual([resumed.position!.tokenId]);
    expect((await second.journal.load(poolOf(manifest).id))!.status).toBe('done');
    await expectBooksFromWallet(second, resumed, walletBeforeMint);
    expect(second.capture.text()).toContain('resuming an unfinished saga from its last confirmed step');
  });

  it('killed after the roll transaction was mined, before the checkpoint: the roll is applied once', async () => {
    const dir = await dataDir();
    const first = await start(dir);
    const { state: checkpoint, walletBeforeMint } = await mintedAndOutOfRange(first);
    const fromBlock = await first.provider.getBlockNumber();
    const range = await target(first);
    // the port finishes the roll; the process dies before the actor's new state reaches the store
    const rolled = await first.port.roll({ poolId: poolOf(manifest).id, tokenId: checkpoint.position!.tokenId, ...range });
    await kill(first);

    const second = await start(dir);
    const a = actor(second);
    const once = await a.run(checkpoint, { type: 'init' });
    expect(once.position!.tokenId).toBe(rolled.position.tokenId);
    expect(once.rolls).toBe(1);
    expect(once.lastRoll?.txHash).toBe(rolled.receipt.hash);
    await expectBooksFromWallet(second, once, walletBeforeMint);
    // start-up again from that state: the saga is not applied twice, nothing is sent
    const nonce = await second.provider.getTransactionCount(second.port.owner, 'latest');
    const twice = await a.run(once, { type: 'init' });
    expect(twice.rolls).toBe(1);
    expect(twice.held).toEqual(once.held);
    expect(await second.provider.getTransactionCount(second.port.owner, 'latest')).toBe(nonce);
    expect(await agentSwaps(manifest, second.provider, fromBlock)).toHaveLength(1);
  });

  it.each(['swap', 'roll'] as const)('killed after the %s step was journaled and before it was broadcast: that step is sent once, as signed', async (at) => {
    const dir = await dataDir();
    const first = await start(dir, {
      afterJournaled: (step) => {
        if (step === at) throw new SimulatedKill(`kill -9 after journaling the ${at}`);
      },
    });
    const { state: checkpoint, walletBeforeMint } = await mintedAndOutOfRange(first);
    const fromBlock = await first.provider.getBlockNumber();
    const range = await target(first);
    const nonceBefore = await first.provider.getTransactionCount(first.port.owner, 'latest');
    const err = await first.port.roll({ poolId: poolOf(manifest).id, tokenId: checkpoint.position!.tokenId, ...range }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SimulatedKill);
    const journaled = (await first.journal.load(poolOf(manifest).id))!;
    const step = journaled.steps.find((s) => s.name === at)!;
    expect(step.status).toBe('sending');
    // never broadcast: its nonce is still the account's next one
    expect(await first.provider.getTransaction(step.txs[0]!.hash)).toBeNull();
    expect(await first.provider.getTransactionCount(first.port.owner, 'latest')).toBe(step.nonce);
    expect(step.nonce).toBeGreaterThanOrEqual(nonceBefore);
    await kill(first);

    const second = await start(dir);
    const resumed = await actor(second).run(checkpoint, { type: 'init' });
    const swaps = await agentSwaps(manifest, second.provider, fromBlock);
    expect(swaps).toHaveLength(1);
    // the journaled, signed transaction is the one that was mined
    const done = (await second.journal.load(poolOf(manifest).id))!;
    expect(done.status).toBe('done');
    expect(done.steps.find((s) => s.name === at)!.minedHash).toBe(step.txs[0]!.hash);
    if (at === 'swap') expect(swaps[0]).toBe(step.txs[0]!.hash);
    expect(resumed.position).toMatchObject(range);
    expect(resumed.rolls).toBe(1);
    await expectBooksFromWallet(second, resumed, walletBeforeMint);
  });
});

describe('a journaled step whose nonce went to another transaction', () => {
  it('is found dropped on restart: the saga is abandoned, nothing is swapped, the position and books stay as they were', async () => {
    const dir = await dataDir();
    const first = await start(dir, {
      afterJournaled: (step) => {
        if (step === 'swap') throw new SimulatedKill('kill -9 after journaling the swap');
      },
    });
    const { state: checkpoint, walletBeforeMint } = await mintedAndOutOfRange(first);
    const fromBlock = await first.provider.getBlockNumber();
    const range = await target(first);
    const err = await first.port.roll({ poolId: poolOf(manifest).id, tokenId: checkpoint.position!.tokenId, ...range }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SimulatedKill);
    const step = (await first.journal.load(poolOf(manifest).id))!.steps[0]!;
    await kill(first);
    // someone (an operator's wallet tool) uses the nonce meanwhile: a plain self-transfer
    const agent = accountWithRole(manifest, 'agent');
    const other = await new Wallet(agent.privateKey, devnet().provider).sendTransaction({ to: agent.address, value: 0n, nonce: step.nonce });
    await other.wait();

    const second = await start(dir);
    const resumed = await actor(second).run(checkpoint, { type: 'init' });
    expect(await agentSwaps(manifest, second.provider, fromBlock)).toHaveLength(0);
    const rec = (await second.journal.load(poolOf(manifest).id))!;
    expect(rec.status).toBe('abandoned');
    expect(rec.steps[0]!.status).toBe('failed');
    expect(resumed.position!.tokenId).toBe(checkpoint.position!.tokenId);
    expect(resumed.rolls).toBe(0);
    expect(resumed.lastSagaId).toBe(rec.id);
    await expectBooksFromWallet(second, resumed, walletBeforeMint);
  });
});

describe('a resumed roll that cannot finish at start-up', () => {
  it('leaves the pool "starting" (not the checkpoint\'s "running"): nothing is decided on unreconciled books, and the next snapshot finishes it', async () => {
    const dir = await dataDir();
    const first = await start(dir);
    const { state: checkpoint, walletBeforeMint } = await mintedAndOutOfRange(first);
    expect(checkpoint.status).toBe('running');
    const range = await target(first);
    const fromBlock = await first.provider.getBlockNumber();
    const err = await first.port.roll({
      poolId: poolOf(manifest).id, tokenId: checkpoint.position!.tokenId, ...range,
      beforeStep: (step) => {
        if (step === 'roll') throw new SimulatedKill('kill -9 after the swap was mined');
      },
    }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SimulatedKill);
    await kill(first);

    // restarted while the market runs away from every plan of the roll transaction: the resume gives up for now
    const second = await start(dir);
    const mover = marketMover(manifest);
    let up = true;
    second.provider.beforeCall = async (tx) => {
      if (typeof tx.to !== 'string' || tx.to.toLowerCase() !== manifest.contracts.positionManager.toLowerCase() || typeof tx.data !== 'string' || !tx.data.startsWith(MODIFY_LIQUIDITIES)) return;
      await mover.swap(!up, up ? 300n * WETH : 1_000_000n * USDC);
      up = !up;
    };
    const a = actor(second);
    const notYet = await a.run(checkpoint, { type: 'init' });
    expect(notYet.status).toBe('starting');
    expect(notYet.lastError).toMatch(/^reconciliation: /);
    expect((await second.journal.load(poolOf(manifest).id))!.status).toBe('open');

    // the market calms down: the next snapshot reconciles first, finishing the roll it journaled (one swap)
    second.provider.beforeCall = null;
    mover.close();
    const snap = await second.port.poolSnapshot(poolOf(manifest).id);
    const done = await a.run(notYet, { type: 'snapshot', snapshot: snap });
    expect(done.status).toBe('running');
    expect(done.position).toMatchObject(range);
    expect(done.rolls).toBe(1);
    expect(await agentSwaps(manifest, second.provider, fromBlock)).toHaveLength(1);
    await expectBooksFromWallet(second, done, walletBeforeMint);
  });
});

describe('a halt during a roll', () => {
  it('stops every step not yet sent; the saga stays journaled and is finished after resume without a second swap', async () => {
    const dir = await dataDir();
    const ks = new KillSwitch();
    // the operator's halt arrives while the swap is being sent
    const first = await start(dir, {
      afterJournaled: (step) => {
        if (step === 'swap') ks.halt('operator halt during the roll');
      },
    });
    const { state: checkpoint, walletBeforeMint } = await mintedAndOutOfRange(first);
    const gated = gateChain(first.port, ks);
    const fromBlock = await first.provider.getBlockNumber();
    const range = await target(first);
    const err = await gated.roll({ poolId: poolOf(manifest).id, tokenId: checkpoint.position!.tokenId, ...range }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(HaltedError);
    // the swap (already signed and journaled when the halt came) went out; nothing after it did
    const nonceAfterHalt = await first.provider.getTransactionCount(first.port.owner, 'latest');
    const journaled = (await first.journal.load(poolOf(manifest).id))!;
    expect(journaled.status).toBe('open');
    expect(journaled.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['swap:confirmed']);
    expect(nonceAfterHalt).toBe(journaled.steps[0]!.nonce + 1);
    // while halted, a restart resumes nothing either
    const haltedActor = actor(first, gated);
    const whileHalted = await haltedActor.run(checkpoint, { type: 'init' });
    expect(whileHalted.position!.tokenId).toBe(checkpoint.position!.tokenId);
    expect(await first.provider.getTransactionCount(first.port.owner, 'latest')).toBe(nonceAfterHalt);

    ks.resume();
    const resumed = await haltedActor.run(whileHalted, { type: 'init' });
    expect(resumed.position).toMatchObject(range);
    expect(await agentSwaps(manifest, first.provider, fromBlock)).toHaveLength(1);
    await expectBooksFromWallet(first, resumed, walletBeforeMint);
  });
});

describe('books that cannot be right', () => {
  it('a wallet holding less than the books halts the position with the reason, once, and never throws', async () => {
    const dir = await dataDir();
    const first = await start(dir);
    const deltas: number[] = [];
    const halts: string[] = [];
    const behaviour = positionBehaviour({
      config: config(first), chain: first.port, log: first.log, now: () => Date.now(), publish: () => undefined,
      reportDelta: (_p, _a, _s, delta) => deltas.push(delta), reportRisk: () => undefined, requestHalt: (reason) => halts.push(reason),
    });
    const ctx = { name: 'position-test' } as BehaviourContext<PositionMsg>;
    const minted = await behaviour(initialPositionState(first.onChainPool.desc), { type: 'init' }, ctx);
    expect(minted.status).toBe('running');
    // the wallet's pool tokens leave it outside the agent: it holds less than the books say
    const agent = accountWithRole(manifest, 'agent');
    const signer = new Wallet(agent.privateKey, first.provider);
    const to = accountWithRole(manifest, 'deployer').address;
    const w = await walletBalances(manifest, first.provider);
    const key = poolOf(manifest).key;
    for (const [token, amount] of [[key.currency0, w.amount0], [key.currency1, w.amount1]] as const) {
      const erc20 = new Contract(token, ['function transfer(address,uint256) returns (bool)'], signer);
      await (await erc20.getFunction('transfer')(to, amount) as TransactionResponse).wait();
    }
    const reported = deltas.length;
    const restarted = await behaviour(minted, { type: 'init' }, ctx);
    expect(restarted.status).toBe('halted');
    expect(restarted.haltReason).toMatch(/the wallet holds \d+ raw units of (USDC|WETH) less than the books say/);
    expect(BigInt(restarted.walletShortfall!.amount0) + BigInt(restarted.walletShortfall!.amount1)).toBe(BigInt(minted.held.amount0) + BigInt(minted.held.amount1));
    expect(halts).toEqual([restarted.haltReason]);
    // the hedge is not told a delta from impossible books
    expect(deltas.length).toBe(reported);
    // later messages neither throw nor ask for the halt again
    const snap = await first.port.poolSnapshot(poolOf(manifest).id);
    const later = await behaviour(restarted, { type: 'snapshot', snapshot: { ...snap, blockNumber: snap.blockNumber + 1 } }, ctx);
    expect(later.status).toBe('halted');
    expect(halts).toHaveLength(1);
  });
});

describe('books that took from the wallet\'s float', () => {
  it('are reported as fromFloat, and value and delta count held − fromFloat', async () => {
    const first = await start(await dataDir());
    const a = actor(first);
    const minted = await a.run(initialPositionState(first.onChainPool.desc), { type: 'init' });
    const poolId = poolOf(manifest).id;
    const held = (await first.books.held(poolId))!;
    // as if the mint had paid in 2 WETH more than the pool's books held, the rest from the float
    // (written into the books record as the saga's end would have: same last saga, so it is not applied again)
    const over = 2n * WETH;
    const key = `agent/test/books/${poolId.toLowerCase()}`;
    const rec = (await first.store.get(key))!;
    await first.store.put(key, { ...(rec.value as Record<string, unknown>), amount1: '0', fromFloat1: (over - held.amount1).toString() }, rec.version);
    expect(await first.books.fromFloat(poolId)).toEqual({ amount0: 0n, amount1: over - held.amount1 });
    const again = await a.run(minted, { type: 'init' });
    expect(again.haltReason).toBeNull();
    expect(again.status).toBe('running');
    expect(again.held.amount1).toBe('0');
    expect(again.fromFloat).toEqual({ amount0: '0', amount1: (over - held.amount1).toString() });
    // WETH is the asset here (token1): held − fromFloat went from +held to −(over − held), 2 WETH less
    expect(again.delta).toBeCloseTo(minted.delta - 2, 9);
    expect(again.valueUsd).toBeCloseTo(minted.valueUsd - 2 * again.assetPrice, 6);
  });
});

describe('two pools sharing both tokens', () => {
  it('keep separate books: what one pool\'s sagas move never shows in the other\'s held', async () => {
    const dir = await dataDir();
    const a = await start(dir, {}, true);
    const [p0, p1] = manifest.pools;
    expect(p1!.key.currency0).toBe(p0!.key.currency0);
    expect(p1!.key.currency1).toBe(p0!.key.currency1);
    const range = async (id: string): Promise<{ tickLower: number; tickUpper: number }> => {
      const spacing = manifest.pools.find((p) => p.id === id)!.key.tickSpacing;
      const t = (await a.port.poolSnapshot(id)).tick;
      const c = Math.floor(t / spacing) * spacing;
      return { tickLower: c - 20 * spacing, tickUpper: c + 20 * spacing };
    };
    const m0 = await a.port.mint({ poolId: p0!.id, ...(await range(p0!.id)), amount0Max: DEPOSIT.amount0, amount1Max: DEPOSIT.amount1 });
    const books0 = { amount0: DEPOSIT.amount0 - m0.amount0, amount1: DEPOSIT.amount1 - m0.amount1 };
    expect(await a.books.held(p0!.id)).toEqual(books0);
    const m1 = await a.port.mint({ poolId: p1!.id, ...(await range(p1!.id)), amount0Max: DEPOSIT.amount0, amount1Max: DEPOSIT.amount1 });
    const wd = await a.port.withdraw(m1.position);
    // pool 1 paid in and took out of the same wallet; pool 0's books did not move
    expect(await a.books.held(p0!.id)).toEqual(books0);
    const held1 = await a.books.held(p1!.id);
    const w = await walletBalances(manifest, a.provider);
    expect(await a.port.heldTokens(p0!.id)).toEqual({ ...books0, shortfall0: 0n, shortfall1: 0n, fromFloat0: 0n, fromFloat1: 0n });
    // pool 1's books: its deposit, less what its mint paid, plus what its burn returned, to the wei
    expect(held1).toEqual({ amount0: DEPOSIT.amount0 - m1.amount0 + wd.amount0 + wd.fees0, amount1: DEPOSIT.amount1 - m1.amount1 + wd.amount1 + wd.fees1 });
    expect(books0.amount0 + held1!.amount0).toBeLessThanOrEqual(w.amount0);
    expect(books0.amount1 + held1!.amount1).toBeLessThanOrEqual(w.amount1);
  });
});
