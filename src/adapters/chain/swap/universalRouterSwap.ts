/**
 * Exact-input v4 swaps through Uniswap's Universal Router: execute([V4_SWAP], [SWAP_EXACT_IN_SINGLE
 * + SETTLE_ALL + TAKE_ALL], deadline). The router pulls the input through Permit2, as Uniswap
 * documents: the token is approved to Permit2 once (ERC20.approve), and the router is allowed
 * the swap's amount on Permit2 (Permit2.approve(token, router, amount, expiration)) when its
 * allowance there is short. Native ETH (currency address(0)) needs no approval: the input goes
 * with the call as its value. A revert comes back as a typed error, decoded with the router's ABI.
 */
import { Interface, ZeroAddress, dataSlice, type Provider } from 'ethers';
import type { Logger } from '../../../logging/logger.js';
import { loadArtifact } from '../devnet/artifacts.js';
import { poolIdOf } from '../poolId.js';
import { ensurePermit2Allowance, PERMIT2_ADDRESS } from '../positions/permit2.js';
import { TxRevertedError } from '../tx/errors.js';
import { decodeRevert, type DecodedRevert } from '../tx/revertDecoder.js';
import type { TxSender } from '../tx/sender.js';
import { SwapEventMissingError, SwapOutputBelowMinimumError, SwapRevertedError } from './swapErrors.js';
import { swapEventOf } from './swapEventOf.js';
import type { ExactInSwapRequest, ExactInSwapResult, SwapRouter } from './swapRouter.js';
import { encodeExecuteExactInSingle, swapCurrencies } from './universalRouterCommands.js';

/** What a UniversalRouterSwap needs. */
export interface UniversalRouterSwapOptions {
  /** The Universal Router's address. */
  address: string;
  provider: Provider;
  /** Sends as the wallet that pays and receives. */
  sender: TxSender;
  permit2?: string;
  /** Seconds from the latest block's time until the swap expires; default 300. */
  deadlineSeconds?: number;
  log: Logger;
}

let routerErrors: Interface | undefined;

/** The Universal Router's errors (its ABI lists the V4Router, Permit2-payment and v2/v3 ones). */
function routerErrorsInterface(): Interface {
  routerErrors ??= new Interface(loadArtifact('UniversalRouter').abi);
  return routerErrors;
}

/** Decodes revert data with the router's own errors first, then the v4 / Permit2 ones. */
export function decodeRouterRevert(data: string | null): DecodedRevert | null {
  if (data === null || data.length < 10) return decodeRevert(data);
  try {
    const desc = routerErrorsInterface().parseError(data);
    if (desc !== null) {
      const args: Record<string, unknown> = {};
      desc.fragment.inputs.forEach((p, i) => {
        args[p.name !== '' ? p.name : String(i)] = desc.args[i];
      });
      return { selector: dataSlice(data, 0, 4), name: desc.name, signature: desc.signature, args, data };
    }
  } catch {
    // not one of the router's: fall through
  }
  return decodeRevert(data);
}

/** Swaps through the Universal Router for one wallet (see the module comment). */
export class UniversalRouterSwap implements SwapRouter {
  readonly kind = 'universalRouter';
  readonly address: string;
  private readonly permit2: string;
  private readonly deadlineSeconds: number;

  constructor(private readonly o: UniversalRouterSwapOptions) {
    this.address = o.address;
    this.permit2 = o.permit2 ?? PERMIT2_ADDRESS;
    this.deadlineSeconds = o.deadlineSeconds ?? 300;
  }

  /**
   * Approves (when short) and sends the swap. Throws SwapOutputBelowMinimumError when the pool
   * would pay out less than `amountOutMinimum`, SwapRevertedError for any other revert; in the
   * simulation stage nothing was sent.
   */
  async swapExactIn(req: ExactInSwapRequest): Promise<ExactInSwapResult> {
    const { currencyIn } = swapCurrencies(req);
    await ensurePermit2Allowance({ sender: this.o.sender, provider: this.o.provider, token: currencyIn, spender: this.address, amount: req.amountIn, permit2: this.permit2 });
    const block = await this.o.provider.getBlock('latest');
    const deadline = BigInt((block?.timestamp ?? Math.floor(Date.now() / 1000)) + this.deadlineSeconds);
    const data = encodeExecuteExactInSingle(req, deadline);
    let tx;
    try {
      tx = await this.o.sender.send({
        to: this.address, data, label: req.label, ...(currencyIn === ZeroAddress ? { value: req.amountIn } : {}),
        ...(req.beforeBroadcast === undefined ? {} : { beforeBroadcast: req.beforeBroadcast }),
      });
    } catch (err) {
      throw this.typed(req.label, err);
    }
    const poolId = poolIdOf(req.poolKey);
    const ev = swapEventOf(tx.receipt, poolId);
    if (ev === null) throw new SwapEventMissingError(req.label, tx.hash, poolId);
    const amountIn = req.zeroForOne ? -ev.amount0 : -ev.amount1;
    const amountOut = req.zeroForOne ? ev.amount1 : ev.amount0;
    this.o.log.info({ label: req.label, router: this.address, zeroForOne: req.zeroForOne, amountIn: amountIn.toString(), amountOut: amountOut.toString(), minimum: req.amountOutMinimum.toString(), hash: tx.hash }, 'universal router swap');
    return { tx, amountIn, amountOut, sqrtPriceX96After: ev.sqrtPriceX96, tickAfter: ev.tick };
  }

  private typed(label: string, err: unknown): unknown {
    if (!(err instanceof TxRevertedError)) return err;
    const revert = decodeRouterRevert(err.revert?.data ?? null);
    if (revert?.name === 'V4TooLittleReceived') {
      return new SwapOutputBelowMinimumError(label, err.stage, revert.args['minAmountOutReceived'] as bigint, revert.args['amountReceived'] as bigint);
    }
    return new SwapRevertedError(label, err.stage, this.address, revert, err);
  }
}
