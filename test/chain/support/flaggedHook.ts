/**
 * v4-core's test hooks (node_modules/@uniswap/v4-core/out/*TestHook*.json) placed on an anvil at
 * an address whose low 14 bits are exactly the hook's permission flags, as PoolManager requires
 * (Hooks.sol: the address is the permission set). The hook is deployed normally first and its
 * runtime code copied to the flagged address with anvil_setCode, so immutables (if a hook had any)
 * come along; storage is NOT copied: initialize it through the hook's own setters at the new address.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Contract, ContractFactory, getAddress, type InterfaceAbi, type JsonRpcProvider, type Signer } from 'ethers';
import { z } from 'zod';
import { waitForReceipt } from '../../../src/adapters/chain/devnet/setupTx.js';

/** Hooks.sol permission flags (the low 14 bits of a hook's address). */
export const HOOK_FLAGS = {
  BEFORE_INITIALIZE: 1 << 13,
  AFTER_INITIALIZE: 1 << 12,
  BEFORE_ADD_LIQUIDITY: 1 << 11,
  AFTER_ADD_LIQUIDITY: 1 << 10,
  BEFORE_REMOVE_LIQUIDITY: 1 << 9,
  AFTER_REMOVE_LIQUIDITY: 1 << 8,
  BEFORE_SWAP: 1 << 7,
  AFTER_SWAP: 1 << 6,
  BEFORE_DONATE: 1 << 5,
  AFTER_DONATE: 1 << 4,
  BEFORE_SWAP_RETURNS_DELTA: 1 << 3,
  AFTER_SWAP_RETURNS_DELTA: 1 << 2,
  AFTER_ADD_LIQUIDITY_RETURNS_DELTA: 1 << 1,
  AFTER_REMOVE_LIQUIDITY_RETURNS_DELTA: 1 << 0,
} as const;

/** Hooks.ALL_HOOK_MASK. */
export const ALL_HOOK_MASK = (1 << 14) - 1;

const hex = z.string().regex(/^0x([0-9a-fA-F]{2})+$/);
const hookArtifactSchema = z.object({
  abi: z.array(z.looseObject({ type: z.string() })),
  bytecode: z.object({ object: hex, linkReferences: z.record(z.string(), z.unknown()).optional() }),
  deployedBytecode: z.object({ object: hex }),
});

/** A v4-core test contract's ABI, creation code and runtime code. */
export interface HookArtifact {
  name: string;
  abi: InterfaceAbi;
  bytecode: string;
  deployedBytecode: string;
}

const require = createRequire(import.meta.url);

/** Loads out/<name>.sol/<name>.json from @uniswap/v4-core (a test contract the devnet does not deploy). */
export function loadV4CoreTestArtifact(name: string): HookArtifact {
  const file = join(dirname(require.resolve('@uniswap/v4-core/package.json')), 'out', `${name}.sol`, `${name}.json`);
  const parsed = hookArtifactSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (Object.keys(parsed.bytecode.linkReferences ?? {}).length > 0) throw new Error(`${name} needs library linking`);
  return { name, abi: parsed.abi as InterfaceAbi, bytecode: parsed.bytecode.object, deployedBytecode: parsed.deployedBytecode.object };
}

/** An address whose low 14 bits are `flags` and whose higher bits are `tag` (so several hooks can coexist). */
export function flaggedHookAddress(flags: number, tag: bigint): string {
  if (flags < 0 || flags > ALL_HOOK_MASK || !Number.isInteger(flags)) throw new Error(`hook flags out of range: ${flags}`);
  if (tag <= 0n || tag >= 1n << 146n) throw new Error('tag must be a positive 146-bit number');
  return getAddress(`0x${((tag << 14n) | BigInt(flags)).toString(16).padStart(40, '0')}`);
}

/** A hook placed at a flagged address. */
export interface PlacedHook {
  address: string;
  /** The hook at its flagged address, connected to the deployer. */
  contract: Contract;
  /** The runtime code found at the flagged address (equals the artifact's deployedBytecode unless the hook has immutables). */
  code: string;
}

/**
 * Deploys `artifact` (no constructor arguments) from `deployer`, then copies its runtime code to
 * flaggedHookAddress(flags, tag). Returns the contract at the flagged address.
 */
export async function placeHook(provider: JsonRpcProvider, deployer: Signer, artifact: HookArtifact, flags: number, tag: bigint): Promise<PlacedHook> {
  const deployed = await new ContractFactory(artifact.abi, artifact.bytecode, deployer).deploy();
  const tx = deployed.deploymentTransaction();
  if (tx === null) throw new Error(`${artifact.name}: no deployment transaction`);
  const receipt = await waitForReceipt(provider, tx.hash); // not tx.wait(): see ./mined.ts
  if (receipt.status !== 1) throw new Error(`${artifact.name}: deployment reverted`);
  const runtime = await provider.getCode(await deployed.getAddress());
  const address = flaggedHookAddress(flags, tag);
  await provider.send('anvil_setCode', [address, runtime]);
  const code = await provider.getCode(address);
  if (code !== runtime) throw new Error(`${artifact.name}: anvil_setCode did not place the code at ${address}`);
  return { address, contract: new Contract(address, artifact.abi, deployer), code };
}
