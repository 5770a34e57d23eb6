import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deriveClientOrderId, isValidClientOrderId } from '../../src/adapters/exchange/clientOrderId.js';

const intent = fc.record({
  agentId: fc.string({ minLength: 1, maxLength: 40 }),
  venue: fc.string({ minLength: 1, maxLength: 20 }),
  asset: fc.string({ minLength: 1, maxLength: 10 }),
  sequence: fc.nat(),
  target: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
});

describe('deriveClientOrderId', () => {
  it('is deterministic, within both venues\' limits, and differs between intents', () => {
    fc.assert(fc.property(intent, intent, (a, b) => {
      const id = deriveClientOrderId(a);
      expect(id).toBe(deriveClientOrderId({ ...a }));
      expect(id.length).toBeLessThanOrEqual(36);
      expect(isValidClientOrderId(id)).toBe(true);
      const same = a.agentId === b.agentId && a.venue === b.venue && a.asset === b.asset && a.sequence === b.sequence && Object.is(a.target, b.target);
      if (!same) expect(deriveClientOrderId(b)).not.toBe(id);
    }), { numRuns: 500 });
  });

  it('without a target, names the intent by (agent, venue, asset, sequence) alone: deterministic, valid, distinct, and apart from every targeted id', () => {
    fc.assert(fc.property(intent, intent, (a, b) => {
      const { target, ...bare } = a;
      const id = deriveClientOrderId(bare);
      expect(id).toBe(deriveClientOrderId({ agentId: a.agentId, venue: a.venue, asset: a.asset, sequence: a.sequence }));
      expect(isValidClientOrderId(id)).toBe(true);
      expect(deriveClientOrderId({ ...bare, target })).not.toBe(id);
      const same = a.agentId === b.agentId && a.venue === b.venue && a.asset === b.asset && a.sequence === b.sequence;
      const { target: _t, ...bareB } = b;
      if (!same) expect(deriveClientOrderId(bareB)).not.toBe(id);
    }), { numRuns: 500 });
  });

  it('separates fields that would collide if concatenated', () => {
    const x = deriveClientOrderId({ agentId: 'a', venue: 'v', asset: 'BETH', sequence: 1, target: 1 });
    const y = deriveClientOrderId({ agentId: 'aB', venue: 'v', asset: 'ETH', sequence: 1, target: 1 });
    expect(x).not.toBe(y);
  });

  it('refuses a malformed intent', () => {
    expect(() => deriveClientOrderId({ agentId: '', venue: 'v', asset: 'ETH', sequence: 1, target: 0 })).toThrow();
    expect(() => deriveClientOrderId({ agentId: 'a', venue: 'v', asset: 'ETH', sequence: -1, target: 0 })).toThrow();
    expect(isValidClientOrderId('has space')).toBe(false);
    expect(isValidClientOrderId('x'.repeat(37))).toBe(false);
  });
});
