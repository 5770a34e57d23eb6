/**
 * The gates of an agent whose pools are spread over processes (scale-out): a pool's chain steps
 * leave only while this process holds that pool's lease fresh, and hedge orders, cancels and
 * leverage changes only while it holds the hedge's lease. Checked when a call starts and again
 * right before each step of a saga is sent, inside the kill switch's own gate (killSwitch.ts).
 */
import type { ExchangeVenue } from '../../adapters/exchange/venue.js';
import { LeaseLostError, type LeaseGuard } from '../../adapters/store/lease.js';
import type { ChainPort } from '../ports.js';
import { gatedChain, gatedVenue } from './gatedPorts.js';

/** Throws LeaseLostError unless `guard` is a lease held fresh. */
function assertGuard(guard: LeaseGuard | undefined, lease: string, operation: string): void {
  if (guard === undefined) throw new LeaseLostError(lease, operation, 'not held by this process');
  guard.assertHeld(operation);
}

/** A ChainPort whose mint, roll, withdraw and resumed saga of a pool go out only under that pool's lease. */
export function gateChainByPool(chain: ChainPort, guardOf: (poolId: string) => LeaseGuard | undefined): ChainPort {
  return gatedChain(chain, (poolId, operation) => assertGuard(guardOf(poolId), `pool ${poolId}`, operation));
}

/** An ExchangeVenue whose orders, cancels and leverage changes go out only under the hedge's lease. */
export function gateVenueByLease(venue: ExchangeVenue, guard: () => LeaseGuard | undefined): ExchangeVenue {
  const check = (operation: string): void => assertGuard(guard(), 'hedge', operation);
  return gatedVenue(venue, { other: check, order: (req) => check(`order ${req.clientOrderId}`) });
}
