/**
 * The agent's Prometheus metrics (prom-client), in a registry of its own: what the positions,
 * hedges, venues and risk supervisor publish (set from the state feed, see metricsFromFeed.ts)
 * and what the instrumented venue and chain wrappers count and time. Served at GET /metrics.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Request latency buckets, seconds: a local call to a slow exchange or RPC. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class AgentMetrics {
  readonly registry = new Registry();
  // ---- positions, per pool ----
  readonly positionValue = this.gauge('rangekeeper_position_value_usd', 'Value of the pool position (liquidity, held tokens, uncollected fees), USD', ['pool']);
  readonly positionPnl = this.gauge('rangekeeper_position_pnl_usd', 'PnL of the pool position against its first deposit, USD', ['pool']);
  readonly ilPercent = this.gauge('rangekeeper_position_il_percent', 'Impermanent loss of the current range against holding, percent (<= 0)', ['pool']);
  readonly ilUsd = this.gauge('rangekeeper_position_il_usd', 'Impermanent loss of all ranges so far (realized + current), USD', ['pool']);
  readonly feesUsd = this.gauge('rangekeeper_position_fees_usd', 'Fees earned (collected + uncollected), USD', ['pool']);
  readonly lvrUsd = this.gauge('rangekeeper_position_lvr_usd', 'Loss-versus-rebalancing accrued, USD (where measured)', ['pool']);
  readonly delta = this.gauge('rangekeeper_position_delta', 'Asset held by the position (whole units): the exposure the hedge offsets', ['pool', 'asset']);
  readonly poolPrice = this.gauge('rangekeeper_pool_price', 'Pool price of the asset, quote per asset', ['pool', 'asset']);
  readonly referenceDeviation = this.gauge('rangekeeper_pool_reference_deviation', '|pool price / reference price - 1|', ['pool']);
  readonly inRange = this.gauge('rangekeeper_position_in_range', '1 while the pool tick is inside the position range', ['pool']);
  readonly boundDistance = this.gauge('rangekeeper_position_bound_distance_ratio', 'Distance of the tick to the nearest range bound over the range width (< 0 outside)', ['pool']);
  readonly rolls = this.gauge('rangekeeper_position_rolls', 'Rolls of the range since the position was first minted', ['pool']);
  readonly positionErrors = this.gauge('rangekeeper_position_errors', 'Failed chain operations of the position actor', ['pool']);
  readonly eventToDecision = new Histogram({
    name: 'rangekeeper_event_to_decision_seconds', help: 'From a pool snapshot leaving the chain port to the position actor publishing its state for it',
    labelNames: ['pool'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  // ---- hedge, per asset ----
  readonly hedgeTarget = this.gauge('rangekeeper_hedge_target', 'Target perp position, signed (negative = short)', ['asset', 'symbol']);
  readonly hedgeCurrent = this.gauge('rangekeeper_hedge_current', 'Actual perp position, signed', ['asset', 'symbol']);
  readonly hedgeDeviation = this.gauge('rangekeeper_hedge_deviation', '|current - target| / |target|', ['asset']);
  readonly hedgeWithinBand = this.gauge('rangekeeper_hedge_within_band', '1 while the hedge is within its tolerance band', ['asset']);
  readonly netDelta = this.gauge('rangekeeper_net_delta', 'Net delta of all pools of the asset, whole units', ['asset']);
  // ---- venues ----
  readonly venueEquity = this.gauge('rangekeeper_venue_equity', 'Venue account equity, quote units', ['venue']);
  readonly marginRatio = this.gauge('rangekeeper_venue_margin_ratio', 'Margin held / equity of the venue account (0 without positions)', ['venue']);
  readonly openOrders = this.gauge('rangekeeper_venue_open_orders', 'Open orders at the venue', ['venue']);
  readonly fundingRate = this.gauge('rangekeeper_funding_rate', 'Last funding rate read, per funding interval', ['venue', 'symbol']);
  readonly fundingReceived = this.gauge('rangekeeper_funding_received', 'Net funding received (< 0: paid) by the hedge since its first position, quote units', ['venue', 'symbol']);
  readonly venueRequests = new Histogram({
    name: 'rangekeeper_venue_request_seconds', help: 'Venue call latency by method and outcome', labelNames: ['venue', 'method', 'outcome'],
    buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  readonly venueErrors = this.counter('rangekeeper_venue_errors_total', 'Venue calls that failed, by error name', ['venue', 'method', 'error']);
  readonly orders = this.counter('rangekeeper_orders_total', 'Orders sent, by outcome', ['venue', 'side', 'outcome']);
  readonly fills = this.counter('rangekeeper_fills_total', 'Fills received', ['venue', 'symbol', 'side']);
  readonly fillFees = this.counter('rangekeeper_fill_fees_total', 'Trading fees paid on fills, quote units', ['venue']);
  readonly venueUp = this.gauge('rangekeeper_venue_up', '1 after a successful venue call, 0 after a failed one', ['venue']);
  // ---- chain ----
  readonly chainRequests = new Histogram({
    name: 'rangekeeper_chain_request_seconds', help: 'Chain port call latency by method and outcome', labelNames: ['method', 'outcome'],
    buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  readonly chainTx = this.counter('rangekeeper_chain_transactions_total', 'Chain operations that send transactions (mint, roll, withdraw), by outcome', ['kind', 'outcome']);
  readonly gasUsed = this.counter('rangekeeper_chain_gas_used_total', 'Gas used by the agent\'s transactions', ['kind']);
  readonly rpcUp = this.gauge('rangekeeper_rpc_up', '1 after a successful chain read, 0 after a failed one', []);
  readonly gasPriceGwei = this.gauge('rangekeeper_gas_price_gwei', 'Last gas price read, gwei', []);
  // ---- risk ----
  readonly halted = this.gauge('rangekeeper_halted', '1 while the kill switch is halted', []);
  readonly halts = this.counter('rangekeeper_halts_total', 'Halts since start', []);
  readonly equity = this.gauge('rangekeeper_equity_usd', 'Equity (LP value + venue equity), USD', []);
  readonly drawdown = this.gauge('rangekeeper_drawdown_ratio', 'Drawdown from the equity peak', []);
  readonly exposure = this.gauge('rangekeeper_exposure_ratio', 'LP value / equity', []);
  readonly pnl = this.gauge('rangekeeper_pnl_ratio', 'Equity / capital - 1', []);
  readonly restarts = this.gauge('rangekeeper_actor_restarts', 'Actor restarts after crashes since start', []);
  readonly alerts = this.counter('rangekeeper_alerts_total', 'Alerts raised, by severity and rule', ['severity', 'rule']);
  readonly notifyFailures = this.counter('rangekeeper_alert_deliveries_failed_total', 'Alert deliveries that failed after their retries, by channel', ['channel']);
  readonly historyQueued = this.gauge('rangekeeper_history_queued', 'History records waiting to be written', []);
  readonly historyDropped = this.gauge('rangekeeper_history_dropped', 'History records dropped during a database outage', []);

  constructor(o: { defaultMetrics?: boolean } = {}) {
    if (o.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'rangekeeper_process_' });
  }

  /** The registry's text exposition and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge<L>({ name, help, labelNames, registers: [this.registry] });
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }
}
