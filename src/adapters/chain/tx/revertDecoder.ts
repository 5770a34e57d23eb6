/**
 * Decodes revert data from the v4 PoolManager, PositionManager, Permit2 and the libraries they
 * use (custom errors), plus Solidity's Error(string) and Panic(uint256). Hook and token call
 * failures that v4 wraps in WrappedError are unwrapped into `inner`.
 */
import { createRequire } from 'node:module';
import { ErrorFragment, Interface, dataLength, dataSlice, type InterfaceAbi, type JsonFragment } from 'ethers';

/** A decoded revert: the error's name, signature and named arguments, and any wrapped inner revert. */
export interface DecodedRevert {
  /** 4-byte selector, 0x-hex. */
  selector: string;
  /** Error name, e.g. 'MaximumAmountExceeded'; 'Unknown' when no known error has this selector. */
  name: string;
  /** Full signature, e.g. 'MaximumAmountExceeded(uint128,uint128)'; '' when unknown. */
  signature: string;
  /** Arguments by name (by position when unnamed). bigint for integers, 0x-hex for bytes. */
  args: Record<string, unknown>;
  /** For WrappedError: the revert of the wrapped call. */
  inner?: DecodedRevert;
  /** The raw revert data. */
  data: string;
}

const require = createRequire(import.meta.url);

function artifactErrors(path: string): JsonFragment[] {
  const artifact = require(path) as { abi: InterfaceAbi };
  return (artifact.abi as JsonFragment[]).filter((f) => f.type === 'error');
}

/**
 * Errors declared in v4-core / v4-periphery libraries and Permit2 that the compiled ABIs of
 * PoolManager and PositionManager do not list (custom types written as their ABI types).
 */
const LIBRARY_ERRORS = [
  'error Error(string reason)',
  'error Panic(uint256 code)',
  'error WrappedError(address target, bytes4 selector, bytes reason, bytes details)',
  'error TicksMisordered(int24 tickLower, int24 tickUpper)',
  'error TickLowerOutOfBounds(int24 tickLower)',
  'error TickUpperOutOfBounds(int24 tickUpper)',
  'error TickLiquidityOverflow(int24 tick)',
  'error TickMisaligned(int24 tick, int24 tickSpacing)',
  'error InvalidTick(int24 tick)',
  'error InvalidSqrtPrice(uint160 sqrtPriceX96)',
  'error PoolAlreadyInitialized()',
  'error PoolNotInitialized()',
  'error PriceLimitAlreadyExceeded(uint160 sqrtPriceCurrentX96, uint160 sqrtPriceLimitX96)',
  'error PriceLimitOutOfBounds(uint160 sqrtPriceLimitX96)',
  'error NoLiquidityToReceiveFees()',
  'error InvalidFeeForExactOut()',
  'error CannotUpdateEmptyPosition()',
  'error SafeCastOverflow()',
  'error InvalidPrice()',
  'error InvalidPriceOrLiquidity()',
  'error NotEnoughLiquidity()',
  'error PriceOverflow()',
  'error LPFeeTooLarge(uint24 fee)',
  'error HookAddressNotValid(address hooks)',
  'error InvalidHookResponse()',
  'error HookCallFailed()',
  'error HookDeltaExceedsSwapAmount()',
  'error NativeTransferFailed()',
  'error ERC20TransferFailed()',
  'error SliceOutOfBounds()',
  'error MaximumAmountExceeded(uint128 maximumAmount, uint128 amountRequested)',
  'error MinimumAmountInsufficient(uint128 minimumAmount, uint128 amountReceived)',
  // Permit2 (AllowanceTransfer / SignatureTransfer)
  'error AllowanceExpired(uint256 deadline)',
  'error InsufficientAllowance(uint256 amount)',
  'error ExcessiveInvalidation()',
  'error InvalidAmount(uint256 maxAmount)',
  'error LengthMismatch()',
  'error InvalidNonce()',
  'error SignatureExpired(uint256 signatureDeadline)',
];

function buildInterface(): Interface {
  const seen = new Set<string>();
  const fragments: ErrorFragment[] = [];
  const add = (f: ErrorFragment): void => {
    if (seen.has(f.selector)) return;
    seen.add(f.selector);
    fragments.push(f);
  };
  for (const s of LIBRARY_ERRORS) add(ErrorFragment.from(s));
  for (const path of ['@uniswap/v4-core/out/PoolManager.sol/PoolManager.json', '@uniswap/v4-periphery/foundry-out/PositionManager.sol/PositionManager.json']) {
    for (const j of artifactErrors(path)) add(ErrorFragment.from(j));
  }
  return new Interface(fragments);
}

let cached: Interface | undefined;

/** The Interface holding every error this decoder knows (built once from the v4 artifacts). */
export function knownErrorsInterface(): Interface {
  cached ??= buildInterface();
  return cached;
}

const MAX_DEPTH = 4;

/**
 * Decodes `data` (revert bytes, 0x-hex) into a DecodedRevert. Returns null for empty data (a
 * revert without reason, or out of gas). Never throws: undecodable data yields name 'Unknown'.
 */
export function decodeRevert(data: string | null | undefined, depth = 0): DecodedRevert | null {
  if (data === null || data === undefined || data === '0x' || data.length < 10) return null;
  const selector = dataSlice(data, 0, 4);
  const iface = knownErrorsInterface();
  try {
    const desc = iface.parseError(data);
    if (desc === null) return { selector, name: 'Unknown', signature: '', args: {}, data };
    const args: Record<string, unknown> = {};
    desc.fragment.inputs.forEach((p, i) => {
      args[p.name !== '' ? p.name : String(i)] = desc.args[i];
    });
    const out: DecodedRevert = { selector, name: desc.name, signature: desc.signature, args, data };
    if (desc.name === 'WrappedError' && depth < MAX_DEPTH) {
      const reason = desc.args[2] as string;
      const inner = dataLength(reason) >= 4 ? decodeRevert(reason, depth + 1) : null;
      if (inner !== null) out.inner = inner;
    }
    return out;
  } catch {
    return { selector, name: 'Unknown', signature: '', args: {}, data };
  }
}

/** One line describing a decoded revert, innermost cause last, e.g. "WrappedError(...) <- ERC20 Error('...')". */
export function describeRevert(r: DecodedRevert | null): string {
  if (r === null) return 'reverted without reason';
  const args = Object.entries(r.args).map(([k, v]) => `${k}=${typeof v === 'bigint' ? v.toString() : String(v)}`).join(', ');
  const head = r.name === 'Unknown' ? `unknown error ${r.selector}` : `${r.name}(${args})`;
  return r.inner === undefined ? head : `${head} <- ${describeRevert(r.inner)}`;
}
