/**
 * Where each kind of history record lives: its table and columns, and how a record becomes a row.
 * The write path (historyStore.writeRecords) and the read path (historyQueries) both use this one
 * map, so a column added here is written and read alike.
 */
import type { HistoryKind, HistoryRecord } from './historyRecords.js';

export interface TableSpec<K extends HistoryKind = HistoryKind> {
  table: string;
  /** Columns in insert order; `at` is written as an ISO timestamp and read back as ms. */
  columns: string[];
  /** JSON columns (written as JSON text). */
  json?: string[];
  /** Unique key that makes a repeated write a no-op (conflict target is the table's UNIQUE constraint). */
  idempotent?: boolean;
  /** The record's values in column order. */
  values(r: Extract<HistoryRecord, { kind: K }>): unknown[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

export const TABLES: { [K in HistoryKind]: TableSpec<K> } = {
  poolSnapshot: {
    table: 'pool_snapshots',
    columns: ['agent_id', 'pool_id', 'at', 'status', 'price', 'asset_price', 'reference_price', 'tick', 'tick_lower', 'tick_upper', 'liquidity',
      'value_usd', 'deposited_usd', 'pnl_usd', 'fees_usd', 'il_percent', 'il_usd', 'cumulative_il_usd', 'lvr_usd', 'delta'],
    values: (r) => [r.agentId, r.poolId, iso(r.at), r.status, r.price, r.assetPrice, r.referencePrice, r.tick, r.tickLower, r.tickUpper, r.liquidity,
      r.valueUsd, r.depositedUsd, r.pnlUsd, r.feesUsd, r.ilPercent, r.ilUsd, r.cumulativeIlUsd, r.lvrUsd, r.delta],
  },
  decision: {
    table: 'decisions',
    columns: ['agent_id', 'pool_id', 'at', 'roll', 'urgency', 'triggers', 'expected_gain_usd', 'gas_cost_usd', 'swap_cost_usd', 'new_tick_lower', 'new_tick_upper', 'reasons'],
    json: ['triggers', 'reasons'],
    values: (r) => [r.agentId, r.poolId, iso(r.at), r.roll, r.urgency, JSON.stringify(r.triggers), r.expectedGainUsd, r.gasCostUsd, r.swapCostUsd, r.newTickLower, r.newTickUpper, JSON.stringify(r.reasons)],
  },
  roll: {
    table: 'rolls',
    columns: ['agent_id', 'pool_id', 'at', 'tx_hash', 'from_tick_lower', 'from_tick_upper', 'to_tick_lower', 'to_tick_upper', 'triggers', 'expected_gain_usd', 'gas_cost_usd', 'swap_cost_usd'],
    json: ['triggers'],
    idempotent: true,
    values: (r) => [r.agentId, r.poolId, iso(r.at), r.txHash, r.fromTickLower, r.fromTickUpper, r.toTickLower, r.toTickUpper, JSON.stringify(r.triggers), r.expectedGainUsd, r.gasCostUsd, r.swapCostUsd],
  },
  fill: {
    table: 'fills',
    columns: ['agent_id', 'venue', 'order_id', 'client_order_id', 'symbol', 'side', 'amount', 'price', 'fee', 'at'],
    idempotent: true,
    values: (r) => [r.agentId, r.venue, r.orderId, r.clientOrderId, r.symbol, r.side, r.amount, r.price, r.fee, iso(r.at)],
  },
  funding: {
    table: 'funding',
    columns: ['agent_id', 'venue', 'symbol', 'at', 'rate', 'amount'],
    idempotent: true,
    values: (r) => [r.agentId, r.venue, r.symbol, iso(r.at), r.rate, r.amount],
  },
  hedge: {
    table: 'hedge_changes',
    columns: ['agent_id', 'asset', 'symbol', 'at', 'net_delta', 'target', 'current', 'deviation', 'within_band'],
    values: (r) => [r.agentId, r.asset, r.symbol, iso(r.at), r.netDelta, r.target, r.current, r.deviation, r.withinBand],
  },
  alert: {
    table: 'alerts',
    columns: ['agent_id', 'at', 'severity', 'rule', 'message'],
    values: (r) => [r.agentId, iso(r.at), r.severity, r.rule, r.message],
  },
  haltChange: {
    table: 'halts',
    columns: ['agent_id', 'at', 'action', 'reason', 'halted_by'],
    values: (r) => [r.agentId, iso(r.at), r.action, r.reason, r.by],
  },
  equity: {
    table: 'equity',
    columns: ['agent_id', 'at', 'equity_usd', 'peak_equity_usd', 'drawdown', 'exposure', 'pnl_percent'],
    values: (r) => [r.agentId, iso(r.at), r.equityUsd, r.peakEquityUsd, r.drawdown, r.exposure, r.pnlPercent],
  },
  audit: {
    table: 'audit_log',
    columns: ['agent_id', 'at', 'token_id', 'role', 'ip', 'method', 'route', 'body', 'status', 'outcome', 'result'],
    json: ['body', 'result'],
    values: (r) => [r.agentId, iso(r.at), r.tokenId, r.role, r.ip, r.method, r.route, JSON.stringify(r.body ?? null), r.status, r.outcome, JSON.stringify(r.result ?? null)],
  },
};

export const HISTORY_KINDS = Object.keys(TABLES) as HistoryKind[];
