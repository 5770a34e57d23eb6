/**
 * The kill switch's hard gate. Actors refuse work while halted, but messages already queued in
 * a mailbox could still reach a port after the halt was decided; so the ports themselves are
 * wrapped: while halted, no mint, no roll and no order leaves the process. The only exceptions
 * are the unwind the halt itself asked for: withdrawals when it withdraws liquidity, reduce-only
 * orders when it flattens hedges. Reads and cancels always pass.
 *
 * Stopping the agent closes the same gate for good (stopTrading): nothing risk-adding and no unwind
 * leaves after that, and it is not a halt (nothing is recorded; a restart trades again).
 *
 * With a lease (high availability, store/lease.ts) the gate also closes while this process does
 * not hold a fresh lease: then nothing leaves at all, not even an unwind or a cancel (the orders
 * on the venue are the new holder's to manage).
 */
import type { ExchangeVenue } from '../../adapters/exchange/venue.js';
import type { ChainPort, StepGate } from '../ports.js';
import { gatedChain, gatedVenue } from './gatedPorts.js';
import type { LeaseGuard } from '../../adapters/store/lease.js';
import { InFlight } from './inFlight.js';

/** Thrown by a gated port when a risk-adding call is attempted while halted. */
export class HaltedError extends Error {
  override readonly name = 'HaltedError';
  constructor(readonly operation: string, readonly reason: string) {
    super(`halted (${reason}): ${operation} refused`);
  }
}

/** What a halt may still do: withdraw liquidity, flatten hedges. */
export interface UnwindPermit {
  withdraw: boolean;
  flatten: boolean;
}

export class KillSwitch {
  private haltedReason: string | null = null;
  private stoppedReason: string | null = null;
  private permit: UnwindPermit = { withdraw: false, flatten: false };
  private lease: LeaseGuard | null = null;
  /** Calls refused by the gate since start (each one is a bug upstream or a race the gate caught). */
  refused = 0;
  /** Gated work running now (filled by trackChain and trackVenue): what a halt finds still in flight. */
  readonly inFlight: InFlight;

  /** `now`: the agent's clock (its Scheduler), which dates the work in flight. */
  constructor(now: () => number = Date.now) {
    this.inFlight = new InFlight(now);
  }

  get halted(): boolean {
    return this.haltedReason !== null;
  }

  get reason(): string | null {
    return this.haltedReason;
  }

  get unwind(): UnwindPermit {
    return this.permit;
  }

  /** Halts (first reason kept); a later halt can only widen the unwind permit. */
  halt(reason: string, unwind: UnwindPermit = { withdraw: false, flatten: false }): void {
    if (this.haltedReason === null) this.haltedReason = reason;
    this.permit = { withdraw: this.permit.withdraw || unwind.withdraw, flatten: this.permit.flatten || unwind.flatten };
  }

  resume(): void {
    this.haltedReason = null;
    this.permit = { withdraw: false, flatten: false };
  }

  /** From now on every gated call first asks `lease` (it throws LeaseLostError unless the lease is held and fresh). */
  fenceWith(lease: LeaseGuard): void {
    this.lease = lease;
  }

  /** Throws LeaseLostError when a lease guards this gate and is not held fresh (cancels and leverage changes are checked by this alone). */
  checkLease(operation: string): void {
    if (this.lease === null) return;
    try {
      this.lease.assertHeld(operation);
    } catch (err) {
      this.refused += 1;
      throw err;
    }
  }

  /** Closes the gate for good because the agent stops (first reason kept); not a halt. */
  stopTrading(reason: string): void {
    this.stoppedReason ??= reason;
  }

  /** True once stopTrading was called. */
  get stopped(): boolean {
    return this.stoppedReason !== null;
  }

  /**
   * Throws HaltedError once trading stopped, and while halted unless `unwind` (the operation is
   * an unwind the halt permits); LeaseLostError first, whatever the operation, without a fresh lease.
   */
  check(operation: string, unwind = false): void {
    this.checkLease(operation);
    const reason = this.stoppedReason ?? (unwind ? null : this.haltedReason);
    if (reason !== null) {
      this.refused += 1;
      throw new HaltedError(operation, reason);
    }
  }
}

/**
 * A ChainPort whose mint and roll (and withdraw, unless the halt unwinds) throw HaltedError while
 * halted or stopped: checked when the call starts and again right before each of its saga's steps is sent
 * (a halt during a roll stops the steps not yet sent).
 */
export function gateChain(chain: ChainPort, ks: KillSwitch): ChainPort {
  return gatedChain(chain, (_poolId, operation, withdraw) => ks.check(operation, withdraw && ks.unwind.withdraw));
}

/** An ExchangeVenue whose orders throw HaltedError while halted (reduce-only ones pass when the halt flattens) or stopped. */
export function gateVenue(venue: ExchangeVenue, ks: KillSwitch): ExchangeVenue {
  return gatedVenue(venue, {
    other: (operation) => ks.checkLease(operation),
    order: (req) => ks.check(`order ${req.clientOrderId}`, req.reduceOnly === true && ks.unwind.flatten),
  });
}

/**
 * Lists a gated chain's mint, roll and withdraw calls in `ks.inFlight` while they run. Wraps the
 * plain object gateChain returns (its other members are kept as they are); put it outside the
 * gate, so a refused call is over at once.
 */
export function trackChain(chain: ChainPort, ks: KillSwitch): ChainPort {
  return {
    ...chain,
    withdraw: (p, ...rest) => ks.inFlight.run({ kind: 'withdraw', target: p.poolId, detail: `token ${p.tokenId}` }, () => chain.withdraw(p, ...rest)),
    mint: (req) => ks.inFlight.run({ kind: 'mint', target: req.poolId, detail: `ticks ${req.tickLower}..${req.tickUpper}` }, () => chain.mint(req)),
    roll: (req) => ks.inFlight.run({ kind: 'roll', target: req.poolId, detail: `token ${req.tokenId} to ticks ${req.tickLower}..${req.tickUpper}` }, () => chain.roll(req)),
    // a saga resumed after a restart sends transactions too: it is in flight like a roll
    ...(chain.resume === undefined ? {} : {
      resume: (poolId: string, opts?: { beforeStep?: StepGate }) => ks.inFlight.run({ kind: 'roll', target: poolId, detail: 'resumed saga' }, () => chain.resume!(poolId, opts)),
    }),
  };
}

/** Lists a gated venue's orders in `ks.inFlight` while they are being placed (see trackChain). */
export function trackVenue(venue: ExchangeVenue, ks: KillSwitch): ExchangeVenue {
  return {
    ...venue,
    createOrder: (req) => ks.inFlight.run(
      { kind: 'order', target: venue.id, detail: `${req.side} ${req.amount} ${req.symbol}${req.reduceOnly === true ? ' reduce-only' : ''} (${req.clientOrderId})` },
      () => venue.createOrder(req),
    ),
  };
}
