/**
 * The ChainPort over a real chain (devnet or live RPC): pool state through StateView, positions
 * through the periphery PositionManager (mint, roll in one transaction, burn), ownership by
 * replaying the PositionManager's NFT transfers, fees from fee growth, and a pool snapshot after
 * each new block (a burst of blocks read once, for the newest). Transactions go through the
 * positions client's TxSender (fee caps, pre-flight simulation, nonce sequence).
 *
 * Rolls and token ratio: a position that left its range holds one token only, while the new
 * range needs both. With a swap router configured (the Universal Router on a live chain and on
 * the devnet; PoolSwapTest in some tests) a roll first swaps, exact-in and fronted from the
 * wallet, the amount our exact pool model says brings the old position's principal and fees to
 * the ratio the new range needs at the price after the swap, with a minimum output of the
 * model's prediction less `slippageBps`; then it rolls with the swap's net flows from its receipt
 * (the output added, the input taken off the old position's tokens), and the part of the old
 * position's input token the swap already spent returns to the wallet. The wallet must hold a
 * float of the input token the size of that swap (what it holds caps the swap). Without a router
 * the roll only redeploys what the old tokens can fund. Either way, the net change of the
 * wallet's balances is reported as returned0/1.
 *
 * Crash safety: every roll, mint and withdraw is a saga journaled in the agent's Store
 * (saga/rollSaga.ts, mintSaga.ts, withdrawSaga.ts): the record before the first step, each step's
 * signed transaction before it is broadcast. A call finds the pool's unfinished saga first and
 * resumes it from its last confirmed step (`resume` does the same at start-up), so a kill -9
 * between the swap and the roll never swaps twice. Each step checks the caller's `beforeStep`
 * gate right before it is sent. What the strategy holds in the wallet is kept from the chain:
 * each pool's books move by its sagas' receipts and are checked against the wallet (saga/poolBooks.ts).
 */
import { Subject, type Observable } from 'rxjs';
import type { Block, Provider } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import type {
  ChainPort, HeldTokens, MintRequest, MintResult, OwnedPosition, PoolLiquidity, PoolSnapshot, PositionFees, RollRequest, RollResult, SagaOutcome, StepGate,
  TokenAmounts, WithdrawResult,
} from '../../../actors/ports.js';
import { MemoryStore } from '../../store/memoryStore.js';
import { readInitializedTicks } from '../initializedTicks.js';
import { rawToHumanPrice, sqrtPriceX96ToPrice } from '../../../math/priceTick.js';
import type { PositionManagerClient, PositionView } from '../positions/positionManager.js';
import type { SwapRouter } from '../swap/swapRouter.js';
import { StoreRollJournal, type RollJournal } from '../saga/rollJournal.js';
import { continueRoll, startRoll } from '../saga/rollSaga.js';
import { continueMint, startMint } from '../saga/mintSaga.js';
import { continueWithdraw, startWithdraw } from '../saga/withdrawSaga.js';
import { abandon, SagaAbandonedError, settle, stepOf, walletOf, type SagaContext, type SagaHooks } from '../saga/sagaContext.js';
import type { SagaRecord } from '../saga/sagaRecord.js';
import { StorePoolBooks, type PoolBooks } from '../saga/poolBooks.js';
import type { OnChainPool } from './onChainPool.js';

export type { OnChainPool } from './onChainPool.js';
export { DEFAULT_REBALANCE_SLIPPAGE_BPS } from '../saga/rollSaga.js';

export interface OnChainPortOptions {
  provider: Provider;
  positions: PositionManagerClient;
  owner: string;
  pools: OnChainPool[];
  /** Block to scan position ownership from (the deployment block, or the agent's first). */
  fromBlock: number;
  log: Logger;
  /**
   * Router that re-balances tokens on a roll (see the module comment), trading as the agent's
   * wallet, and the minimum output below the model's prediction, bps (default 50). Absent: rolls
   * do not re-balance.
   */
  swap?: { router: SwapRouter; slippageBps?: number };
  /**
   * The saga journal and the books: durable in the agent's Store for a real agent
   * (StoreRollJournal, StorePoolBooks); default in this process's memory (no crash safety).
   */
  journal?: RollJournal;
  books?: PoolBooks;
  /** How long a journaled, unmined step is waited for when a saga is resumed (ms; default 120 s). */
  resumeTimeoutMs?: number;
  /** Crash drills and tests: observe each step right after it is journaled. */
  sagaHooks?: SagaHooks;
}

/** Thrown for a pool id the port was not configured with. */
export class UnknownPoolError extends Error {
  override readonly name = 'UnknownPoolError';
  constructor(readonly poolId: string) {
    super(`on-chain port: pool ${poolId} is not configured`);
  }
}

function owned(v: PositionView): OwnedPosition {
  return { tokenId: v.tokenId.toString(), poolId: v.poolId, tickLower: v.tickLower, tickUpper: v.tickUpper, liquidity: v.liquidity };
}

const open: StepGate = () => undefined;

/** ChainPort on a real chain (see the module comment). */
export class OnChainPort implements ChainPort {
  readonly id = 'onchain';
  readonly owner: string;
  private readonly pools = new Map<string, OnChainPool>();
  private readonly subject = new Subject<PoolSnapshot>();
  private readonly onBlock: (n: number) => void;
  private readonly journal: RollJournal;
  private readonly books: PoolBooks;
  /** The newest block announced, the newest read, and the round of snapshot reads in flight (at most one). */
  private newestBlock = -1;
  private readBlock = -1;
  private reading: Promise<void> | null = null;
  readonly snapshots$: Observable<PoolSnapshot> = this.subject.asObservable();

  constructor(private readonly o: OnChainPortOptions) {
    this.owner = o.owner;
    const mem = new MemoryStore();
    this.journal = o.journal ?? new StoreRollJournal(mem);
    this.books = o.books ?? new StorePoolBooks(mem);
    for (const p of o.pools) this.pools.set(p.desc.poolId.toLowerCase(), p);
    this.onBlock = (n: number) => {
      // (a lower number than before is new too: a devnet reverted to a snapshot)
      if (n === this.newestBlock) return;
      this.newestBlock = n;
      // started on the next turn of the event loop: ethers announces a burst's blocks one after
      // the other within one turn, so the round reads the newest of them
      if (this.reading === null) this.reading = new Promise<void>((r) => setImmediate(r)).then(() => this.readSnapshots()).finally(() => (this.reading = null));
    };
  }

  /**
   * One round of snapshots at a time, each for the newest block announced when it starts: a burst
   * of blocks (a poll that found many new ones, a busy chain) is read once, not once per block.
   * Each read is of the pools' current state, so the blocks in between would only have repeated
   * it under older stamps, and with 30 pools and a block every 30 ms that was thousands of calls a
   * second per process.
   */
  private async readSnapshots(): Promise<void> {
    while (this.readBlock !== this.newestBlock) {
      const n = this.newestBlock;
      this.readBlock = n;
      // one block header read for every pool's snapshot (a failure is reported per pool below)
      const block = this.o.provider.getBlock(n);
      block.catch(() => undefined);
      await Promise.all([...this.pools.values()].map((p) => this.snapshotOf(p, block, n).then(
        (s) => this.subject.next(s),
        (err: unknown) => this.o.log.warn({ err, poolId: p.desc.poolId, block: n }, 'pool snapshot read failed'),
      )));
    }
  }

  /** Starts emitting a snapshot of every pool on each new block. */
  async start(): Promise<void> {
    await this.o.provider.on('block', this.onBlock);
  }

  private pool(poolId: string): OnChainPool {
    const p = this.pools.get(poolId.toLowerCase());
    if (p === undefined) throw new UnknownPoolError(poolId);
    return p;
  }

  private ctx(p: OnChainPool, gate: StepGate | undefined): SagaContext {
    return {
      provider: this.o.provider, positions: this.o.positions, owner: this.owner, journal: this.journal, books: this.books, log: this.o.log, pool: p,
      ...(this.o.swap === undefined ? {} : { swap: this.o.swap }),
      resumeTimeoutMs: this.o.resumeTimeoutMs ?? 120_000, resumePollMs: 200, hooks: this.o.sagaHooks ?? {}, gate: gate ?? open,
    };
  }

  async poolSnapshot(poolId: string, blockNumber?: number): Promise<PoolSnapshot> {
    const p = this.pool(poolId);
    return this.snapshotOf(p, this.o.provider.getBlock(blockNumber ?? 'latest'), blockNumber);
  }

  /** The pool's slot0 and liquidity, stamped with `header`'s number and time. */
  private async snapshotOf(p: OnChainPool, header: Promise<Block | null>, blockNumber?: number): Promise<PoolSnapshot> {
    const sv = this.o.positions.stateView;
    const [slot0, liquidity, block] = await Promise.all([sv.getSlot0(p.desc.poolId), sv.getLiquidity(p.desc.poolId), header]);
    const price = rawToHumanPrice(sqrtPriceX96ToPrice(slot0.sqrtPriceX96), p.desc.token0.decimals, p.desc.token1.decimals);
    return {
      poolId: p.desc.poolId, sqrtPriceX96: slot0.sqrtPriceX96, tick: slot0.tick, liquidity, price,
      blockNumber: block?.number ?? blockNumber ?? 0, at: (block?.timestamp ?? Math.floor(Date.now() / 1000)) * 1000,
    };
  }

  /** The pool's initialized ticks within one bitmap word on each side of the current tick's word, and its fee growth. */
  async poolLiquidity(poolId: string): Promise<PoolLiquidity> {
    const p = this.pool(poolId);
    const read = await readInitializedTicks({ provider: this.o.provider, stateView: this.o.positions.stateView.address, poolId: p.desc.poolId, tickSpacing: p.key.tickSpacing, radiusWords: 1 });
    return {
      poolId: p.desc.poolId, blockNumber: read.blockNumber, sqrtPriceX96: read.sqrtPriceX96, tick: read.tick, liquidity: read.liquidity,
      feeGrowthGlobal0X128: read.feeGrowthGlobal0X128, feeGrowthGlobal1X128: read.feeGrowthGlobal1X128, ticks: read.ticks, knownLower: read.knownLower, knownUpper: read.knownUpper,
    };
  }

  async ownedPositions(poolId: string): Promise<OwnedPosition[]> {
    const p = this.pool(poolId);
    const all = await this.o.positions.positionsOf(this.owner, this.o.fromBlock);
    return all.filter((v) => v.poolId.toLowerCase() === p.desc.poolId.toLowerCase()).map(owned);
  }

  /**
   * The position's uncollected fees, read for the range the caller names while, in parallel, the
   * position is read to check it still exists (PositionNotFoundError otherwise): one round trip
   * fewer than reading first (this runs in the PositionActor's snapshot handling). Should the
   * chain's pool or range differ from the caller's, the fees are read again for the chain's.
   */
  async positionFees(position: OwnedPosition): Promise<PositionFees> {
    const tokenId = BigInt(position.tokenId);
    const asKnown = { tokenId, poolId: position.poolId, tickLower: position.tickLower, tickUpper: position.tickUpper };
    const [view, known] = await Promise.all([this.o.positions.read(tokenId), this.o.positions.uncollectedFees(asKnown)]);
    const same = view.poolId.toLowerCase() === position.poolId.toLowerCase() && view.tickLower === position.tickLower && view.tickUpper === position.tickUpper;
    const f = same ? known : await this.o.positions.uncollectedFees(view);
    return { fees0: f.amount0, fees1: f.amount1 };
  }

  async gasPriceWei(): Promise<bigint> {
    const fee = await this.o.provider.getFeeData();
    return fee.maxFeePerGas ?? fee.gasPrice ?? 0n;
  }

  /** The pool's unfinished saga, or null. */
  private async openSaga(poolId: string): Promise<SagaRecord | null> {
    const rec = await this.journal.load(poolId);
    return rec?.status === 'open' ? rec : null;
  }

  /** Runs a journaled saga on to its end, whatever its kind. */
  private async finishSaga(ctx: SagaContext, rec: SagaRecord): Promise<SagaOutcome> {
    if (rec.kind === 'roll') return { id: rec.id, kind: 'roll', status: 'done', result: await continueRoll(ctx, rec) };
    if (rec.kind === 'mint') return { id: rec.id, kind: 'mint', status: 'done', result: await continueMint(ctx, rec) };
    return { id: rec.id, kind: 'withdraw', status: 'done', result: await continueWithdraw(ctx, rec) };
  }

  async resume(poolId: string, opts?: { beforeStep?: StepGate }): Promise<SagaOutcome | null> {
    const p = this.pool(poolId);
    const rec = await this.journal.load(p.desc.poolId);
    if (rec === null) return null;
    if (rec.status === 'abandoned') return { id: rec.id, kind: rec.kind, status: 'abandoned', note: rec.note ?? '' };
    const ctx = this.ctx(p, opts?.beforeStep);
    if (rec.status === 'open') {
      this.o.log.warn({ sagaId: rec.id, kind: rec.kind, poolId: rec.poolId, steps: rec.steps.map((s) => `${s.name}:${s.status}`) }, 'resuming an unfinished saga from its last confirmed step');
      try {
        return await this.finishSaga(ctx, rec);
      } catch (err) {
        if (err instanceof SagaAbandonedError) return { id: rec.id, kind: rec.kind, status: 'abandoned', note: err.note };
        throw err;
      }
    }
    // done: what it did, for a PositionActor whose checkpoint lags behind it (it applies each saga once)
    try {
      return await this.finishSaga(ctx, rec);
    } catch (err) {
      // the position it made is gone since (withdrawn or rolled on): nothing left to apply
      this.o.log.info({ sagaId: rec.id, err: err instanceof Error ? err.message : String(err) }, 'finished saga no longer readable on chain');
      return { id: rec.id, kind: rec.kind, status: 'abandoned', note: 'finished; its position no longer exists' };
    }
  }

  async mint(req: MintRequest): Promise<MintResult> {
    const p = this.pool(req.poolId);
    const ctx = this.ctx(p, req.beforeStep);
    const pending = await this.openSaga(p.desc.poolId);
    if (pending?.kind === 'mint') return continueMint(ctx, pending);
    if (pending !== null) await this.finishSaga(ctx, pending);
    return startMint(ctx, req, async (rec) => {
      // the first deposit starts the pool's books; the mint's own flows are added when it ends
      await this.books.open(p.desc.poolId, { amount0: req.amount0Max, amount1: req.amount1Max }, `first deposit (mint saga ${rec.id})`);
    });
  }

  async roll(req: RollRequest): Promise<RollResult> {
    const p = this.pool(req.poolId);
    const ctx = this.ctx(p, req.beforeStep);
    const pending = await this.openSaga(p.desc.poolId);
    // an unfinished roll is finished to its journaled range, never started over
    if (pending?.kind === 'roll') return continueRoll(ctx, pending);
    if (pending !== null) await this.finishSaga(ctx, pending);
    return startRoll(ctx, req);
  }

  async withdraw(position: OwnedPosition, opts?: { beforeStep?: StepGate }): Promise<WithdrawResult> {
    const p = this.pool(position.poolId);
    const ctx = this.ctx(p, opts?.beforeStep);
    const pending = await this.openSaga(p.desc.poolId);
    if (pending?.kind === 'withdraw') return continueWithdraw(ctx, pending);
    let target = position;
    if (pending?.kind === 'roll') {
      // the unwind supersedes an unfinished roll: settle what it sent; if its roll was mined, withdraw the new position
      for (const s of pending.steps) if (s.status === 'sending') await settle(ctx, pending, s);
      const rolled = stepOf(pending, 'roll');
      if (rolled?.status === 'confirmed') {
        const done = await continueRoll(ctx, pending);
        target = done.position;
      } else {
        await abandon(ctx, pending, 'superseded by a withdraw');
      }
    } else if (pending !== null) {
      await this.finishSaga(ctx, pending);
    }
    return startWithdraw(ctx, target);
  }

  /**
   * The pool's held tokens from its books, checked against the wallet: how much less of each token
   * the wallet holds than the books of every pool holding it say (funds moved outside the agent),
   * which the PositionActor halts on; and what its sagas took from the wallet's float (poolBooks.ts).
   */
  async heldTokens(poolId: string): Promise<HeldTokens | null> {
    const p = this.pool(poolId);
    const held = await this.books.held(p.desc.poolId);
    if (held === null) return null;
    // every pool's books read at once (one round trip's time, not one per pool: 30 pools in a store over the network)
    const [[w0, w1], float, all] = await Promise.all([
      walletOf(this.ctx(p, undefined)), this.books.fromFloat(p.desc.poolId),
      Promise.all([...this.pools.values()].map(async (q) => ({ q, h: await this.books.held(q.desc.poolId) }))),
    ]);
    return {
      ...held, shortfall0: this.shortfall(all, p.key.currency0, w0), shortfall1: this.shortfall(all, p.key.currency1, w1),
      fromFloat0: float.amount0, fromFloat1: float.amount1,
    };
  }

  /** How much less of `currency` the wallet holds than the books of all pools holding it (0 when it holds enough). */
  private shortfall(all: { q: OnChainPool; h: TokenAmounts | null }[], currency: string, wallet: bigint): bigint {
    let booked = 0n;
    for (const { q, h } of all) {
      if (h === null) continue;
      if (q.key.currency0.toLowerCase() === currency.toLowerCase()) booked += h.amount0;
      if (q.key.currency1.toLowerCase() === currency.toLowerCase()) booked += h.amount1;
    }
    if (wallet >= booked) return 0n;
    this.o.log.warn({ currency, wallet: wallet.toString(), booked: booked.toString() }, 'the wallet holds less than the pools\' books: funds left it outside the agent');
    return booked - wallet;
  }

  async adoptBooks(poolId: string, held: TokenAmounts): Promise<HeldTokens> {
    const p = this.pool(poolId);
    await this.books.open(p.desc.poolId, held, 'started from the checkpointed held amounts');
    return (await this.heldTokens(poolId))!;
  }

  /** Stops listening for blocks and ends the snapshot stream (after the round of reads in flight). */
  async close(): Promise<void> {
    await this.o.provider.off('block', this.onBlock);
    await this.reading;
    this.subject.complete();
  }
}
