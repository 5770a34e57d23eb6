/**
 * Funding paid and received on a venue account, per perp symbol, folded from the venue's funding
 * history (each payment once: a payment is known by its venue id, and reads ask only for what
 * came after the newest one seen). Amounts are quote units, signed as received.
 */
import type { FundingPayment } from '../../adapters/exchange/venue.js';

export interface SymbolFunding {
  /** Net funding received (< 0: paid), quote units. */
  received: number;
  payments: number;
  /** Time of the newest payment folded in (ms), null before the first. */
  lastAt: number | null;
  /** Ids of the payments at `lastAt` (a read from lastAt on may return them again). */
  lastIds: string[];
}

export interface FundingLedger {
  bySymbol: Record<string, SymbolFunding>;
  /** Net funding received over every symbol, quote units. */
  total: number;
  /** When the history was last read (ms, the actor's clock), null before the first read. */
  checkedAt: number | null;
  /** Funding from this time on is counted (the first read: the agent's start), null before the first read. */
  since?: number | null;
}

/** The ledger with `payments` of `symbol` folded in, each payment once. */
export function foldFunding(ledger: FundingLedger, symbol: string, payments: readonly FundingPayment[]): FundingLedger {
  const prev: SymbolFunding = ledger.bySymbol[symbol] ?? { received: 0, payments: 0, lastAt: null, lastIds: [] };
  let next = prev;
  let added = 0;
  for (const p of [...payments].sort((a, b) => a.timestamp - b.timestamp)) {
    if (p.symbol !== symbol || !Number.isFinite(p.amount)) continue;
    if (next.lastAt !== null && (p.timestamp < next.lastAt || (p.timestamp === next.lastAt && next.lastIds.includes(p.id)))) continue;
    const lastIds = next.lastAt === p.timestamp ? [...next.lastIds, p.id] : [p.id];
    next = { received: next.received + p.amount, payments: next.payments + 1, lastAt: p.timestamp, lastIds };
    added += p.amount;
  }
  if (next === prev && ledger.bySymbol[symbol] !== undefined) return ledger;
  return { ...ledger, bySymbol: { ...ledger.bySymbol, [symbol]: next }, total: ledger.total + added };
}
