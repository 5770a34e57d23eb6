import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Interface, id } from 'ethers';
import { decodeRevert, describeRevert, knownErrorsInterface } from '../../../src/adapters/chain/tx/revertDecoder.js';
import { bumpFees, gasCapsOf, quoteFees, txConfigSchema } from '../../../src/adapters/chain/tx/txConfig.js';
import { TxRevertedError } from '../../../src/adapters/chain/tx/errors.js';

const errs = new Interface([
  'error MaximumAmountExceeded(uint128 maximumAmount, uint128 amountRequested)',
  'error WrappedError(address target, bytes4 selector, bytes reason, bytes details)',
  'error TickMisaligned(int24 tick, int24 tickSpacing)',
  'error NotApproved(address caller)',
  'error Error(string)',
]);

describe('revert decoding', () => {
  it('decodes PositionManager, PoolManager-library and Permit2 errors with named arguments', () => {
    const data = errs.encodeErrorResult('MaximumAmountExceeded', [5n, 7n]);
    const r = decodeRevert(data)!;
    expect(r).toMatchObject({ name: 'MaximumAmountExceeded', signature: 'MaximumAmountExceeded(uint128,uint128)', args: { maximumAmount: 5n, amountRequested: 7n } });
    expect(decodeRevert(errs.encodeErrorResult('TickMisaligned', [-7, 60]))).toMatchObject({ name: 'TickMisaligned', args: { tick: -7n, tickSpacing: 60n } });
    for (const name of ['NotApproved', 'DeadlinePassed', 'CurrencyNotSettled', 'PoolNotInitialized', 'AllowanceExpired', 'InsufficientAllowance', 'TicksMisordered', 'MinimumAmountInsufficient']) {
      expect(knownErrorsInterface().getError(name), name).not.toBeNull();
    }
  });

  it('unwraps WrappedError (hook / token call failures) into the inner reason', () => {
    const inner = errs.encodeErrorResult('Error', ['TRANSFER_FROM_FAILED']);
    const data = errs.encodeErrorResult('WrappedError', ['0x' + '12'.repeat(20), id('transferFrom(address,address,uint256)').slice(0, 10), inner, '0x']);
    const r = decodeRevert(data)!;
    expect(r.name).toBe('WrappedError');
    expect(r.inner).toMatchObject({ name: 'Error', args: { 0: 'TRANSFER_FROM_FAILED' } });
    expect(describeRevert(r)).toMatch(/WrappedError\(.*\) <- Error\(0=TRANSFER_FROM_FAILED\)/);
    expect(new TxRevertedError('x', 'simulation', '0x' + '12'.repeat(20), r).reason).toBe('Error');
  });

  it('never throws: empty data is null, unknown or truncated data is Unknown', () => {
    expect(decodeRevert('0x')).toBeNull();
    expect(decodeRevert(null)).toBeNull();
    expect(decodeRevert('0xdeadbeef')).toMatchObject({ name: 'Unknown', selector: '0xdeadbeef' });
    const truncated = errs.encodeErrorResult('MaximumAmountExceeded', [5n, 7n]).slice(0, 40);
    expect(decodeRevert(truncated)).toMatchObject({ name: 'Unknown' });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      const hex = '0x' + Buffer.from(b).toString('hex');
      expect(() => decodeRevert(hex)).not.toThrow();
    }), { numRuns: 500 });
  });
});

describe('gas caps', () => {
  it('defaults follow the spec: 100 gwei cap, 2 gwei priority', () => {
    const caps = gasCapsOf(txConfigSchema.parse({}));
    expect(caps).toEqual({ maxFeePerGasWei: 100_000_000_000n, priorityFeePerGasWei: 2_000_000_000n });
    expect(() => txConfigSchema.parse({ maxGasPriceGwei: -1 })).toThrow();
    expect(gasCapsOf(txConfigSchema.parse({ maxGasPriceGwei: 0.000000001, priorityFeeGwei: 0 }))).toEqual({ maxFeePerGasWei: 1n, priorityFeePerGasWei: 0n });
  });

  it('never quotes above the cap, never below base + priority, and refuses exactly when base + priority > cap', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 11n }), (base, cap, tip) => {
      const q = quoteFees(base, { maxFeePerGasWei: cap, priorityFeePerGasWei: tip });
      const priority = tip < cap ? tip : cap;
      if (base + priority > cap) { expect(q).toBeNull(); return; }
      expect(q).not.toBeNull();
      expect(q!.maxFeePerGas <= cap).toBe(true);
      expect(q!.maxFeePerGas >= base + q!.maxPriorityFeePerGas).toBe(true);
      expect(q!.maxPriorityFeePerGas).toBe(priority);
    }), { numRuns: 2000 });
  });

  it('bumps a replacement by at least the percentage on both fees, under the cap, or says there is no room', () => {
    const raise = (x: bigint, pct: number): bigint => (x * BigInt(100 + pct) + 99n) / 100n;
    fc.assert(fc.property(
      fc.bigInt({ min: 0n, max: 10n ** 11n }), fc.bigInt({ min: 0n, max: 10n ** 11n }), fc.bigInt({ min: 0n, max: 10n ** 12n }),
      fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 10, max: 100 }),
      (tip, extra, base, cap, pct) => {
        const prev = { maxPriorityFeePerGas: tip, maxFeePerGas: tip + extra };
        const b = bumpFees(prev, base, pct, { maxFeePerGasWei: cap, priorityFeePerGasWei: tip });
        if (b === null) {
          // no room: the raised maxFee or the raised tip does not fit under the cap
          expect(raise(prev.maxFeePerGas, pct) > cap || raise(tip, pct) > cap).toBe(true);
          return;
        }
        expect(b.maxPriorityFeePerGas >= raise(tip, pct)).toBe(true);
        expect(b.maxFeePerGas >= raise(prev.maxFeePerGas, pct)).toBe(true);
        expect(b.maxFeePerGas <= cap).toBe(true);
        expect(b.maxPriorityFeePerGas <= b.maxFeePerGas).toBe(true);
        const forBase = 2n * base + b.maxPriorityFeePerGas;
        expect(b.maxFeePerGas).toBe([raise(prev.maxFeePerGas, pct), forBase].reduce((m, x) => (x > m ? x : m)) > cap ? cap : [raise(prev.maxFeePerGas, pct), forBase].reduce((m, x) => (x > m ? x : m)));
      },
    ), { numRuns: 2000 });
  });
});
