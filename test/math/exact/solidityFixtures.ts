/**
 * Shared fixtures of the exact-math tests: v4-core's test constants (test/utils/Constants.sol)
 * and a helper that names the revert a call makes.
 */
import { MathDomainError } from '../../../src/math/index.js';

export const SQRT_PRICE_1_1 = 79228162514264337593543950336n;
export const SQRT_PRICE_1_4 = 39614081257132168796771975168n;
export const SQRT_PRICE_2_1 = 112045541949572279837463876454n;
export const SQRT_PRICE_101_100 = 79623317895830914510639640423n;
export const SQRT_PRICE_121_100 = 87150978765690771352898345369n;
export const SQRT_PRICE_1000_100 = 250541448375047931186413801569n;
export const SQRT_PRICE_10000_100 = 792281625142643375935439503360n;
export const ETHER = 10n ** 18n;

/** The MathDomainError code `f` throws (the Solidity revert), or undefined when it returns. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof MathDomainError ? e.code : 'not a MathDomainError';
  }
}
