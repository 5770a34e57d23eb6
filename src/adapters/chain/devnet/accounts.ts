/**
 * anvil's funded development accounts (its default mnemonic) and the role each plays on the
 * devnet. These keys are public knowledge: they must never hold value on a real chain.
 */
import { HDNodeWallet } from 'ethers';
import type { AccountRole, ManifestAccount } from './manifest.js';

/** anvil's default mnemonic. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

/** Roles by account index; anvil is started with this many accounts. */
export const ACCOUNT_ROLES: readonly AccountRole[] = [
  'deployer', // 0: deploys and owns PoolManager
  'agent', // 1: the account rangekeeper itself trades with (funded, no approvals given)
  'liquidity', 'liquidity', 'liquidity', 'liquidity', // 2-5: background LPs
  'arbitrageur', // 6: keeps pools at the reference price
  'noise', 'noise', 'noise', // 7-9: random small swaps
];

/** The first `count` anvil dev accounts with their roles (ACCOUNT_ROLES order). */
export function devAccounts(count: number = ACCOUNT_ROLES.length): ManifestAccount[] {
  const root = HDNodeWallet.fromPhrase(ANVIL_MNEMONIC, undefined, "m/44'/60'/0'/0");
  const out: ManifestAccount[] = [];
  for (let i = 0; i < count; i++) {
    const w = root.deriveChild(i);
    out.push({ address: w.address, privateKey: w.privateKey, role: ACCOUNT_ROLES[i] ?? 'noise' });
  }
  return out;
}
