/**
 * Loopback stand-in for Bybit v5 REST (linear USDT perpetuals, unified account): the endpoints
 * ccxt's bybit calls, answering `{retCode, retMsg, result, retExtInfo, time}` envelopes of Bybit's
 * documented shapes. Private endpoints check X-BAPI-API-KEY and X-BAPI-SIGN = HMAC-SHA256 over
 * timestamp + key + recvWindow + (query string | JSON body), as Bybit does. Errors use Bybit's
 * codes (110007 insufficient balance, 110072 duplicate orderLinkId, 110017 reduce-only, 10004 sign).
 *
 * The v5 private websocket on the same port at /v5/private: `op: auth` with args [apiKey, expires,
 * HMAC-SHA256("GET/realtime" + expires)] checked, `op: subscribe` to `execution`, `op: ping`
 * answered with a pong, and an `execution` message for every fill of the account once subscribed.
 * The public linear stream at /v5/public/linear: `op: subscribe` to `tickers.<SYMBOL>`, a ticker
 * snapshot at once and on every mark price change.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import { LoopbackVenueServer, type RouteHandler, type SocketHandler, type VenueReply, type VenueRequest } from './loopbackServer.js';
import { SimAccount, SimRejected, type SimFunding, type SimMarket, type SimOrder, type SimTrade } from './simAccount.js';

const REJECTION_CODES: Record<string, { code: number; msg: string }> = {
  'duplicate-client-id': { code: 110072, msg: 'OrderLinkedID is duplicate' },
  'insufficient-margin': { code: 110007, msg: 'ab not enough for new order' },
  'reduce-only': { code: 110017, msg: 'current position is zero, cannot fix reduce-only order qty' },
  'lot-size': { code: 10001, msg: 'Qty invalid' },
  'min-notional': { code: 110094, msg: 'Order does not meet minimum order value 5USDT' },
  'unknown-symbol': { code: 10001, msg: 'params error: symbol invalid' },
};

function ok(result: unknown): VenueReply {
  return { status: 200, body: { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: Date.now() } };
}

function fail(retCode: number, retMsg: string): VenueReply {
  return { status: 200, body: { retCode, retMsg, result: {}, retExtInfo: {}, time: Date.now() } };
}

function orderJson(o: SimOrder): Record<string, unknown> {
  const status = o.status === 'FILLED' ? 'Filled' : o.status === 'CANCELED' ? 'Cancelled' : 'New';
  return {
    orderId: `b${o.orderId}`, orderLinkId: o.clientId, blockTradeId: '', symbol: o.symbol, price: o.type === 'LIMIT' ? String(o.price) : '0',
    qty: String(o.qty), side: o.side === 'BUY' ? 'Buy' : 'Sell', isLeverage: '', positionIdx: 0, orderStatus: status, cancelType: 'UNKNOWN',
    rejectReason: 'EC_NoError', avgPrice: o.filled > 0 ? String(o.avgPrice) : '', leavesQty: String(o.qty - o.filled), leavesValue: '0',
    cumExecQty: String(o.filled), cumExecValue: String(o.filled * o.avgPrice), cumExecFee: String(o.filled * o.avgPrice * 0.0004),
    timeInForce: o.type === 'MARKET' ? 'IOC' : 'GTC', orderType: o.type === 'MARKET' ? 'Market' : 'Limit', stopOrderType: '', orderIv: '',
    triggerPrice: '', takeProfit: '', stopLoss: '', tpTriggerBy: '', slTriggerBy: '', triggerDirection: 0, triggerBy: '', lastPriceOnCreated: '',
    reduceOnly: o.reduceOnly, closeOnTrigger: false, smpType: 'None', smpGroup: 0, smpOrderId: '', tpslMode: '', tpLimitPrice: '', slLimitPrice: '',
    placeType: '', createdTime: String(o.time), updatedTime: String(o.time),
  };
}

function tradeJson(t: SimTrade): Record<string, unknown> {
  return {
    symbol: t.symbol, orderId: `b${t.orderId}`, orderLinkId: t.clientId, side: t.side === 'BUY' ? 'Buy' : 'Sell', orderPrice: String(t.price),
    orderQty: String(t.qty), leavesQty: '0', orderType: 'Market', stopOrderType: '', execFee: String(t.fee), execId: `e${t.id}`,
    execPrice: String(t.price), execQty: String(t.qty), execType: 'Trade', execValue: String(t.qty * t.price), execTime: String(t.time),
    feeCurrency: '', isMaker: false, feeRate: '0.0004', tradeIv: '', markIv: '', markPrice: String(t.price), indexPrice: '', underlyingPrice: '',
    blockTradeId: '', closedSize: '', seq: Number(t.id),
  };
}

/** A funding settlement as Bybit lists it among executions: execType Funding, execFee > 0 when the account paid. */
function fundingJson(f: SimFunding): Record<string, unknown> {
  return {
    symbol: f.symbol, orderType: 'UNKNOWN', underlyingPrice: '', orderLinkId: '', orderId: randomUUID(), stopOrderType: 'UNKNOWN', execTime: String(f.time),
    feeCurrency: '', createType: '', feeRate: String(f.rate), tradeIv: '', blockTradeId: '', markPrice: '', execPrice: '', markIv: '', orderQty: '0',
    orderPrice: '0', execValue: String(Math.abs(f.amount / f.rate)), closedSize: '0', execType: 'Funding', seq: 1, side: f.amount < 0 === f.rate > 0 ? 'Buy' : 'Sell',
    indexPrice: '', leavesQty: '0', isMaker: false, execFee: String(-f.amount), execId: `f${f.id}`, marketUnit: '', execQty: '0',
  };
}

/** The `tickers.<SYMBOL>` snapshot of the public linear stream. */
function tickerMessage(m: SimMarket): Record<string, unknown> {
  const now = Date.now();
  const p = String(m.markPrice);
  return {
    topic: `tickers.${m.id}`, type: 'snapshot', cs: now, ts: now,
    data: {
      symbol: m.id, tickDirection: 'ZeroPlusTick', price24hPcnt: '0', lastPrice: p, prevPrice24h: p, highPrice24h: p, lowPrice24h: p, prevPrice1h: p,
      markPrice: p, indexPrice: p, openInterest: '1000', openInterestValue: String(1000 * m.markPrice), turnover24h: '0', volume24h: '0',
      nextFundingTime: String(Math.ceil(now / 28_800_000) * 28_800_000), fundingRate: String(m.fundingRate), bid1Price: String(m.markPrice - m.tickSize),
      bid1Size: '1', ask1Price: String(m.markPrice + m.tickSize), ask1Size: '1',
    },
  };
}

/** Starts a Bybit v5 stand-in on 127.0.0.1:0 for the given test key. */

/** A Bybit v5 socket request: `op` (ping, auth, subscribe...) with its `args`. */
interface BybitOp {
  op?: unknown;
  args?: unknown;
  req_id?: unknown;
}
type BybitReply = (success: boolean, retMsg: string) => void;

/**
 * Bybit's socket framing: JSON requests answered with `{success, ret_msg, conn_id, req_id, op}`,
 * invalid JSON refused, pings answered; every other op goes to `handle`.
 */
function onBybitOps(ws: WebSocket, handle: (msg: BybitOp, reply: BybitReply) => void): void {
  const connId = randomUUID();
  ws.on('message', (raw: Buffer) => {
    let msg: BybitOp;
    try {
      msg = JSON.parse(raw.toString('utf8')) as BybitOp;
    } catch {
      ws.send(JSON.stringify({ success: false, ret_msg: 'error:invalid json', conn_id: connId }));
      return;
    }
    const reply: BybitReply = (success, retMsg) => {
      ws.send(JSON.stringify({ success, ret_msg: retMsg, conn_id: connId, ...(msg.req_id === undefined ? {} : { req_id: msg.req_id }), op: msg.op }));
    };
    if (msg.op === 'ping') return reply(true, 'pong');
    handle(msg, reply);
  });
}

export async function startBybitServer(apiKey: string, secret: string, account = new SimAccount()): Promise<{ server: LoopbackVenueServer; account: SimAccount }> {
  const authenticate = (route: string, req: VenueRequest): VenueReply | null => {
    // A rotated key (account.key) replaces the one the stand-in started with.
    if (route.startsWith('GET /v5/market/')) return null;
    const h = req.headers;
    const keySecret = account.secretOf(h['x-bapi-api-key'], account.key ?? { apiKey, secret });
    if (keySecret === null) return fail(10003, 'API key is invalid.');
    const key = String(h['x-bapi-api-key']);
    account.lastApiKey = key;
    const ts = String(h['x-bapi-timestamp'] ?? '');
    const recv = String(h['x-bapi-recv-window'] ?? '');
    const payload = ts + key + recv + (req.method === 'POST' ? req.rawBody : req.rawQuery);
    const expected = createHmac('sha256', keySecret).update(payload).digest();
    const got = Buffer.from(String(h['x-bapi-sign'] ?? ''), 'hex');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return fail(10004, 'error sign! origin_string[...]');
    return null;
  };

  const findOrder = (p: Record<string, string>): SimOrder | undefined => {
    if (p['orderLinkId'] !== undefined) return account.orders.get(p['orderLinkId']);
    if (p['orderId'] !== undefined) return [...account.orders.values()].find((o) => `b${o.orderId}` === p['orderId']);
    return undefined;
  };

  /** Sockets subscribed to `execution`. */
  const executionSubscribers = new Set<WebSocket>();
  account.onTrade((t) => {
    const message = JSON.stringify({ id: randomUUID(), topic: 'execution', creationTime: Date.now(), data: [{ category: 'linear', ...tradeJson(t) }] });
    for (const ws of executionSubscribers) ws.send(message);
  });
  const validAuth = (args: unknown): boolean => {
    const { apiKey: key, secret: keySecret } = account.key ?? { apiKey, secret };
    if (!Array.isArray(args) || args.length !== 3) return false;
    const [k, expires, sig] = args.map(String) as [string, string, string];
    if (k !== key || !(Number(expires) > Date.now())) return false;
    const expected = createHmac('sha256', keySecret).update(`GET/realtime${expires}`).digest();
    const got = Buffer.from(sig, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  };
  const privateSocket: SocketHandler = (ws) => {
    let authed = false;
    ws.on('close', () => executionSubscribers.delete(ws));
    onBybitOps(ws, (msg, reply) => {
      if (msg.op === 'auth') {
        authed = validAuth(msg.args);
        return reply(authed, authed ? '' : 'error:USVC1111');
      }
      if (msg.op === 'subscribe') {
        if (!authed) return reply(false, 'error:request not authorized');
        const topics = Array.isArray(msg.args) ? msg.args.map(String) : [];
        if (topics.some((t) => t !== 'execution' && t !== 'order')) return reply(false, `error:handler not found,topic:${topics.join(',')}`);
        if (topics.includes('execution')) {
          executionSubscribers.add(ws);
          server.noteSocket('subscribe execution');
        }
        return reply(true, '');
      }
      reply(false, 'error:invalid op');
    });
  };

  /** Public linear sockets and the market ids each subscribed to (tickers). */
  const tickerSubscribers = new Map<WebSocket, Set<string>>();
  account.onMark((m) => {
    const message = JSON.stringify(tickerMessage(m));
    for (const [ws, ids] of tickerSubscribers) if (ids.has(m.id)) ws.send(message);
  });
  const publicLinear: SocketHandler = (ws) => {
    const ids = new Set<string>();
    tickerSubscribers.set(ws, ids);
    ws.on('close', () => tickerSubscribers.delete(ws));
    onBybitOps(ws, (msg, reply) => {
      if (msg.op !== 'subscribe') return reply(false, 'error:invalid op');
      const topics = Array.isArray(msg.args) ? msg.args.map(String) : [];
      const wanted = topics.map((t) => /^tickers\.([A-Z0-9]+)$/.exec(t)?.[1]);
      if (wanted.some((id) => id === undefined || !account.markets.has(id))) return reply(false, `error:handler not found,topic:${topics.join(',')}`);
      reply(true, '');
      for (const id of wanted) {
        if (id === undefined) continue;
        ids.add(id);
        server.noteSocket(`subscribe tickers ${id}`);
        ws.send(JSON.stringify(tickerMessage(account.market(id))));
      }
    });
  };

  const routes: Record<string, RouteHandler> = {
    'GET /v5/market/time': () => ok({ timeSecond: String(Math.floor(Date.now() / 1000)), timeNano: String(Date.now() * 1e6) }),
    'GET /v5/market/instruments-info': (req) =>
      ok({
        category: req.params['category'] ?? 'linear',
        nextPageCursor: '',
        list: req.params['category'] !== 'linear' ? [] : [...account.markets.values()].map((m) => ({
          symbol: m.id, contractType: 'LinearPerpetual', status: 'Trading', baseCoin: m.base, quoteCoin: m.quote, settleCoin: m.quote,
          launchTime: '1585526400000', deliveryTime: '0', deliveryFeeRate: '', priceScale: '2',
          leverageFilter: { minLeverage: '1', maxLeverage: String(m.maxLeverage), leverageStep: '0.01' },
          priceFilter: { minPrice: String(m.tickSize), maxPrice: '199999.98', tickSize: String(m.tickSize) },
          lotSizeFilter: { maxOrderQty: String(m.maxQty), maxMktOrderQty: String(m.maxQty), minOrderQty: String(m.minQty), qtyStep: String(m.stepSize), postOnlyMaxOrderQty: String(m.maxQty), minNotionalValue: String(m.minNotional) },
          unifiedMarginTrade: true, fundingInterval: 480, copyTrading: 'both', upperFundingRate: '0.00375', lowerFundingRate: '-0.00375', isPreListing: false,
        })),
      }),
    'GET /v5/market/tickers': (req) => {
      const m = account.markets.get(req.params['symbol'] ?? '');
      if (m === undefined) return fail(10001, 'params error: symbol invalid');
      const now = Date.now();
      return ok({
        category: 'linear',
        list: [{
          symbol: m.id, lastPrice: String(m.markPrice), indexPrice: String(m.markPrice), markPrice: String(m.markPrice), prevPrice24h: String(m.markPrice),
          price24hPcnt: '0', highPrice24h: String(m.markPrice), lowPrice24h: String(m.markPrice), prevPrice1h: String(m.markPrice), openInterest: '1000',
          openInterestValue: String(1000 * m.markPrice), turnover24h: '0', volume24h: '0', fundingRate: String(m.fundingRate),
          nextFundingTime: String(Math.ceil(now / 28_800_000) * 28_800_000), predictedDeliveryPrice: '', basisRate: '', deliveryFeeRate: '', deliveryTime: '0',
          ask1Size: '1', bid1Price: String(m.markPrice - m.tickSize), ask1Price: String(m.markPrice + m.tickSize), bid1Size: '1', basis: '',
        }],
      });
    },
    'GET /v5/user/query-api': (req) =>
      ok({ id: '1', note: 'test', apiKey: apiKey.slice(0, 4) + '***', readOnly: 0, secret: '', permissions: { ContractTrade: ['Order', 'Position'], Spot: [], Wallet: account.canWithdraw(String(req.headers['x-bapi-api-key'])) ? ['AccountTransfer', 'Withdraw'] : [], Options: [], Derivatives: [], CopyTrading: [], BlockTrade: [], Exchange: [], NFT: [] }, ips: ['*'], type: 1, deadlineDay: 90, expiredAt: '', createdAt: '', unified: 0, uta: 1, userID: 1, inviterID: 0, vipLevel: 'No VIP', mktMakerLevel: '0', affiliateID: 0 }),
    'GET /v5/account/info': () => ok({ unifiedMarginStatus: 6, marginMode: 'REGULAR_MARGIN', isMasterTrader: false, spotHedgingStatus: 'OFF', updatedTime: String(Date.now()), dcpStatus: 'OFF', timeWindow: 10, smpGroup: 0 }),
    'GET /v5/account/wallet-balance': () => {
      const wallet = account.walletBalance;
      const upnl = account.totalUnrealized();
      const used = account.usedMargin();
      return ok({
        list: [{
          accountType: 'UNIFIED', accountIMRate: '0', accountMMRate: '0', totalEquity: String(wallet + upnl), totalWalletBalance: String(wallet),
          totalMarginBalance: String(wallet + upnl), totalAvailableBalance: String(account.available()), totalPerpUPL: String(upnl),
          totalInitialMargin: String(used), totalMaintenanceMargin: '0', accountLTV: '0',
          coin: [{
            coin: 'USDT', equity: String(wallet + upnl), usdValue: String(wallet + upnl), walletBalance: String(wallet), free: '', locked: '0',
            spotHedgingQty: '0', borrowAmount: '0', availableToWithdraw: String(account.available()), accruedInterest: '0', totalOrderIM: '0',
            totalPositionIM: String(used), totalPositionMM: '0', unrealisedPnl: String(upnl), cumRealisedPnl: '0', bonus: '0', marginCollateral: true, collateralSwitch: true,
          }],
        }],
      });
    },
    'GET /v5/position/list': (req) => {
      const filter = req.params['symbol'];
      return ok({
        category: 'linear', nextPageCursor: '',
        list: [...account.positions.entries()].filter(([sym]) => filter === undefined || sym === filter).map(([sym, p]) => {
          const mark = account.market(sym).markPrice;
          const lev = account.leverageOf(sym);
          return {
            positionIdx: 0, riskId: 1, riskLimitValue: '2000000', symbol: sym, side: p.size > 0 ? 'Buy' : 'Sell', size: String(Math.abs(p.size)),
            avgPrice: String(p.entryPrice), positionValue: String(Math.abs(p.size) * p.entryPrice), tradeMode: 0, positionStatus: 'Normal', autoAddMargin: 0,
            adlRankIndicator: 2, leverage: String(lev), positionBalance: '0', markPrice: String(mark), liqPrice: String(account.liquidationPrice(sym) ?? ''), bustPrice: '',
            positionMM: String(account.maintenanceMargin(sym)), positionIM: String((Math.abs(p.size) * mark) / lev), tpslMode: 'Full', takeProfit: '0',
            stopLoss: '0', trailingStop: '0', unrealisedPnl: String(account.unrealizedPnl(sym)), curRealisedPnl: '0', cumRealisedPnl: '0', seq: 1,
            isReduceOnly: false, mmrSysUpdatedTime: '', leverageSysUpdatedTime: '', sessionAvgPrice: '', createdTime: '1676538056258', updatedTime: String(Date.now()),
          };
        }),
      });
    },
    'POST /v5/position/set-leverage': (req) => {
      const sym = req.params['symbol'] ?? '';
      const m = account.markets.get(sym);
      if (m === undefined) return fail(10001, 'params error: symbol invalid');
      const lev = Number(req.params['buyLeverage']);
      if (!(lev >= 1 && lev <= m.maxLeverage)) return fail(10001, 'leverage invalid');
      if (account.leverage.get(sym) === lev) return fail(110043, 'leverage not modified');
      account.leverage.set(sym, lev);
      return ok({});
    },
    'POST /v5/order/create': (req) => {
      const p = req.params;
      if (p['category'] !== 'linear') return fail(10001, 'params error: category invalid');
      if (p['orderType'] !== 'Market') return fail(10001, 'params error: orderType');
      const cid = p['orderLinkId'];
      if (cid === undefined || !/^[.A-Z:/a-z0-9_-]{1,36}$/.test(cid)) return fail(10001, 'params error: orderLinkId');
      try {
        const o = account.placeMarket(p['symbol'] ?? '', p['side'] === 'Buy' ? 'BUY' : 'SELL', Number(p['qty']), cid, p['reduceOnly'] === 'true');
        return ok({ orderId: `b${o.orderId}`, orderLinkId: o.clientId });
      } catch (e) {
        if (e instanceof SimRejected) {
          const c = REJECTION_CODES[e.reason] ?? { code: 10001, msg: e.message };
          return fail(c.code, c.msg);
        }
        throw e;
      }
    },
    'GET /v5/order/realtime': (req) => {
      const p = req.params;
      let list: SimOrder[];
      if (p['orderLinkId'] !== undefined || p['orderId'] !== undefined) {
        const o = findOrder(p);
        list = o === undefined ? [] : [o];
      } else {
        // Without an order id the endpoint lists open orders only (openOnly=0 default).
        list = account.openOrders(p['symbol']);
      }
      return ok({ category: 'linear', nextPageCursor: '', list: list.filter((o) => p['symbol'] === undefined || o.symbol === p['symbol']).map(orderJson) });
    },
    'GET /v5/order/history': (req) => {
      const o = findOrder(req.params);
      return ok({ category: 'linear', nextPageCursor: '', list: o === undefined ? [] : [orderJson(o)] });
    },
    'POST /v5/order/cancel': (req) => {
      const found = findOrder(req.params);
      const o = found === undefined ? null : account.cancel(req.params['symbol'] ?? '', found.orderId);
      if (o === null) return fail(110001, 'order not exists or too late to cancel');
      return ok({ orderId: `b${o.orderId}`, orderLinkId: o.clientId });
    },
    'POST /v5/order/cancel-all': (req) => {
      const cancelled = account.cancelAll(req.params['symbol']);
      return ok({ list: cancelled.map((o) => ({ orderId: `b${o.orderId}`, orderLinkId: o.clientId })), success: '1' });
    },
    // Executions of every type unless execType narrows them (Trade: fills; Funding: funding settlements).
    'GET /v5/execution/list': (req) => {
      const p = req.params;
      const start = Number(p['startTime'] ?? 0);
      const end = p['endTime'] === undefined ? Number.POSITIVE_INFINITY : Number(p['endTime']);
      const wanted = (symbol: string, time: number): boolean => (p['symbol'] === undefined || symbol === p['symbol']) && time >= start && time <= end;
      const trades = p['execType'] === undefined || p['execType'] === 'Trade' ? account.trades.filter((t) => wanted(t.symbol, t.time)).map(tradeJson) : [];
      const fundings = p['execType'] === undefined || p['execType'] === 'Funding' ? account.fundings.filter((f) => wanted(f.symbol, f.time)).map(fundingJson) : [];
      return ok({ category: 'linear', nextPageCursor: '', list: [...trades, ...fundings].slice(0, Number(p['limit'] ?? p['size'] ?? 100)) });
    },
  };
  const server = new LoopbackVenueServer(routes, authenticate, (url) => (url.pathname === '/v5/private' ? privateSocket : url.pathname === '/v5/public/linear' ? publicLinear : null));
  await server.start();
  return { server, account };
}
