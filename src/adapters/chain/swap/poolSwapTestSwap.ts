/**
 * Exact-input swaps through v4-core's PoolSwapTest, a TEST router that exists on our devnet and
 * not on mainnet (kept for tests and for devnets without a Universal Router). It pulls the input
 * with ERC20.transferFrom (the token is approved to it; native ETH goes as the call's value) and
 * has no minimum output of its own:
 * the minimum is checked on the pre-flight simulation's BalanceDelta, so a swap that would pay
 * out less is refused before anything is sent, but a price move between that check and the
 * block is not guarded as the Universal Router's TAKE_ALL guards it.
 */
import { AbiCoder, Contract, Interface, MaxUint256, ZeroAddress, type Provider } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import { ERC20_ABI } from '../abi/erc20.js';
import { poolIdOf } from '../poolId.js';
import { TxRevertedError } from '../tx/errors.js';
import type { TxSender } from '../tx/sender.js';
import { openPriceLimit } from './exactInQuote.js';
import { SwapEventMissingError, SwapOutputBelowMinimumError, SwapRevertedError } from './swapErrors.js';
import { swapEventOf } from './swapEventOf.js';
import type { ExactInSwapRequest, ExactInSwapResult, SwapRouter } from './swapRouter.js';
import { swapCurrencies } from './universalRouterCommands.js';

const SWAP_IFACE = new Interface([
  'function swap((address,address,uint24,int24,address) key, (bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96) params, (bool takeClaims, bool settleUsingBurn) testSettings, bytes hookData) payable returns (int256)',
]);
const ERC20_IFACE = new Interface(ERC20_ABI);

/** What a PoolSwapTestSwap needs. */
export interface PoolSwapTestSwapOptions {
  address: string;
  provider: Provider;
  sender: TxSender;
  log: Logger;
}

/** BalanceDelta (int256) → its two int128 halves. */
function unpackDelta(packed: bigint): { amount0: bigint; amount1: bigint } {
  const u = BigInt.asUintN(256, packed);
  return { amount0: BigInt.asIntN(128, u >> 128n), amount1: BigInt.asIntN(128, u) };
}

/** Swaps through PoolSwapTest for one wallet (see the module comment). */
export class PoolSwapTestSwap implements SwapRouter {
  readonly kind = 'poolSwapTest';
  readonly address: string;

  constructor(private readonly o: PoolSwapTestSwapOptions) {
    this.address = o.address;
  }

  async swapExactIn(req: ExactInSwapRequest): Promise<ExactInSwapResult> {
    const { currencyIn } = swapCurrencies(req);
    const native = currencyIn === ZeroAddress;
    const owner = await this.o.sender.from();
    const allowance = native ? MaxUint256 : ((await new Contract(currencyIn, ERC20_IFACE, this.o.provider).getFunction('allowance')(owner, this.address)) as bigint);
    if (allowance < req.amountIn) {
      await this.o.sender.send({ to: currencyIn, data: ERC20_IFACE.encodeFunctionData('approve', [this.address, MaxUint256]), label: 'approve PoolSwapTest' });
    }
    const k = req.poolKey;
    const limit = openPriceLimit(req.zeroForOne);
    const data = SWAP_IFACE.encodeFunctionData('swap', [[k.currency0, k.currency1, k.fee, k.tickSpacing, k.hooks], [req.zeroForOne, -req.amountIn, limit], [false, false], '0x']);
    let tx;
    try {
      const call = { to: this.address, data, label: req.label, ...(native ? { value: req.amountIn } : {}) };
      const ret = await this.o.sender.simulate(call);
      const [packed] = AbiCoder.defaultAbiCoder().decode(['int256'], ret) as unknown as [bigint];
      const d = unpackDelta(packed);
      const out = req.zeroForOne ? d.amount1 : d.amount0;
      if (out < req.amountOutMinimum) throw new SwapOutputBelowMinimumError(req.label, 'simulation', req.amountOutMinimum, out);
      tx = await this.o.sender.send({ ...call, ...(req.beforeBroadcast === undefined ? {} : { beforeBroadcast: req.beforeBroadcast }) });
    } catch (err) {
      if (err instanceof TxRevertedError) throw new SwapRevertedError(req.label, err.stage, this.address, err.revert, err);
      throw err;
    }
    const poolId = poolIdOf(req.poolKey);
    const ev = swapEventOf(tx.receipt, poolId);
    if (ev === null) throw new SwapEventMissingError(req.label, tx.hash, poolId);
    const amountIn = req.zeroForOne ? -ev.amount0 : -ev.amount1;
    const amountOut = req.zeroForOne ? ev.amount1 : ev.amount0;
    this.o.log.info({ label: req.label, router: this.address, zeroForOne: req.zeroForOne, amountIn: amountIn.toString(), amountOut: amountOut.toString(), hash: tx.hash }, 'PoolSwapTest swap');
    return { tx, amountIn, amountOut, sqrtPriceX96After: ev.sqrtPriceX96, tickAfter: ev.tick };
  }
}
