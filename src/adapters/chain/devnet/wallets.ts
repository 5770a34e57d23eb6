/** Signers for devnet accounts. */
import { NonceManager, Wallet, type JsonRpcProvider } from 'ethers';
import type { ManifestAccount } from './manifest.js';

/**
 * A signer for `account` that hands out nonces locally, so several transactions can be in flight
 * (one NonceManager per account and provider: do not mix with another signer for the same key).
 */
export function walletFor(account: ManifestAccount, provider: JsonRpcProvider): NonceManager {
  return new NonceManager(new Wallet(account.privateKey, provider));
}
