import fc from 'fast-check';
import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parsePriceCsv, PriceCsvError } from '../../src/adapters/chain/devnet/simulator/priceCsv.js';
import { gbmPath, gbmPrice$, pacedPrices, referencePriceFeed, type PricePoint } from '../../src/adapters/chain/devnet/simulator/referencePrice.js';

function take(n: number, it: Iterator<PricePoint>): PricePoint[] {
  const out: PricePoint[] = [];
  for (let i = 0; i < n; i++) out.push(it.next().value as PricePoint);
  return out;
}

function logReturns(points: PricePoint[]): number[] {
  return points.slice(1).map((p, i) => Math.log(p.price / points[i]!.price));
}

function std(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

describe('GBM reference price path', () => {
  it('is deterministic per seed and differs across seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const opts = { initialPrice: 3000, sigma: 0.8, stepSeconds: 60, seed };
        const a = take(200, gbmPath(opts));
        expect(take(200, gbmPath(opts))).toEqual(a);
        expect(take(200, gbmPath({ ...opts, seed: seed + 1 })).map((p) => p.price)).not.toEqual(a.map((p) => p.price));
        expect(a[0]).toEqual({ time: 0, price: 3000 });
        expect(a[1]!.time).toBe(60_000);
      }),
      { numRuns: 30 },
    );
  });

  it('has the requested annualized sigma and drift of log returns', () => {
    // 8000 hourly steps: the sample σ has a relative standard error of 1/sqrt(2n) ≈ 0.8%.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: 0.1, max: 2, noNaN: true }), (seed, sigma) => {
        const stepSeconds = 3600;
        const dt = stepSeconds / (365 * 24 * 3600);
        const r = logReturns(take(8001, gbmPath({ initialPrice: 3000, sigma, stepSeconds, seed })));
        expect(std(r) / Math.sqrt(dt)).toBeGreaterThan(sigma * 0.95);
        expect(std(r) / Math.sqrt(dt)).toBeLessThan(sigma * 1.05);
      }),
      { numRuns: 20 },
    );
    // Drift: mean log return = (μ − σ²/2)·dt; with a large μ and small σ it is measurable.
    const dt = 86400 / (365 * 24 * 3600);
    const r = logReturns(take(20001, gbmPath({ initialPrice: 100, sigma: 0.2, drift: 5, stepSeconds: 86400, seed: 11 })));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    expect(mean / dt).toBeGreaterThan(5 - 0.02 - 0.15); // standard error ≈ 0.027
    expect(mean / dt).toBeLessThan(5 - 0.02 + 0.15);
  });

  it('rejects a non-positive price, negative sigma and zero step', () => {
    expect(() => gbmPath({ initialPrice: 0, sigma: 0.8, stepSeconds: 60, seed: 1 }).next()).toThrow(/price/);
    expect(() => gbmPath({ initialPrice: 3000, sigma: -1, stepSeconds: 60, seed: 1 }).next()).toThrow(/sigma/);
    expect(() => gbmPath({ initialPrice: 3000, sigma: 1, stepSeconds: 0, seed: 1 }).next()).toThrow(/stepSeconds/);
  });

  it('streams the same path as an Observable and completes after maxPoints', async () => {
    const opts = { initialPrice: 3000, sigma: 0.8, stepSeconds: 60, seed: 9 };
    const streamed = await firstValueFrom(gbmPrice$({ ...opts, intervalMs: 0, maxPoints: 50 }).pipe(toArray()));
    expect(streamed).toEqual(take(50, gbmPath(opts)));
  });

  it('shares one path among subscribers of referencePriceFeed', async () => {
    let runs = 0;
    const source = pacedPrices(
      (function* () {
        runs++;
        yield* take(20, gbmPath({ initialPrice: 3000, sigma: 0.8, stepSeconds: 60, seed: 4 }));
      })(),
      { intervalMs: 0 },
    );
    const feed = referencePriceFeed(source);
    const [a, b] = await Promise.all([firstValueFrom(feed.pipe(toArray())), firstValueFrom(feed.pipe(toArray()))]);
    expect(a).toHaveLength(20);
    expect(b).toEqual(a);
    expect(runs).toBe(1);
  });
});

describe('price CSV replay', () => {
  it('parses ISO, unix-second and unix-ms timestamps, skipping a header and comments', () => {
    const points = parsePriceCsv('timestamp,price\n# recorded\n2024-01-01T00:00:00Z,2300.5\n1704067260,2301\n1704067320000,2299.25\n');
    expect(points).toEqual([
      { time: Date.parse('2024-01-01T00:00:00Z'), price: 2300.5 },
      { time: 1704067260_000, price: 2301 },
      { time: 1704067320_000, price: 2299.25 },
    ]);
  });

  it('names the line of a bad row', () => {
    const bad = ['t,p\n1704067200,3000\n1704067260,-1\n', '1704067200,3000\n1704067100,3001\n', '1704067200,3000\nyesterday,3001\n', 't,p\n'];
    for (const text of bad) expect(() => parsePriceCsv(text)).toThrow(PriceCsvError);
    try {
      parsePriceCsv(bad[0]!);
    } catch (e) {
      expect((e as PriceCsvError).line).toBe(3);
    }
  });
});
