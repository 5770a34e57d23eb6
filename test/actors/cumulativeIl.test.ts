/**
 * IL across rolls: each roll starts a new entry (ilUSD restarts at 0), and the IL the closed
 * range had at the roll is kept in `il.realizedUSD`, so `il.cumulativeUSD` and `il.netIL` tell a
 * fund the whole strategy's loss against holding, not only the current range's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rangeAmounts } from '../../src/actors/position/rangeAmounts.js';
import type { PositionState } from '../../src/actors/position/positionActor.js';
import { startFixture, type Fixture } from './support/fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

/** Value of the range's liquidity minus the value of holding its entry amounts, both at `price` (USDC per ETH; ETH is token0). */
function rangeIlUsd(s: PositionState, price: number): number {
  const pos = s.position!;
  const raw = price * 10 ** (6 - 18);
  const a = rangeAmounts(Number(BigInt(pos.liquidity)), pos.tickLower, pos.tickUpper, raw);
  const value = (a.amount0 / 1e18) * price + a.amount1 / 1e6;
  const hold = s.entry!.amount0 * price + s.entry!.amount1;
  return Math.min(0, value - hold);
}

describe('IL across rolls', () => {
  it('keeps the IL of every closed range: realized + current = cumulative, netIL = cumulative + fees', async () => {
    f = await startFixture();
    const poolId = f.pools[0]!.poolId;
    await f.move(3000);
    const first = await f.agent.position(poolId);
    expect(first.il.realizedUSD).toBe(0);

    await f.move(3600); // out of range above: roll #1
    const second = await f.agent.position(poolId);
    expect(second.rolls).toBe(1);
    const realized1 = rangeIlUsd(first, 3600);
    expect(realized1).toBeLessThan(-1); // a range left behind by a 20% move lost against holding
    expect(second.il.realizedUSD).toBeCloseTo(realized1, 6);

    await f.move(3000); // back below the new range: roll #2
    const third = await f.agent.position(poolId);
    expect(third.rolls).toBe(2);
    const realized2 = realized1 + rangeIlUsd(second, 3000);
    expect(realized2).toBeLessThan(realized1);
    expect(third.il.realizedUSD).toBeCloseTo(realized2, 6);

    for (const s of [first, second, third]) {
      expect(s.il.cumulativeUSD).toBeCloseTo(s.il.realizedUSD + s.il.ilUSD, 9);
      expect(s.il.netIL).toBeCloseTo(s.il.cumulativeUSD + s.il.feesEarned, 9);
      expect(s.il.cumulativePercent).toBeCloseTo((s.il.cumulativeUSD / s.depositedUsd) * 100, 9);
    }
    // the price is back where it started, but the two round trips through ranges cost the losses above
    expect(third.il.cumulativeUSD).toBeLessThanOrEqual(realized2 + 1e-9);
  });
});
