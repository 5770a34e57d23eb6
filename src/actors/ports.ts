/**
 * The ports the actors talk to the outside world through. Actors do no I/O of their own: they
 * are handed a ChainPort (pools and liquidity positions) and ExchangeVenues (perp hedges) at spawn.
 * The same actors run against the simulated chain (backtests, tests), the devnet and a live RPC.
 */
import type { Observable } from 'rxjs';
export type { ExchangeVenue } from '../adapters/exchange/venue.js';

/** Static description of a pool the agent manages. */
export interface PoolDescriptor {
  /** bytes32 pool id, 0x-prefixed hex. */
  poolId: string;
  /** Underlying asset the pool's delta is hedged in, e.g. "ETH". */
  asset: string;
  /** Whether the asset is token0 (else token1); the other token is the quote. */
  assetIsToken0: boolean;
  /** Perp symbol the hedge trades, e.g. "ETH/USDT:USDT". */
  hedgeSymbol: string;
  /**
   * The quote token when it is not a USD stablecoin (e.g. WETH in a WBTC/WETH pool): the asset it
   * is priced and hedged as, and that asset's perp symbol. Absent: the quote is worth 1 USD.
   */
  quote?: QuoteAsset;
  token0: { symbol: string; decimals: number };
  token1: { symbol: string; decimals: number };
  /** Fee in hundredths of a bip (3000 = 0.30%). */
  fee: number;
  tickSpacing: number;
}

/** A non-USD quote token: its asset (e.g. "ETH") and the perp symbol its USD mark and hedge come from. */
export interface QuoteAsset {
  asset: string;
  hedgeSymbol: string;
}

/** A pool's state at one block. Prices are human (token1 per token0 adjusted for decimals). */
export interface PoolSnapshot {
  poolId: string;
  sqrtPriceX96: bigint;
  tick: number;
  /** Active liquidity. */
  liquidity: bigint;
  /** Human price, token1 per token0. */
  price: number;
  blockNumber: number;
  /** ms since epoch (block timestamp). */
  at: number;
}

/** A liquidity position the agent owns on chain. */
export interface OwnedPosition {
  /** PositionManager token id (decimal string). */
  tokenId: string;
  poolId: string;
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
}

/** Result of a transaction sent through the chain port. */
export interface TxReceipt {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
  /** Effective gas price, wei. */
  gasPriceWei: bigint;
}

/**
 * Called right before each step of a chain saga is sent (a swap, a roll, a mint, a withdraw
 * transaction) with the step's name; throws (HaltedError) to stop it. The kill switch's gate.
 */
export type StepGate = (step: string) => void;

export interface MintRequest {
  poolId: string;
  tickLower: number;
  tickUpper: number;
  /** Maximum token amounts to deposit, raw units. */
  amount0Max: bigint;
  amount1Max: bigint;
  beforeStep?: StepGate;
}

export interface MintResult {
  /** The journaled saga this came from (a PositionActor applies each saga once). */
  sagaId?: string;
  position: OwnedPosition;
  /** Tokens actually deposited, raw units. */
  amount0: bigint;
  amount1: bigint;
  receipt: TxReceipt;
}

export interface RollRequest {
  poolId: string;
  tokenId: string;
  tickLower: number;
  tickUpper: number;
  beforeStep?: StepGate;
}

export interface RollResult {
  /** The journaled saga this came from (a PositionActor applies each saga once). */
  sagaId?: string;
  /** The new position (a roll burns the old token and mints a new one). */
  position: OwnedPosition;
  /** Fees collected from the old position, raw units. */
  fees0: bigint;
  fees1: bigint;
  /** Tokens deposited in the new position, raw units. */
  amount0: bigint;
  amount1: bigint;
  /**
   * Net change of the wallet's balances across the roll (old principal + fees the new position
   * did not take, minus anything the wallet paid in, e.g. a re-balancing swap), raw units, signed.
   */
  returned0: bigint;
  returned1: bigint;
  receipt: TxReceipt;
}

export interface WithdrawResult {
  /** The journaled saga this came from (a PositionActor applies each saga once). */
  sagaId?: string;
  amount0: bigint;
  amount1: bigint;
  fees0: bigint;
  fees1: bigint;
  receipt: TxReceipt;
}

/**
 * A roll that failed after it had already moved tokens (e.g. a re-balancing swap went through,
 * then the roll transaction reverted): the position is unchanged, the wallet changed by
 * returned0/returned1 (signed, raw units), which the caller must keep counting.
 */
export class PartialRollError extends Error {
  override readonly name = 'PartialRollError';
  constructor(readonly poolId: string, readonly returned0: bigint, readonly returned1: bigint, cause: unknown) {
    super(`roll in ${poolId} failed after moving wallet tokens (${returned0}, ${returned1}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** How a journaled chain saga ended: finished (with what it did) or abandoned (nothing more sent). */
export type SagaOutcome =
  | { id: string; kind: 'roll'; status: 'done'; result: RollResult }
  | { id: string; kind: 'mint'; status: 'done'; result: MintResult }
  | { id: string; kind: 'withdraw'; status: 'done'; result: WithdrawResult }
  | { id: string; kind: 'roll' | 'mint' | 'withdraw'; status: 'abandoned'; note: string };

/** Token amounts, raw units. */
export interface TokenAmounts {
  amount0: bigint;
  amount1: bigint;
}

/** A pool's held tokens from its books, and how much less of each the wallet holds than all pools' books say (0: enough). */
export interface HeldTokens extends TokenAmounts {
  shortfall0: bigint;
  shortfall1: bigint;
  /** What the pool's sagas took from the wallet's float beyond its books, cumulative (absent: none); the strategy's own is held − fromFloat. */
  fromFloat0?: bigint;
  fromFloat1?: bigint;
  /**
   * A vault's pool: its shares at the vault's inception share price, raw quote units, read at the
   * same block as the tokens; a deposits-funded position's PnL reference (so PnL is the share
   * price's, whatever deposits and withdrawals do).
   */
  capital?: bigint;
}

/** Uncollected fees of a position, raw units. */
export interface PositionFees {
  fees0: bigint;
  fees1: bigint;
}

/** One initialized tick of a pool, as StateView reports it. */
export interface PoolTick {
  tick: number;
  liquidityGross: bigint;
  liquidityNet: bigint;
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
}

/**
 * A pool's liquidity around its price at one block: slot0, active liquidity, global fee growth
 * and every initialized tick in [knownLower, knownUpper) (ascending).
 */
export interface PoolLiquidity {
  poolId: string;
  blockNumber: number;
  sqrtPriceX96: bigint;
  tick: number;
  liquidity: bigint;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
  ticks: PoolTick[];
  knownLower: number;
  knownUpper: number;
}

/**
 * The chain as the actors see it. Reads are side-effect free; mint/roll/withdraw send
 * transactions and are the only calls the kill switch must block.
 */
export interface ChainPort {
  readonly id: string;
  /** The agent's address (owner of its positions). */
  readonly owner: string;
  poolSnapshot(poolId: string): Promise<PoolSnapshot>;
  /** Positions of `owner` in this pool (start-up reconciliation). */
  ownedPositions(poolId: string): Promise<OwnedPosition[]>;
  positionFees(position: OwnedPosition): Promise<PositionFees>;
  gasPriceWei(): Promise<bigint>;
  mint(req: MintRequest): Promise<MintResult>;
  roll(req: RollRequest): Promise<RollResult>;
  withdraw(position: OwnedPosition, opts?: { beforeStep?: StepGate }): Promise<WithdrawResult>;
  /**
   * Finishes the pool's journaled saga that a crash or a halt left unfinished (from its last
   * confirmed step) and returns how the pool's latest saga ended (null: none journaled). Ports
   * whose transactions are atomic (the simulated chain) have none.
   */
  resume?(poolId: string, opts?: { beforeStep?: StepGate }): Promise<SagaOutcome | null>;
  /** The pool's tokens the strategy holds outside its position, from the chain (null: no books yet). */
  heldTokens?(poolId: string): Promise<HeldTokens | null>;
  /** Starts the books of a pool deposited before books existed, from the checkpointed `held`. */
  adoptBooks?(poolId: string, held: TokenAmounts): Promise<HeldTokens>;
  /** The pool's initialized ticks and fee growth around its price (measured fee yield, liquidity profile); absent: not measured. */
  poolLiquidity?(poolId: string): Promise<PoolLiquidity>;
  /** Pool snapshots as blocks/swaps change them. */
  readonly snapshots$: Observable<PoolSnapshot>;
}
