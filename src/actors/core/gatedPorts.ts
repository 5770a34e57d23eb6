/**
 * A ChainPort or an ExchangeVenue whose side effects first pass a gate: the kill switch's
 * (killSwitch.ts) and, under scale-out, the pool's or the hedge's lease (shareGates.ts). Reads pass
 * through. A chain gate is asked when a mint, roll, withdraw or resumed saga starts and again right
 * before each of its steps is sent.
 */
import type { ExchangeVenue, OrderRequest } from '../../adapters/exchange/venue.js';
import type { ChainPort, MintRequest, MintResult, RollRequest, RollResult, StepGate, TokenAmounts } from '../ports.js';

/** Throws to stop `operation` on `poolId`; `withdraw`: the operation is a withdrawal (an unwind). */
export type ChainGate = (poolId: string, operation: string, withdraw: boolean) => void;

/** Both gates, the caller's first. */
function chained(a: StepGate | undefined, b: StepGate): StepGate {
  return a === undefined ? b : (step) => {
    a(step);
    b(step);
  };
}

/** `chain` with every mint, roll, withdraw and resumed saga (and each of their steps) through `gate`. */
export function gatedChain(chain: ChainPort, gate: ChainGate): ChainPort {
  return {
    id: chain.id,
    owner: chain.owner,
    snapshots$: chain.snapshots$,
    poolSnapshot: (id) => chain.poolSnapshot(id),
    ownedPositions: (id) => chain.ownedPositions(id),
    positionFees: (p) => chain.positionFees(p),
    gasPriceWei: () => chain.gasPriceWei(),
    withdraw: async (p, opts) => {
      const g = (step: string): void => gate(p.poolId, `${step} ${p.poolId}#${p.tokenId}`, true);
      g('withdraw');
      return chain.withdraw(p, { ...opts, beforeStep: chained(opts?.beforeStep, g) });
    },
    mint: async (req: MintRequest): Promise<MintResult> => {
      gate(req.poolId, `mint ${req.poolId}`, false);
      return chain.mint({ ...req, beforeStep: chained(req.beforeStep, (step) => gate(req.poolId, `${step} ${req.poolId}`, false)) });
    },
    roll: async (req: RollRequest): Promise<RollResult> => {
      gate(req.poolId, `roll ${req.poolId}`, false);
      return chain.roll({ ...req, beforeStep: chained(req.beforeStep, (step) => gate(req.poolId, `${step} ${req.poolId}`, false)) });
    },
    // a saga resumed at start-up sends its remaining steps through the same gate
    ...(chain.resume === undefined ? {} : {
      resume: (poolId: string, opts?: { beforeStep?: StepGate }) => chain.resume!(poolId, { beforeStep: chained(opts?.beforeStep, (step) => gate(poolId, `${step} ${poolId} (resumed)`, false)) }),
    }),
    ...(chain.heldTokens === undefined ? {} : { heldTokens: (poolId: string) => chain.heldTokens!(poolId) }),
    ...(chain.adoptBooks === undefined ? {} : { adoptBooks: (poolId: string, held: TokenAmounts) => chain.adoptBooks!(poolId, held) }),
    ...(chain.poolLiquidity === undefined ? {} : { poolLiquidity: (poolId: string) => chain.poolLiquidity!(poolId) }),
  };
}

/** The gates of a venue: one for orders, one for cancels and leverage changes. */
export interface VenueGates {
  order(req: OrderRequest): void;
  other(operation: string): void;
}

/** `venue` with its orders, cancels and leverage changes through `gates`. */
export function gatedVenue(venue: ExchangeVenue, gates: VenueGates): ExchangeVenue {
  return {
    id: venue.id,
    fills$: venue.fills$,
    loadMarkets: () => venue.loadMarkets(),
    fetchBalance: () => venue.fetchBalance(),
    fetchPositions: (s) => venue.fetchPositions(s),
    fetchOpenOrders: (s) => venue.fetchOpenOrders(s),
    fetchOrderByClientId: (s, c) => venue.fetchOrderByClientId(s, c),
    setLeverage: async (s, l) => {
      gates.other(`leverage ${s}`);
      return venue.setLeverage(s, l);
    },
    cancelOrder: async (s, id) => {
      gates.other(`cancel ${id}`);
      return venue.cancelOrder(s, id);
    },
    cancelAllOrders: async (s) => {
      gates.other(`cancel all ${s}`);
      return venue.cancelAllOrders(s);
    },
    fetchFundingRate: (s) => venue.fetchFundingRate(s),
    fetchFundingHistory: (s, since) => venue.fetchFundingHistory(s, since),
    close: () => venue.close(),
    createOrder: async (req) => {
      gates.order(req);
      return venue.createOrder(req);
    },
  };
}
