/**
 * CREATE2 salt mining for a Uniswap v4 hook, as v4-periphery's HookMiner does: PoolManager reads
 * a hook's permissions from the low 14 bits of its address, so the hook must be deployed at an
 * address whose low bits are exactly its flags.
 */
import { getCreate2Address, keccak256, toBeHex, zeroPadValue } from 'ethers';

/** Hooks.sol: the low 14 bits of a hook address are its permission flags. */
export const HOOK_FLAG_MASK = (1 << 14) - 1;
export const AFTER_ADD_LIQUIDITY_FLAG = 1 << 10;
export const AFTER_REMOVE_LIQUIDITY_FLAG = 1 << 8;
/** VaultHook's permissions: afterAddLiquidity and afterRemoveLiquidity. */
export const VAULT_HOOK_FLAGS = AFTER_ADD_LIQUIDITY_FLAG | AFTER_REMOVE_LIQUIDITY_FLAG;

/** The CREATE2 deployer (Arachnid's deterministic-deployment-proxy) anvil has by default. */
export const CREATE2_DEPLOYER = '0x4e59b44847b379578588920ca78fbf26c0b4956c';

export class HookSaltNotFoundError extends Error {
  override readonly name = 'HookSaltNotFoundError';
  constructor(readonly flags: number, readonly tries: number) {
    super(`no CREATE2 salt in ${tries} tries gives a hook address with flags 0x${flags.toString(16)}`);
  }
}

/** A salt and the address it deploys `initCode` to from `deployer`. */
export interface MinedHookAddress {
  salt: string;
  address: string;
}

/**
 * Finds the first salt (counting from `start`) whose CREATE2 address from `deployer` for
 * `initCode` (creation code + constructor arguments) carries exactly `flags` in its low 14 bits.
 * About 16k tries on average.
 */
export function mineHookSalt(deployer: string, initCode: string, flags: number, start = 0n, maxTries = 500_000): MinedHookAddress {
  if (!Number.isInteger(flags) || flags < 0 || flags > HOOK_FLAG_MASK) throw new RangeError(`hook flags out of range: ${flags}`);
  const initCodeHash = keccak256(initCode);
  for (let i = 0; i < maxTries; i++) {
    const salt = zeroPadValue(toBeHex(start + BigInt(i)), 32);
    const address = getCreate2Address(deployer, salt, initCodeHash);
    if ((Number(BigInt(address) & BigInt(HOOK_FLAG_MASK))) === flags) return { salt, address };
  }
  throw new HookSaltNotFoundError(flags, maxTries);
}
