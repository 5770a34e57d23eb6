/**
 * What the history records, one type per table. Times are ms since epoch (stored as timestamptz);
 * money is USD float64 (analytics, not chain amounts); on-chain quantities are decimal strings.
 */

export interface PoolSnapshotRecord {
  kind: 'poolSnapshot';
  agentId: string;
  poolId: string;
  at: number;
  status: string;
  /** Pool price, token1 per token0 (human). */
  price: number;
  /** Price of the pool's asset, quote per asset. */
  assetPrice: number;
  referencePrice: number | null;
  tick: number;
  tickLower: number | null;
  tickUpper: number | null;
  /** Liquidity of the position, decimal string ('0' without one). */
  liquidity: string;
  valueUsd: number;
  depositedUsd: number;
  pnlUsd: number;
  feesUsd: number;
  ilPercent: number;
  ilUsd: number;
  cumulativeIlUsd: number;
  /** Loss-versus-rebalancing accrued, USD, where the position actor measures it. */
  lvrUsd: number | null;
  delta: number;
}

export interface DecisionRecord {
  kind: 'decision';
  agentId: string;
  poolId: string;
  at: number;
  roll: boolean;
  urgency: string;
  triggers: string[];
  expectedGainUsd: number;
  gasCostUsd: number;
  swapCostUsd: number;
  newTickLower: number | null;
  newTickUpper: number | null;
  reasons: string[];
}

export interface RollRecord {
  kind: 'roll';
  agentId: string;
  poolId: string;
  at: number;
  txHash: string;
  fromTickLower: number;
  fromTickUpper: number;
  toTickLower: number;
  toTickUpper: number;
  /** The decision that led to it (the last one before the roll). */
  triggers: string[];
  expectedGainUsd: number | null;
  gasCostUsd: number | null;
  swapCostUsd: number | null;
}

export interface FillRecord {
  kind: 'fill';
  agentId: string;
  venue: string;
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: string;
  amount: number;
  price: number;
  fee: number;
  at: number;
}

export interface FundingRecord {
  kind: 'funding';
  agentId: string;
  venue: string;
  symbol: string;
  at: number;
  /** Rate per funding interval. */
  rate: number;
  /** Funding paid (<0) or received (>0), quote units; null for a rate observation alone. */
  amount: number | null;
}

export interface HedgeChangeRecord {
  kind: 'hedge';
  agentId: string;
  asset: string;
  symbol: string;
  at: number;
  netDelta: number;
  target: number;
  current: number;
  deviation: number;
  withinBand: boolean;
}

export interface AlertRecord {
  kind: 'alert';
  agentId: string;
  at: number;
  severity: string;
  /** The rule that raised it (e.g. "risk", "venue-unreachable"). */
  rule: string;
  message: string;
}

export interface HaltChangeRecord {
  kind: 'haltChange';
  agentId: string;
  at: number;
  action: 'halt' | 'resume';
  reason: string | null;
  by: string | null;
}

export interface EquityRecord {
  kind: 'equity';
  agentId: string;
  at: number;
  equityUsd: number;
  peakEquityUsd: number;
  drawdown: number;
  exposure: number;
  pnlPercent: number;
}

/** One API request in the audit log: every write and every refused request. */
export interface AuditRecord {
  kind: 'audit';
  agentId: string;
  at: number;
  /** The token's id (null: no valid token), and its role. */
  tokenId: string | null;
  role: string | null;
  ip: string;
  method: string;
  /** The route's pattern (e.g. /api/v1/risk/halt), or the path when no route matched. */
  route: string;
  /** The request body as received (JSON), secrets masked, capped. */
  body: unknown;
  status: number;
  /** 'ok' (2xx), 'refused' (401/403/429), 'invalid' (400/404), 'rejected' (409: a guard said no) or 'failed'. */
  outcome: string;
  /** The answer (JSON), capped. */
  result: unknown;
}

export type HistoryRecord =
  | PoolSnapshotRecord | DecisionRecord | RollRecord | FillRecord | FundingRecord
  | HedgeChangeRecord | AlertRecord | HaltChangeRecord | EquityRecord | AuditRecord;

export type HistoryKind = HistoryRecord['kind'];
