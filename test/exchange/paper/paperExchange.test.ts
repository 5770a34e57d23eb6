import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Subject } from 'rxjs';
import { PaperExchange, type ReferencePriceTick } from '../../../src/adapters/exchange/paperExchange.js';
import { VenueError } from '../../../src/adapters/exchange/errors.js';
import type { Fill, OrderRequest } from '../../../src/adapters/exchange/venue.js';
import { createLogger } from '../../../src/logging/logger.js';

const SYM = 'ETH/USDT:USDT';
const HOUR = 3_600_000;
const quiet = createLogger({ name: 'paper-test', level: 'silent' });

interface Setup {
  balance?: number;
  takerFeeBps?: number;
  slippageBps?: number;
  price?: number;
  fundingRate?: number;
  rateFn?: (symbol: string, time: number) => number;
}

/** A paper venue on a manual clock that starts 1 h after a funding boundary. */
function setup(o: Setup = {}) {
  let now = 1_700_000_000_000 - (1_700_000_000_000 % (8 * HOUR)) + HOUR;
  const prices = new Subject<ReferencePriceTick>();
  const ex = new PaperExchange(
    {
      balance: o.balance ?? 10_000,
      takerFeeBps: o.takerFeeBps ?? 0,
      slippageBps: o.slippageBps ?? 0,
      ...(o.fundingRate !== undefined ? { fundingRate: o.fundingRate } : {}),
      symbols: [{ symbol: SYM, base: 'ETH', ...(o.price !== undefined ? { price: o.price } : {}) }],
    },
    { now: () => now, price$: prices, logger: quiet, ...(o.rateFn ? { fundingRate: o.rateFn } : {}) },
  );
  const fills: Fill[] = [];
  ex.fills$.subscribe((f) => fills.push(f));
  return { ex, prices, fills, advance: (ms: number) => { now += ms; }, now: () => now };
}

let seq = 0;
function order(side: 'buy' | 'sell', amount: number, extra: Partial<OrderRequest> = {}): OrderRequest {
  seq += 1;
  return { clientOrderId: `t-${seq}`, symbol: SYM, side, amount, type: 'market', ...extra };
}

async function rejection(p: Promise<unknown>): Promise<VenueError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(VenueError);
  return err as VenueError;
}

describe('paper exchange: prices, fees, slippage', () => {
  it('rejects an order before any price with a retryable "unavailable", then fills from the price stream', async () => {
    const { ex, prices } = setup();
    const err = await rejection(ex.createOrder(order('buy', 1)));
    expect(err.kind).toBe('unavailable');
    expect(err.retryable).toBe(true);
    prices.next({ symbol: SYM, price: 2500, timestamp: 0 });
    prices.next({ symbol: 'BTC/USDT:USDT', price: 1, timestamp: 0 }); // unknown symbol: ignored
    prices.next({ symbol: SYM, price: -5 }); // invalid: logged and ignored, the stream stays alive
    expect(() => ex.setMark(SYM, 0)).toThrow(RangeError);
    const o = await ex.createOrder(order('buy', 1));
    expect(o.average).toBe(2500);
    expect(ex.markPrice(SYM)).toBe(2500);
  });

  it('fills buys above and sells below the reference by the slippage, paying the taker fee on the fill notional', async () => {
    const { ex, fills } = setup({ price: 3000, takerFeeBps: 5, slippageBps: 2 });
    const buy = await ex.createOrder(order('buy', 2));
    expect(buy.average).toBeCloseTo(3000.6, 9);
    expect(buy.fee).toBeCloseTo(2 * 3000.6 * 0.0005, 9);
    expect(buy).toMatchObject({ status: 'closed', filled: 2, amount: 2 });
    const sell = await ex.createOrder(order('sell', 2));
    expect(sell.average).toBeCloseTo(2999.4, 9);
    expect(sell.fee).toBeCloseTo(2 * 2999.4 * 0.0005, 9);
    // Round trip at an unchanged reference: lost exactly the spread plus both fees.
    const ledger = ex.ledgerSnapshot();
    expect(ledger.realizedPnl).toBeCloseTo(2 * (2999.4 - 3000.6), 9);
    expect(ledger.cash).toBeCloseTo(10_000 - 2.4 - 3.0006 - 2.9994, 9);
    expect(fills.map((f) => [f.side, f.amount, f.price])).toEqual([['buy', 2, buy.average], ['sell', 2, sell.average]]);
  });

  it('rejects invalid orders with the offending value', async () => {
    const { ex } = setup({ price: 3000 });
    expect((await rejection(ex.createOrder({ ...order('buy', 1), clientOrderId: 'bad id with spaces' }))).kind).toBe('invalid-order');
    const lot = await rejection(ex.createOrder(order('buy', 0.0015)));
    expect(lot.kind).toBe('invalid-order');
    expect(lot.message).toContain('0.0015');
    expect((await rejection(ex.createOrder({ ...order('buy', 1), symbol: 'DOGE/USDT:USDT' }))).kind).toBe('not-found');
    expect((await rejection(ex.setLeverage(SYM, 51))).kind).toBe('invalid-order');
  });
});

describe('paper exchange: margin', () => {
  it('rejects an order needing more initial margin than is free, naming the numbers; reductions always pass', async () => {
    const { ex } = setup({ balance: 1000, price: 3000, takerFeeBps: 5 });
    const err = await rejection(ex.createOrder(order('buy', 1)));
    expect(err.kind).toBe('insufficient-margin');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('1001.500000'); // 3000 / 3x + 1.5 fee
    expect(err.message).toContain('free balance is 1000.000000');
    expect(await ex.fetchPositions()).toEqual([]);

    await ex.createOrder(order('buy', 0.9));
    const bal = await ex.fetchBalance();
    expect(bal.used).toBeCloseTo(900, 9);
    expect(bal.total).toBeCloseTo(1000 - 1.35, 9);
    expect(bal.free).toBeCloseTo(bal.total - bal.used, 9);

    ex.setMark(SYM, 2400); // free goes negative: 1000 - 1.35 - 540 - 720
    expect((await ex.fetchBalance()).free).toBeLessThan(0);
    expect((await rejection(ex.createOrder(order('buy', 0.01)))).kind).toBe('insufficient-margin');
    await ex.createOrder(order('sell', 0.5)); // reducing is always allowed
    expect((await ex.fetchPositions())[0]?.size).toBeCloseTo(0.4, 12);
  });

  it('margins at the symbol leverage: higher leverage admits a larger position', async () => {
    const { ex } = setup({ balance: 1000, price: 3000 });
    expect((await rejection(ex.createOrder(order('buy', 1.5)))).kind).toBe('insufficient-margin');
    await ex.setLeverage(SYM, 10);
    await ex.createOrder(order('buy', 1.5));
    const [p] = await ex.fetchPositions([SYM]);
    expect(p).toMatchObject({ size: 1.5, leverage: 10, entryPrice: 3000 });
    expect(p?.margin).toBeCloseTo(450, 9);
    // Lowering leverage below what the position needs is refused.
    expect((await rejection(ex.setLeverage(SYM, 1))).kind).toBe('insufficient-margin');
  });
});

describe('paper exchange: positions and PnL', () => {
  it('open / add / reduce / flip / close against hand-computed numbers', async () => {
    const { ex } = setup({ balance: 100_000, price: 2000 });
    await ex.createOrder(order('buy', 1));
    ex.setMark(SYM, 2200);
    await ex.createOrder(order('buy', 1)); // add: entry (2000 + 2200) / 2
    let [p] = await ex.fetchPositions();
    expect(p).toMatchObject({ size: 2, entryPrice: 2100 });
    ex.setMark(SYM, 2300);
    [p] = await ex.fetchPositions();
    expect(p?.unrealizedPnl).toBeCloseTo(400, 9);
    await ex.createOrder(order('sell', 0.5)); // reduce: +0.5 * 200
    expect(ex.ledgerSnapshot().realizedPnl).toBeCloseTo(100, 9);
    ex.setMark(SYM, 1900);
    await ex.createOrder(order('sell', 3)); // flip: close 1.5 at -200 each, open short 1.5 at 1900
    [p] = await ex.fetchPositions();
    expect(p).toMatchObject({ size: -1.5, entryPrice: 1900 });
    expect(ex.ledgerSnapshot().realizedPnl).toBeCloseTo(100 - 300, 9);
    ex.setMark(SYM, 1800);
    [p] = await ex.fetchPositions();
    expect(p?.unrealizedPnl).toBeCloseTo(150, 9);
    await ex.createOrder(order('buy', 1.5)); // close the short: +1.5 * 100
    expect(await ex.fetchPositions()).toEqual([]);
    const ledger = ex.ledgerSnapshot();
    expect(ledger.realizedPnl).toBeCloseTo(-50, 9);
    expect(ledger.cash).toBeCloseTo(100_000 - 50, 9);
    const bal = await ex.fetchBalance();
    expect(bal).toMatchObject({ currency: 'USDT', used: 0 });
    expect(bal.total).toBeCloseTo(99_950, 9);
  });

  it('estimates the liquidation price where equity meets maintenance margin', async () => {
    const { ex } = setup({ balance: 1000, price: 3000 });
    await ex.createOrder(order('buy', 0.9));
    const [p] = await ex.fetchPositions();
    const liq = (0.9 * 3000 - 1000) / (0.9 - 0.005 * 0.9);
    expect(p?.liquidationPrice).toBeCloseTo(liq, 6);
    expect(1000 + 0.9 * (liq - 3000)).toBeCloseTo(0.005 * 0.9 * liq, 6);
  });

  it('reduce-only orders are clipped to the open size and refused when they cannot reduce', async () => {
    const { ex } = setup({ price: 3000 });
    expect((await rejection(ex.createOrder(order('sell', 1, { reduceOnly: true })))).kind).toBe('invalid-order');
    await ex.createOrder(order('buy', 1));
    expect((await rejection(ex.createOrder(order('buy', 1, { reduceOnly: true })))).kind).toBe('invalid-order');
    const o = await ex.createOrder(order('sell', 2.5, { reduceOnly: true }));
    expect(o).toMatchObject({ amount: 2.5, filled: 1, status: 'closed', reduceOnly: true });
    expect(await ex.fetchPositions()).toEqual([]);
  });
});

describe('paper exchange: funding', () => {
  it('longs pay shorts at each interval boundary when the rate is positive, by the injected clock', async () => {
    const { ex, advance } = setup({ price: 3000, fundingRate: 0.0001 });
    await ex.createOrder(order('buy', 2));
    advance(7 * HOUR - 1);
    expect(ex.ledgerSnapshot().fundingPaid).toBe(0);
    advance(1); // the boundary
    expect(ex.ledgerSnapshot().fundingPaid).toBeCloseTo(2 * 3000 * 0.0001, 12);
    expect(ex.ledgerSnapshot().cash).toBeCloseTo(10_000 - 0.6, 9);
    advance(16 * HOUR); // two more intervals
    expect(ex.ledgerSnapshot().fundingPaid).toBeCloseTo(1.8, 9);
    const fr = await ex.fetchFundingRate(SYM);
    expect(fr.rate).toBe(0.0001);
    expect(fr.nextFundingTime).toBeGreaterThan(0);
  });

  it('shorts pay longs when the rate (a function of time) is negative, and settleFunding returns the amount', async () => {
    const { ex, now } = setup({ price: 2000, rateFn: () => -0.0005 });
    await ex.createOrder(order('sell', 1));
    const paidShort = ex.settleFunding(now() + 7 * HOUR);
    expect(paidShort).toBeCloseTo(-1 * 2000 * -0.0005, 12); // the short pays 1 USDT
    await ex.createOrder(order('buy', 2)); // now long 1
    expect(ex.settleFunding(now() + 15 * HOUR)).toBeCloseTo(-1, 12); // the long receives 1 USDT
    expect(ex.ledgerSnapshot().fundingPaid).toBeCloseTo(0, 12);
  });

  it('lists each settlement in the funding history, signed as received, from `since` on', async () => {
    const { ex, advance, now } = setup({ price: 2000, rateFn: () => 0.0002 });
    await ex.createOrder(order('sell', 3)); // a short receives a positive rate
    advance(7 * HOUR);
    const first = now();
    advance(8 * HOUR);
    const history = await ex.fetchFundingHistory(SYM);
    expect(history.map((f) => f.timestamp)).toEqual([first, first + 8 * HOUR]);
    for (const f of history) {
      expect(f.amount).toBeCloseTo(3 * 2000 * 0.0002, 12);
      expect(f.rate).toBe(0.0002);
    }
    expect(history.reduce((a, f) => a + f.amount, 0)).toBeCloseTo(-ex.ledgerSnapshot().fundingPaid, 12);
    expect(await ex.fetchFundingHistory(SYM, first + 1)).toHaveLength(1);
  });
});

describe('paper exchange: idempotency, faults, lifecycle', () => {
  it('returns the same order for a repeated client order id and never fills twice', async () => {
    const { ex, fills } = setup({ price: 3000 });
    const req = order('buy', 1);
    const a = await ex.createOrder(req);
    ex.setMark(SYM, 3500);
    const b = await ex.createOrder(req);
    expect(b).toEqual(a);
    expect(fills).toHaveLength(1);
    expect(await ex.fetchOrderByClientId(SYM, req.clientOrderId)).toEqual(a);
    expect(await ex.fetchOrderByClientId(SYM, 'never-sent')).toBeNull();
    expect(await ex.fetchOpenOrders()).toEqual([]);
    expect(await ex.cancelAllOrders(SYM)).toBe(0);
  });

  it('failNext injects retryable faults; a retry with the same id then places the order once', async () => {
    const { ex, fills } = setup({ price: 3000 });
    ex.failNext('network', 2);
    ex.failNext('rate-limit', 1, 'fetchBalance');
    const req = order('sell', 1);
    const e1 = await rejection(ex.createOrder(req));
    expect([e1.kind, e1.retryable]).toEqual(['network', true]);
    expect((await rejection(ex.createOrder(req))).kind).toBe('network');
    expect(await ex.fetchOrderByClientId(SYM, req.clientOrderId)).toBeNull();
    await ex.createOrder(req);
    await ex.createOrder(req);
    expect(fills).toHaveLength(1);
    expect((await rejection(ex.fetchBalance())).kind).toBe('rate-limit');
    expect((await ex.fetchBalance()).currency).toBe('USDT');
  });

  it('close() stops the price stream and fills, and refuses further calls', async () => {
    const { ex, prices } = setup({ price: 3000 });
    let completed = false;
    ex.fills$.subscribe({ complete: () => { completed = true; } });
    await ex.close();
    prices.next({ symbol: SYM, price: 1 });
    expect(ex.markPrice(SYM)).toBe(3000);
    expect(completed).toBe(true);
    expect((await rejection(ex.loadMarkets())).kind).toBe('unavailable');
  });

  it('lists its markets with precision and limits', async () => {
    const { ex } = setup({ price: 3000 });
    expect(await ex.loadMarkets()).toEqual([
      { symbol: SYM, base: 'ETH', quote: 'USDT', amountStep: 0.001, minAmount: 0.001, minNotional: 5, priceStep: 0.01, maxLeverage: 50, takerFee: 0 },
    ]);
  });
});

const stepArb = fc.record({
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  lots: fc.integer({ min: 2, max: 3000 }),
  reduceOnly: fc.boolean(),
  priceMove: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
  advanceHours: fc.integer({ min: 0, max: 12 }),
  reuseId: fc.boolean(),
});

describe('paper exchange: properties over random order sequences', () => {
  it('size = signed sum of fills; cash change = realized − fees − funding; ids fill once; reduce-only never grows exposure', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 30 }), async (steps) => {
        const { ex, fills, advance } = setup({ balance: 20_000, price: 3000, takerFeeBps: 5, slippageBps: 2, fundingRate: 0.0003 });
        const sent: OrderRequest[] = [];
        let price = 3000;
        for (const s of steps) {
          price = Math.max(100, price * (1 + s.priceMove));
          ex.setMark(SYM, price);
          advance(s.advanceHours * HOUR);
          const req = s.reuseId && sent.length > 0 ? sent[sent.length - 1]! : order(s.side, s.lots / 1000, { reduceOnly: s.reduceOnly });
          sent.push(req);
          const before = (await ex.fetchPositions())[0]?.size ?? 0;
          const result: unknown = await ex.createOrder(req).then((o) => o, (e: unknown) => e);
          const after = (await ex.fetchPositions())[0]?.size ?? 0;
          if (!(result instanceof VenueError)) {
            expect(result).toMatchObject({ clientOrderId: req.clientOrderId, status: 'closed' });
          } else {
            expect(['insufficient-margin', 'invalid-order']).toContain(result.kind);
            expect(after).toBe(before);
          }
          if (req.reduceOnly === true) {
            expect(Math.abs(after)).toBeLessThanOrEqual(Math.abs(before) + 1e-12);
            expect(after * before).toBeGreaterThanOrEqual(0);
          }
        }
        const size = (await ex.fetchPositions())[0]?.size ?? 0;
        const sumFills = fills.reduce((acc, f) => acc + (f.side === 'buy' ? f.amount : -f.amount), 0);
        expect(size).toBeCloseTo(sumFills, 9);
        const ids = fills.map((f) => f.clientOrderId);
        expect(new Set(ids).size).toBe(ids.length);
        const l = ex.ledgerSnapshot();
        const feeSum = fills.reduce((acc, f) => acc + f.fee, 0);
        expect(l.feesPaid).toBeCloseTo(feeSum, 6);
        expect(l.cash - 20_000).toBeCloseTo(l.realizedPnl - l.feesPaid - l.fundingPaid, 6);
        const bal = await ex.fetchBalance();
        const pos = (await ex.fetchPositions())[0];
        expect(bal.total).toBeCloseTo(l.cash + (pos?.unrealizedPnl ?? 0), 6);
        expect(bal.free).toBeCloseTo(bal.total - bal.used, 6);
        await ex.close();
      }),
      { numRuns: 150, seed: 4242 },
    );
  });
});
