/**
 * The trades a fill stream has already emitted, shared by its socket and polling paths so that a
 * trade both deliver (the socket, then the catch-up after a reconnect) is emitted once. Keyed by
 * symbol and venue trade id; also keeps, per symbol, the newest trade time seen — where the next
 * fetchMyTrades (a poll or a catch-up) starts. Ids are forgotten once well behind every symbol's
 * start point, so the set stays small; a trade older than what was forgotten is refused outright
 * (a reconnected socket may hand back ccxt's cache of old trades, forgotten ones included).
 */
import type { Trade as CcxtTrade } from 'ccxt';

/** Emitted trade ids are remembered this long behind the oldest fetch start point. */
export const SEEN_TRADES_KEEP_MS = 60_000;

export class SeenTrades {
  private readonly seen = new Map<string, number>();
  private readonly newest = new Map<string, number>();
  /** Trades older than this were forgotten (pruned); they count as seen. */
  private forgottenBefore = Number.NEGATIVE_INFINITY;

  /** `startedAt`: fetches for a symbol with no trade yet start here (the stream's start). */
  constructor(
    private readonly symbols: readonly string[],
    private readonly startedAt: number,
  ) {}

  /** Where the next fetchMyTrades of `symbol` starts: its newest trade seen, else the start. */
  since(symbol: string): number {
    return this.newest.get(symbol) ?? this.startedAt;
  }

  /** Records `t`; true when it is new (to be emitted), false when it was seen (or forgotten) before. */
  admit(t: CcxtTrade): boolean {
    const symbol = t.symbol ?? '';
    const key = `${symbol}:${String(t.id)}`;
    const at = typeof t.timestamp === 'number' && Number.isFinite(t.timestamp) ? t.timestamp : 0;
    if (this.seen.has(key) || at < this.forgottenBefore) return false;
    this.seen.set(key, at);
    if (at > (this.newest.get(symbol) ?? 0)) this.newest.set(symbol, at);
    return true;
  }

  /** Forgets ids older than every symbol's start point by more than SEEN_TRADES_KEEP_MS. */
  prune(): void {
    const horizon = Math.min(...this.symbols.map((s) => this.since(s))) - SEEN_TRADES_KEEP_MS;
    if (horizon <= this.forgottenBefore) return;
    this.forgottenBefore = horizon;
    for (const [key, at] of this.seen) if (at < horizon) this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }
}
