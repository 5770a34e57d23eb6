/**
 * Loopback stand-in for Binance USDⓈ-M futures REST (fapi): the endpoints ccxt's binanceusdm calls
 * for markets, balance, positions, leverage, orders, trades and funding, answering with payloads
 * of Binance's documented shapes. Private endpoints check X-MBX-APIKEY and the HMAC-SHA256
 * signature over the query/body, as Binance does; errors use Binance's codes (-2019 margin
 * insufficient, -4116 duplicate client id, -2022 reduce-only rejected, -1022 bad signature).
 *
 * The futures user data stream: POST/PUT/DELETE /fapi/v1/listenKey (API key only, no signature,
 * as documented), then a websocket on the same port at `/ws/<listenKey>` or
 * `/private/ws?listenKey=<listenKey>` (the URL ccxt builds) that pushes an ORDER_TRADE_UPDATE
 * (execution type TRADE) for every fill of the account. The public market stream at
 * `/market/ws[/<n>]` takes `{"method":"SUBSCRIBE","params":["ethusdt@markPrice@1s"],"id":1}` and
 * pushes a markPriceUpdate at once and on every mark price change.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import { LoopbackVenueServer, type RouteHandler, type SocketHandler, type VenueReply, type VenueRequest } from './loopbackServer.js';
import { SimAccount, SimRejected, type SimMarket, type SimOrder, type SimTrade } from './simAccount.js';

const PUBLIC = new Set(['GET /fapi/v1/exchangeInfo', 'GET /fapi/v1/premiumIndex', 'GET /fapi/v1/time']);

/** User data stream endpoints: API key header only, no signature. */
const LISTEN_KEY_ROUTES = new Set(['POST /fapi/v1/listenKey', 'PUT /fapi/v1/listenKey', 'DELETE /fapi/v1/listenKey']);

const REJECTION_CODES: Record<string, { code: number; msg: string }> = {
  'duplicate-client-id': { code: -4116, msg: 'ClientOrderId is duplicated.' },
  'insufficient-margin': { code: -2019, msg: 'Margin is insufficient.' },
  'reduce-only': { code: -2022, msg: 'ReduceOnly Order is rejected.' },
  'lot-size': { code: -1111, msg: 'Precision is over the maximum defined for this asset.' },
  'min-notional': { code: -4164, msg: "Order's notional must be no smaller than 5 (unless you choose reduce only)." },
  'unknown-symbol': { code: -1121, msg: 'Invalid symbol.' },
};

function err(status: number, code: number, msg: string): VenueReply {
  return { status, body: { code, msg } };
}

function orderJson(o: SimOrder): Record<string, unknown> {
  return {
    orderId: Number(o.orderId), symbol: o.symbol, status: o.status, clientOrderId: o.clientId,
    price: o.type === 'LIMIT' ? String(o.price) : '0', avgPrice: String(o.avgPrice), origQty: String(o.qty), executedQty: String(o.filled),
    cumQuote: String(o.filled * o.avgPrice), timeInForce: o.type === 'LIMIT' ? 'GTC' : 'GTC', type: o.type, reduceOnly: o.reduceOnly,
    closePosition: false, side: o.side, positionSide: 'BOTH', stopPrice: '0', workingType: 'CONTRACT_PRICE', priceProtect: false,
    origType: o.type, priceMatch: 'NONE', selfTradePreventionMode: 'NONE', goodTillDate: 0, time: o.time, updateTime: o.time,
  };
}

/** The user data stream event of one fill (fields as documented for ORDER_TRADE_UPDATE). */
function orderTradeUpdate(t: SimTrade, o: SimOrder): Record<string, unknown> {
  return {
    e: 'ORDER_TRADE_UPDATE', E: t.time, T: t.time,
    o: {
      s: t.symbol, c: t.clientId, S: t.side, o: o.type, f: 'GTC', q: String(o.qty), p: '0', ap: String(o.avgPrice), sp: '0', x: 'TRADE',
      X: o.status, i: Number(o.orderId), l: String(t.qty), z: String(o.filled), L: String(t.price), N: 'USDT', n: String(t.fee), T: t.time,
      t: Number(t.id), b: '0', a: '0', m: false, R: o.reduceOnly, wt: 'CONTRACT_PRICE', ot: o.type, ps: 'BOTH', cp: false, rp: '0', pP: false,
      si: 0, ss: 0, V: 'NONE', pm: 'NONE', gtd: 0,
    },
  };
}

/** The markPriceUpdate event of the public mark price stream. */
function markPriceUpdate(m: SimMarket): Record<string, unknown> {
  const now = Date.now();
  return { e: 'markPriceUpdate', E: now, s: m.id, p: String(m.markPrice), ap: String(m.markPrice), P: String(m.markPrice), i: String(m.markPrice), r: String(m.fundingRate), T: Math.ceil(now / 28_800_000) * 28_800_000 };
}

function tradeJson(t: SimTrade): Record<string, unknown> {
  return {
    buyer: t.side === 'BUY', commission: String(t.fee), commissionAsset: 'USDT', id: Number(t.id), maker: false, orderId: Number(t.orderId),
    price: String(t.price), qty: String(t.qty), quoteQty: String(t.qty * t.price), realizedPnl: '0', side: t.side, positionSide: 'BOTH',
    symbol: t.symbol, time: t.time,
  };
}

/** Starts a Binance USDⓈ-M stand-in on 127.0.0.1:0 for the given test key. */
export async function startBinanceUsdmServer(apiKey: string, secret: string, account = new SimAccount()): Promise<{ server: LoopbackVenueServer; account: SimAccount }> {
  const authenticate = (route: string, req: VenueRequest): VenueReply | null => {
    // A rotated key (account.key) replaces the one the stand-in started with.
    if (PUBLIC.has(route)) return null;
    const keySecret = account.secretOf(req.headers['x-mbx-apikey'], account.key ?? { apiKey, secret });
    if (keySecret === null) return err(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    account.lastApiKey = String(req.headers['x-mbx-apikey']);
    if (LISTEN_KEY_ROUTES.has(route)) return null;
    const signed = req.method === 'POST' || req.method === 'PUT' ? (req.rawQuery.length > 0 ? req.rawQuery + (req.rawBody.length > 0 ? '&' : '') : '') + req.rawBody : req.rawQuery;
    const m = /^(.*)&signature=([0-9a-f]{64})$/.exec(signed);
    if (m === null) return err(400, -1022, 'Signature for this request is not valid.');
    const expected = createHmac('sha256', keySecret).update(m[1] ?? '').digest();
    const got = Buffer.from(m[2] ?? '', 'hex');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return err(400, -1022, 'Signature for this request is not valid.');
    if (req.params['timestamp'] === undefined) return err(400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    return null;
  };

  const findOrder = (p: Record<string, string>): SimOrder | undefined => {
    const cid = p['origClientOrderId'];
    if (cid !== undefined) return account.orders.get(cid);
    return [...account.orders.values()].find((o) => o.orderId === p['orderId']);
  };

  /** Open listenKeys: the API key that created each, and the user data sockets on it. */
  const streams = new Map<string, { owner: string; sockets: Set<WebSocket> }>();
  account.onTrade((t, o) => {
    const event = JSON.stringify(orderTradeUpdate(t, o));
    for (const { sockets } of streams.values()) for (const ws of sockets) ws.send(event);
  });
  const currentKey = (): string => (account.key ?? { apiKey }).apiKey;
  const userDataStream = (listenKey: string | null): SocketHandler | null => {
    if (listenKey === null) return null;
    return (ws) => {
      const stream = streams.get(listenKey);
      // A listenKey of a revoked (rotated) API key is dead.
      if (stream === undefined || stream.owner !== currentKey()) {
        ws.close(1008, 'invalid listenKey');
        return;
      }
      stream.sockets.add(ws);
      ws.on('close', () => stream.sockets.delete(ws));
      server.noteSocket('user data stream open');
    };
  };
  const keyOf = (req: VenueRequest): string | undefined => [...streams.entries()].find(([, s]) => s.owner === req.headers['x-mbx-apikey'])?.[0];
  const noListenKey = err(400, -1125, 'This listenKey does not exist.');

  /** Public market stream sockets and the market ids each subscribed to (mark price). */
  const markSubscribers = new Map<WebSocket, Set<string>>();
  account.onMark((m) => {
    const event = JSON.stringify(markPriceUpdate(m));
    for (const [ws, ids] of markSubscribers) if (ids.has(m.id)) ws.send(event);
  });
  const marketStream: SocketHandler = (ws) => {
    const ids = new Set<string>();
    markSubscribers.set(ws, ids);
    ws.on('close', () => markSubscribers.delete(ws));
    ws.on('message', (raw: Buffer) => {
      let msg: { method?: unknown; params?: unknown; id?: unknown };
      try {
        msg = JSON.parse(raw.toString('utf8')) as typeof msg;
      } catch {
        ws.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' } }));
        return;
      }
      const params = Array.isArray(msg.params) ? msg.params.map(String) : [];
      const marks = params.map((p) => /^([a-z0-9]+)@markPrice(@1s)?$/.exec(p)?.[1]?.toUpperCase());
      if (msg.method !== 'SUBSCRIBE' || marks.some((id) => id === undefined || !account.markets.has(id))) {
        ws.send(JSON.stringify({ error: { code: 2, msg: `Invalid request: ${params.join(',')}` }, id: msg.id }));
        return;
      }
      ws.send(JSON.stringify({ result: null, id: msg.id }));
      for (const id of marks) {
        if (id === undefined) continue;
        ids.add(id);
        server.noteSocket(`subscribe markPrice ${id}`);
        ws.send(JSON.stringify(markPriceUpdate(account.market(id))));
      }
    });
  };

  const routes: Record<string, RouteHandler> = {
    'POST /fapi/v1/listenKey': (req) => {
      // One key per API key while it lives, as Binance does (a second POST returns the same key).
      let listenKey = keyOf(req);
      if (listenKey === undefined) {
        listenKey = randomBytes(32).toString('hex');
        streams.set(listenKey, { owner: String(req.headers['x-mbx-apikey']), sockets: new Set() });
      }
      return { status: 200, body: { listenKey } };
    },
    'PUT /fapi/v1/listenKey': (req) => (keyOf(req) !== undefined ? { status: 200, body: {} } : noListenKey),
    'DELETE /fapi/v1/listenKey': (req) => {
      const listenKey = keyOf(req);
      if (listenKey === undefined) return noListenKey;
      for (const ws of streams.get(listenKey)?.sockets ?? []) ws.close(1000, 'listenKey deleted');
      streams.delete(listenKey);
      return { status: 200, body: {} };
    },
    'GET /fapi/v1/time': () => ({ status: 200, body: { serverTime: Date.now() } }),
    'GET /fapi/v1/exchangeInfo': () => ({
      status: 200,
      body: {
        timezone: 'UTC', serverTime: Date.now(), futuresType: 'U_MARGINED', rateLimits: [], exchangeFilters: [],
        assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
        symbols: [...account.markets.values()].map((m) => ({
          symbol: m.id, pair: m.id, contractType: 'PERPETUAL', deliveryDate: 4133404800000, onboardDate: 1569398400000, status: 'TRADING',
          maintMarginPercent: '2.5000', requiredMarginPercent: '5.0000', baseAsset: m.base, quoteAsset: m.quote, marginAsset: m.quote,
          pricePrecision: 2, quantityPrecision: 3, baseAssetPrecision: 8, quotePrecision: 8, underlyingType: 'COIN', underlyingSubType: [],
          triggerProtect: '0.0500', liquidationFee: '0.012500', marketTakeBound: '0.05', maxMoveOrderLimit: 10000,
          filters: [
            { filterType: 'PRICE_FILTER', minPrice: String(m.tickSize), maxPrice: '1000000', tickSize: String(m.tickSize) },
            { filterType: 'LOT_SIZE', stepSize: String(m.stepSize), minQty: String(m.minQty), maxQty: String(m.maxQty) },
            { filterType: 'MARKET_LOT_SIZE', stepSize: String(m.stepSize), minQty: String(m.minQty), maxQty: String(m.maxQty) },
            { filterType: 'MAX_NUM_ORDERS', limit: 200 },
            { filterType: 'MIN_NOTIONAL', notional: String(m.minNotional) },
            { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
          ],
          orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
          timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
        })),
      },
    }),
    'GET /fapi/v3/account': () => {
      const wallet = account.walletBalance;
      const upnl = account.totalUnrealized();
      const used = account.usedMargin();
      const asset = {
        asset: 'USDT', walletBalance: String(wallet), unrealizedProfit: String(upnl), marginBalance: String(wallet + upnl),
        maintMargin: '0', initialMargin: String(used), positionInitialMargin: String(used), openOrderInitialMargin: '0',
        crossWalletBalance: String(wallet), crossUnPnl: String(upnl), availableBalance: String(account.available()), maxWithdrawAmount: String(account.available()),
        updateTime: Date.now(),
      };
      return {
        status: 200,
        body: {
          totalInitialMargin: String(used), totalMaintMargin: '0', totalWalletBalance: String(wallet), totalUnrealizedProfit: String(upnl),
          totalMarginBalance: String(wallet + upnl), availableBalance: String(account.available()), maxWithdrawAmount: String(account.available()),
          assets: [asset], positions: [],
        },
      };
    },
    'GET /fapi/v1/leverageBracket': () => ({
      status: 200,
      body: [...account.markets.values()].map((m) => ({
        symbol: m.id, notionalCoef: 1,
        brackets: [{ bracket: 1, initialLeverage: m.maxLeverage, notionalCap: 50000, notionalFloor: 0, maintMarginRatio: 0.005, cum: 0 }],
      })),
    }),
    'GET /fapi/v3/positionRisk': () => ({
      status: 200,
      body: [...account.positions.entries()].map(([sym, p]) => {
        const mark = account.market(sym).markPrice;
        const lev = account.leverageOf(sym);
        return {
          symbol: sym, positionSide: 'BOTH', positionAmt: String(p.size), entryPrice: String(p.entryPrice), breakEvenPrice: String(p.entryPrice),
          markPrice: String(mark), unRealizedProfit: String(account.unrealizedPnl(sym)), liquidationPrice: String(account.liquidationPrice(sym) ?? 0), isolatedMargin: '0',
          notional: String(p.size * mark), marginAsset: 'USDT', isolatedWallet: '0', initialMargin: String((Math.abs(p.size) * mark) / lev),
          maintMargin: String(account.maintenanceMargin(sym)), positionInitialMargin: String((Math.abs(p.size) * mark) / lev),
          openOrderInitialMargin: '0', adl: 0, bidNotional: '0', askNotional: '0', updateTime: Date.now(), leverage: String(lev), marginType: 'cross',
        };
      }),
    }),
    'POST /fapi/v1/leverage': (req) => {
      const sym = req.params['symbol'] ?? '';
      const lev = Number(req.params['leverage']);
      const m = account.markets.get(sym);
      if (m === undefined) return err(400, -1121, 'Invalid symbol.');
      if (!Number.isInteger(lev) || lev < 1 || lev > m.maxLeverage) return err(400, -4028, `Leverage ${req.params['leverage']} is not valid`);
      account.leverage.set(sym, lev);
      return { status: 200, body: { leverage: lev, maxNotionalValue: '1000000', symbol: sym } };
    },
    'POST /fapi/v1/order': (req) => {
      const p = req.params;
      if (p['type'] !== 'MARKET') return err(400, -1116, 'Invalid orderType.');
      const side = p['side'] === 'BUY' ? 'BUY' : 'SELL';
      const cid = p['newClientOrderId'];
      if (cid === undefined || !/^[.A-Z:/a-z0-9_-]{1,36}$/.test(cid)) return err(400, -1100, "Illegal characters found in parameter 'newClientOrderId'.");
      try {
        const o = account.placeMarket(p['symbol'] ?? '', side, Number(p['quantity']), cid, p['reduceOnly'] === 'true');
        return { status: 200, body: orderJson(o) };
      } catch (e) {
        if (e instanceof SimRejected) {
          const c = REJECTION_CODES[e.reason] ?? { code: -1000, msg: e.message };
          return err(400, c.code, c.msg);
        }
        throw e;
      }
    },
    'GET /fapi/v1/order': (req) => {
      const o = findOrder(req.params);
      if (o === undefined || o.symbol !== req.params['symbol']) return err(400, -2013, 'Order does not exist.');
      return { status: 200, body: orderJson(o) };
    },
    'GET /fapi/v1/openOrders': (req) => ({ status: 200, body: account.openOrders(req.params['symbol']).map(orderJson) }),
    'DELETE /fapi/v1/order': (req) => {
      const found = findOrder(req.params);
      const o = found === undefined ? null : account.cancel(req.params['symbol'] ?? '', found.orderId);
      if (o === null) return err(400, -2011, 'Unknown order sent.');
      return { status: 200, body: orderJson(o) };
    },
    'DELETE /fapi/v1/allOpenOrders': (req) => {
      if (req.params['symbol'] === undefined) return err(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
      account.cancelAll(req.params['symbol']);
      return { status: 200, body: { code: 200, msg: 'The operation of cancel all open order is done.' } };
    },
    'GET /fapi/v1/userTrades': (req) => ({
      status: 200,
      body: account.trades.filter((t) => t.symbol === req.params['symbol'] && (req.params['orderId'] === undefined || t.orderId === req.params['orderId'])).map(tradeJson),
    }),
    // Income history; only FUNDING_FEE is kept by the stand-in (trades' commissions live in userTrades).
    'GET /fapi/v1/income': (req) => {
      const p = req.params;
      const type = p['incomeType'];
      if (type !== undefined && type !== 'FUNDING_FEE') return { status: 200, body: [] };
      const start = Number(p['startTime'] ?? 0);
      const end = p['endTime'] === undefined ? Number.POSITIVE_INFINITY : Number(p['endTime']);
      const limit = Number(p['limit'] ?? 100);
      const rows = account.fundings
        .filter((f) => (p['symbol'] === undefined || f.symbol === p['symbol']) && f.time >= start && f.time <= end)
        .slice(0, limit)
        .map((f) => ({ symbol: f.symbol, incomeType: 'FUNDING_FEE', income: String(f.amount), asset: 'USDT', info: 'FUNDING_FEE', time: f.time, tranId: f.id, tradeId: '' }));
      return { status: 200, body: rows };
    },
    'GET /sapi/v1/account/apiRestrictions': (req) => ({
      status: 200,
      body: {
        ipRestrict: false, createTime: 1698645219000, enableReading: true, enableWithdrawals: account.canWithdraw(String(req.headers['x-mbx-apikey'])), enableInternalTransfer: false,
        enableMargin: false, enableFutures: true, permitsUniversalTransfer: false, enableVanillaOptions: false, enableFixApiTrade: false,
        enableFixReadOnly: false, enableSpotAndMarginTrading: false, enablePortfolioMarginTrading: false,
      },
    }),
    'GET /fapi/v1/premiumIndex': (req) => {
      const m = account.markets.get(req.params['symbol'] ?? '');
      if (m === undefined) return err(400, -1121, 'Invalid symbol.');
      const now = Date.now();
      return {
        status: 200,
        body: {
          symbol: m.id, markPrice: String(m.markPrice), indexPrice: String(m.markPrice), estimatedSettlePrice: String(m.markPrice),
          lastFundingRate: String(m.fundingRate), interestRate: '0.00010000', nextFundingTime: Math.ceil(now / 28_800_000) * 28_800_000, time: now,
        },
      };
    },
  };
  const socketRoute = (url: URL): SocketHandler | null => {
    if (url.pathname === '/private/ws') return userDataStream(url.searchParams.get('listenKey'));
    if (/^\/market\/ws(\/\d+)?$/.test(url.pathname)) return marketStream;
    const m = /^\/ws\/([0-9A-Za-z]+)$/.exec(url.pathname);
    return m === null ? null : userDataStream(m[1] ?? null);
  };
  const server = new LoopbackVenueServer(routes, authenticate, socketRoute);
  await server.start();
  return { server, account };
}
