/**
 * Token approvals for PositionManager, which pulls ERC20s through Permit2: the owner approves
 * the token to Permit2 (ERC20.approve), then allows PositionManager on Permit2
 * (Permit2.approve(token, PositionManager, amount, expiration)). Both steps are skipped when
 * the existing allowance already covers the amount.
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
  /** Seconds the Permit2 allowance stays valid; default 30 days. */
  expirationSeconds?: number;
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

/**
 * Makes sure `spender` (PositionManager) can pull `amount` of `token` from the sender's
 * account through Permit2, sending at most two approvals. Native ETH (address 0) needs none.
 */
export async function ensurePermit2Allowance(req: Permit2ApprovalRequest): Promise<Permit2ApprovalResult> {
  const out: Permit2ApprovalResult = { erc20ApproveTx: null, permit2ApproveTx: null };
  if (getAddress(req.token) === ZeroAddress) return out;
  if (req.amount < 0n || req.amount > MAX_UINT160) throw new Permit2AmountError(req.amount);
  const permit2 = getAddress(req.permit2 ?? PERMIT2_ADDRESS);
  const owner = await req.sender.from();
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
  const lifetime = BigInt(req.expirationSeconds ?? 30 * 24 * 3600);
  // renew when short, or when it would expire within an hour
  if (amount < req.amount || expiration < now + 3600n) {
    let exp = now + lifetime;
    if (exp > MAX_UINT48) exp = MAX_UINT48;
    const r = await req.sender.send({ to: permit2, data: permit2Iface.encodeFunctionData('approve', [req.token, req.spender, req.amount, exp]), label: 'permit2 approve' });
    out.permit2ApproveTx = r.hash;
  }
  return out;
}
