/**
 * The gates of an agent whose pools are spread over processes (scale-out): a pool's chain steps
 * leave only while this process holds that pool's lease fresh, and hedge orders only while it
 * holds the hedge's lease. Checked when a call starts and again right before each step of a saga
 * is sent, inside the kill switch's own gate (killSwitch.ts), which stays as it is.
 */
import type { ExchangeVenue, OrderRequest } from '../../adapters/exchange/venue.js';
import { LeaseLostError, type LeaseGuard } from '../../adapters/store/lease.js';
import type { ChainPort, StepGate } from '../ports.js';

/** Throws LeaseLostError unless `guard` is a lease held fresh. */
function assertGuard(guard: LeaseGuard | undefined, lease: string, operation: string): void {
  if (guard === undefined) throw new LeaseLostError(lease, operation, 'not held by this process');
  guard.assertHeld(operation);
}

function chained(a: StepGate | undefined, b: StepGate): StepGate {
  return a === undefined ? b : (step) => {
    a(step);
    b(step);
  };
}

/** A ChainPort whose mint, roll, withdraw and resumed saga of a pool go out only under that pool's lease. */
export function gateChainByPool(chain: ChainPort, guardOf: (poolId: string) => LeaseGuard | undefined): ChainPort {
  const gate = (poolId: string) => (step: string): void => assertGuard(guardOf(poolId), `pool ${poolId}`, `${step} ${poolId}`);
  return {
    ...bindReads(chain),
    withdraw: async (p, opts) => {
      gate(p.poolId)('withdraw');
      return chain.withdraw(p, { ...opts, beforeStep: chained(opts?.beforeStep, gate(p.poolId)) });
    },
    mint: async (req) => {
      gate(req.poolId)('mint');
      return chain.mint({ ...req, beforeStep: chained(req.beforeStep, gate(req.poolId)) });
    },
    roll: async (req) => {
      gate(req.poolId)('roll');
      return chain.roll({ ...req, beforeStep: chained(req.beforeStep, gate(req.poolId)) });
    },
    ...(chain.resume === undefined ? {} : {
      resume: (poolId: string, opts?: { beforeStep?: StepGate }) => chain.resume!(poolId, { beforeStep: chained(opts?.beforeStep, gate(poolId)) }),
    }),
  };
}

/** The port's reads, bound to it (they carry no side effect and pass ungated). */
function bindReads(chain: ChainPort): ChainPort {
  return {
    id: chain.id,
    owner: chain.owner,
    snapshots$: chain.snapshots$,
    poolSnapshot: (id) => chain.poolSnapshot(id),
    ownedPositions: (id) => chain.ownedPositions(id),
    positionFees: (p) => chain.positionFees(p),
    gasPriceWei: () => chain.gasPriceWei(),
    mint: (req) => chain.mint(req),
    roll: (req) => chain.roll(req),
    withdraw: (p, opts) => chain.withdraw(p, opts),
    ...(chain.heldTokens === undefined ? {} : { heldTokens: (poolId: string) => chain.heldTokens!(poolId) }),
    ...(chain.adoptBooks === undefined ? {} : { adoptBooks: (poolId, held) => chain.adoptBooks!(poolId, held) }),
    ...(chain.poolLiquidity === undefined ? {} : { poolLiquidity: (poolId: string) => chain.poolLiquidity!(poolId) }),
  };
}

/** An ExchangeVenue whose orders, cancels and leverage changes go out only under the hedge's lease. */
export function gateVenueByLease(venue: ExchangeVenue, guard: () => LeaseGuard | undefined): ExchangeVenue {
  const check = (operation: string): void => assertGuard(guard(), 'hedge', operation);
  return {
    id: venue.id,
    fills$: venue.fills$,
    loadMarkets: () => venue.loadMarkets(),
    fetchBalance: () => venue.fetchBalance(),
    fetchPositions: (s) => venue.fetchPositions(s),
    fetchOpenOrders: (s) => venue.fetchOpenOrders(s),
    fetchOrderByClientId: (s, c) => venue.fetchOrderByClientId(s, c),
    fetchFundingRate: (s) => venue.fetchFundingRate(s),
    fetchFundingHistory: (s, since) => venue.fetchFundingHistory(s, since),
    close: () => venue.close(),
    setLeverage: async (s, l) => {
      check(`leverage ${s}`);
      return venue.setLeverage(s, l);
    },
    cancelOrder: async (s, id) => {
      check(`cancel ${id}`);
      return venue.cancelOrder(s, id);
    },
    cancelAllOrders: async (s) => {
      check(`cancel all ${s}`);
      return venue.cancelAllOrders(s);
    },
    createOrder: async (req: OrderRequest) => {
      check(`order ${req.clientOrderId}`);
      return venue.createOrder(req);
    },
  };
}
