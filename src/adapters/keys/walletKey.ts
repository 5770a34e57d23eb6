/**
 * The wallet's private key, read from the environment variable the configuration names. A
 * malformed key is refused with an error that names the variable and what is wrong with the
 * shape (length, characters), never any part of the value: ethers' own errors echo the input.
 */
import { SigningKey, Wallet, type Provider } from 'ethers';

/** The wallet key in `envName` is missing or not a secp256k1 private key. Carries no part of the key. */
export class WalletKeyError extends Error {
  override readonly name = 'WalletKeyError';
  constructor(readonly envName: string, reason: string) {
    super(`the wallet key in ${envName} ${reason}`);
  }
}

/** secp256k1's group order: a private key is in [1, n). */
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** What is wrong with the shape of `raw`, without quoting it; null when it is a valid key. */
function problemOf(raw: string): string | null {
  const hex = raw.startsWith('0x') || raw.startsWith('0X') ? raw.slice(2) : raw;
  if (!/^[0-9a-fA-F]*$/.test(hex)) return 'is not a private key: it has characters other than hex digits (expected 64 hex digits, optionally 0x-prefixed)';
  if (hex.length !== 64) return `is not a private key: it has ${hex.length} hex digits, expected 64 (optionally 0x-prefixed)`;
  const n = BigInt(`0x${hex}`);
  if (n === 0n || n >= CURVE_ORDER) return 'is not a private key: it is outside the secp256k1 key range';
  return null;
}

/** The signer for the key in `env[envName]`; throws WalletKeyError (no secret in it) when missing or malformed. */
export function walletFromEnv(env: NodeJS.ProcessEnv, envName: string, provider: Provider | null): Wallet {
  const raw = env[envName]?.trim() ?? '';
  if (raw === '') throw new WalletKeyError(envName, 'is not set: set the wallet\'s private key in it');
  const problem = problemOf(raw);
  if (problem !== null) throw new WalletKeyError(envName, problem);
  try {
    return new Wallet(new SigningKey(raw.startsWith('0x') ? raw : `0x${raw}`), provider);
  } catch {
    // ethers quotes the input in its errors: say only which variable
    throw new WalletKeyError(envName, 'was refused by the signer');
  }
}
