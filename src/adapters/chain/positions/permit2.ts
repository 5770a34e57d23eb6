/**
 * Token approvals for PositionManager and the Universal Router, which pull ERC20s through Permit2:
 * the owner approves the token to Permit2 (ERC20.approve, the maximum), then allows the spender on
 * Permit2 (Permit2.approve(token, spender, amount, expiration)).
 *
 * The Permit2 allowance is the maximum (uint160) that never expires (uint48 max), given once per
 * token and spender: Permit2's approve SETS the allowance and each transfer lowers it unless it is
 * the maximum, so approving each call's own amount let two pools sharing a token overwrite each
 * other's allowance between one's approval and its mint (InsufficientAllowance, seen with two
 * pools minting at once). With the maximum nothing runs out, nothing is renewed, and concurrent
 * callers of one sender share one approval in flight. The posture this takes: PositionManager and
 * the Universal Router may pull any amount of the pool tokens the wallet holds (the wallet is the
 * agent's; the spenders are Uniswap's periphery contracts, which pull only what the agent's own
 * transactions settle). Both steps are skipped when the allowance already covers the amount.
 */
import { Contract, Interface, MaxUint256, ZeroAddress, getAddress, type Provider } from 'ethers';
import type { TxSender } from '../tx/sender.js';
import { ERC20_ABI } from '../abi/erc20.js';
import { PERMIT2_ABI } from './abi.js';

/** Canonical Permit2 address (the same on every chain, and on our devnet). */
export const PERMIT2_ADDRESS = '0x000000000022D473030F116dDEE9F6B43aC78BA3';
/** Permit2 amounts are uint160. */
export const MAX_UINT160 = (1n << 160n) - 1n;
const MAX_UINT48 = (1n << 48n) - 1n;

const erc20 = new Interface(ERC20_ABI);
const permit2Iface = new Interface(PERMIT2_ABI);

/** What to approve. `amount` is what PositionManager may pull through Permit2 (uint160). */
export interface Permit2ApprovalRequest {
  sender: TxSender;
  provider: Provider;
  token: string;
  spender: string;
  amount: bigint;
  permit2?: string;
  /** ERC20 allowance given to Permit2 when it is short; default max uint256 (the usual Permit2 setup). */
  erc20Amount?: bigint;
}

/** Which approvals were sent (hashes), if any. */
export interface Permit2ApprovalResult {
  erc20ApproveTx: string | null;
  permit2ApproveTx: string | null;
}

/** An amount outside what Permit2 can hold. */
export class Permit2AmountError extends Error {
  override readonly name = 'Permit2AmountError';
  constructor(readonly amount: bigint) {
    super(`permit2: amount ${amount} does not fit uint160`);
  }
}

/** Approvals in flight per sender (one owner), by Permit2, token and spender: concurrent callers queue behind one. */
const inFlight = new WeakMap<TxSender, Map<string, Promise<Permit2ApprovalResult>>>();

/**
 * Makes sure `spender` can pull `amount` of `token` from the sender's account through Permit2,
 * approving the maximum when it cannot (see the module comment); at most two approvals, shared by
 * concurrent callers for the same token and spender. Native ETH (address 0) needs none.
 */
export async function ensurePermit2Allowance(req: Permit2ApprovalRequest): Promise<Permit2ApprovalResult> {
  if (getAddress(req.token) === ZeroAddress) return { erc20ApproveTx: null, permit2ApproveTx: null };
  if (req.amount < 0n || req.amount > MAX_UINT160) throw new Permit2AmountError(req.amount);
  const permit2 = getAddress(req.permit2 ?? PERMIT2_ADDRESS);
  // taken and registered before the first await, so a concurrent caller always sees it
  const key = [permit2, getAddress(req.token), getAddress(req.spender)].join('/');
  let mine = inFlight.get(req.sender);
  if (mine === undefined) inFlight.set(req.sender, (mine = new Map()));
  const before = mine.get(key);
  const p = (async () => {
    // another caller is approving this token and spender: wait for it, then check (its maximum covers us)
    await before?.catch(() => undefined);
    return approveIfShort(req, await req.sender.from(), permit2);
  })();
  mine.set(key, p);
  try {
    return await p;
  } finally {
    if (mine.get(key) === p) mine.delete(key);
  }
}

async function approveIfShort(req: Permit2ApprovalRequest, owner: string, permit2: string): Promise<Permit2ApprovalResult> {
  const out: Permit2ApprovalResult = { erc20ApproveTx: null, permit2ApproveTx: null };
  const token = new Contract(req.token, ERC20_ABI, req.provider);
  const current = (await token.getFunction('allowance')(owner, permit2)) as bigint;
  if (current < req.amount) {
    const r = await req.sender.send({ to: req.token, data: erc20.encodeFunctionData('approve', [permit2, req.erc20Amount ?? MaxUint256]), label: 'erc20 approve permit2' });
    out.erc20ApproveTx = r.hash;
  }
  const p2 = new Contract(permit2, PERMIT2_ABI, req.provider);
  const [amount, expiration] = (await p2.getFunction('allowance')(owner, req.token, req.spender)) as [bigint, bigint, bigint];
  const block = await req.provider.getBlock('latest');
  const now = BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
  // short (an allowance given by an older version, or by hand) or about to expire: the maximum, for good
  if (amount < req.amount || expiration < now + 3600n) {
    const r = await req.sender.send({ to: permit2, data: permit2Iface.encodeFunctionData('approve', [req.token, req.spender, MAX_UINT160, MAX_UINT48]), label: 'permit2 approve' });
    out.permit2ApproveTx = r.hash;
  }
  return out;
}
