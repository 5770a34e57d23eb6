/**
 * The remembered roll policy answers exactly what decideRoll answers, for any sequence of inputs
 * where some repeat and some change: memory never replaces a decision whose inputs moved.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RememberedRollPolicy } from '../../src/actors/position/rememberedDecision.js';
import { decideRoll, type RollDecisionInput } from '../../src/actors/position/rollDecision.js';

const input = fc.record({
  tick: fc.integer({ min: -500, max: 500 }),
  valueUsd: fc.constantFrom(10_000, 10_001),
  sigma: fc.constantFrom(0.4, 0.8),
  income: fc.constantFrom(null, 1e-9),
  ce: fc.constantFrom(null, 0.5, 0.9),
  gas: fc.constantFrom(30_000_000_000n, 31_000_000_000n),
}).map((r): RollDecisionInput => ({
  tick: r.tick, tickLower: -300, tickUpper: 300, tickSpacing: 10,
  range: { annualVolatility: r.sigma, horizonSeconds: 86_400, riskLevel: 'moderate' },
  rebalanceThreshold: 0.05, apyThreshold: 0.1, minCapitalEfficiency: 0.7, feeApy: 0.2, valueUsd: r.valueUsd, rollGasUnits: 500_000,
  gasPriceWei: r.gas, nativePriceUsd: 1, poolFee: 0.0005, minNetGainUsd: 1,
  market: { feeIncomePerLiquidityPerYear: r.income, liquidity: null, volatility: null, capitalEfficiency: r.ce },
}));

describe('RememberedRollPolicy', () => {
  it('property: every answer equals decideRoll of the same input, repeated inputs answered from memory', () => {
    fc.assert(fc.property(fc.array(input, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(11), { maxLength: 24 }), (inputs, repeats) => {
      const policy = new RememberedRollPolicy();
      const sequence = [...inputs, ...repeats.map((k) => inputs[k % inputs.length]!)];
      for (const i of sequence) expect(policy.decide(i)).toEqual(decideRoll(i));
      expect(policy.hits + policy.misses).toBe(sequence.length);
    }), { numRuns: 200 });
  });

  it('a repeated input is remembered, a changed one recomputed', () => {
    const policy = new RememberedRollPolicy();
    const i = fc.sample(input, { seed: 1, numRuns: 1 })[0]!;
    const first = policy.decide(i);
    expect(policy.decide({ ...i, range: { ...i.range }, market: { ...i.market } })).toBe(first);
    expect(policy.hits).toBe(1);
    policy.decide({ ...i, tick: i.tick + 1 });
    expect(policy.misses).toBe(2);
  });
});
