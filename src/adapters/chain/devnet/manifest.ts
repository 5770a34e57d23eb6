/**
 * The deployment manifest: everything a client needs to use a running devnet (RPC URLs,
 * contract addresses, pools, funded accounts). Written by `rangekeeper devnet`, read by the
 * agent, the tests and the dashboard; validated with zod when read.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte address');
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 0x-prefixed 32-byte hex value');

export const tokenInfoSchema = z.object({
  address,
  symbol: z.string().min(1),
  decimals: z.number().int().min(0).max(255),
});
export type TokenInfo = z.infer<typeof tokenInfoSchema>;

export const poolKeySchema = z.object({
  currency0: address,
  currency1: address,
  fee: z.number().int().min(0).max(0xffffff),
  tickSpacing: z.number().int().min(1).max(32767),
  hooks: address,
});
export type PoolKeyJson = z.infer<typeof poolKeySchema>;

export const manifestPoolSchema = z.object({
  /** keccak256(abi.encode(PoolKey)). */
  id: bytes32,
  key: poolKeySchema,
  /** Symbol of currency0 and currency1 (keys of contracts.tokens). */
  token0: z.string(),
  token1: z.string(),
});
export type ManifestPool = z.infer<typeof manifestPoolSchema>;

export const accountRoleSchema = z.enum(['deployer', 'agent', 'liquidity', 'arbitrageur', 'noise']);
export type AccountRole = z.infer<typeof accountRoleSchema>;

export const manifestAccountSchema = z.object({
  address,
  /** anvil's well-known development keys: never use them on a real chain. */
  privateKey: bytes32,
  role: accountRoleSchema,
});
export type ManifestAccount = z.infer<typeof manifestAccountSchema>;

/** The vault product, when the devnet deployed it (startDevnet's `vault` option). */
export const manifestVaultSchema = z.object({
  /** RangeVault (VAULT_CONTRACT_ADDRESS). */
  vault: address,
  /** VaultHook (HOOK_CONTRACT_ADDRESS). */
  hook: address,
  /** The strategy manager (STRATEGY_MANAGER_ADDRESS): the agent account. */
  manager: address,
  /** The vault's pool, whose key carries the hook. */
  pool: manifestPoolSchema,
  quoteIsCurrency0: z.boolean(),
});
export type ManifestVault = z.infer<typeof manifestVaultSchema>;

export const devnetManifestSchema = z.object({
  chainId: z.number().int().positive(),
  rpcUrl: z.url(),
  wsUrl: z.string().regex(/^wss?:\/\//, 'expected a ws:// or wss:// URL'),
  contracts: z.object({
    poolManager: address,
    positionManager: address,
    stateView: address,
    permit2: address,
    quoter: address,
    poolSwapTest: address,
    poolModifyLiquidityTest: address,
    /** The native wrapper PositionManager was built with (solmate WETH), distinct from tokens.WETH. */
    weth9: address,
    tokens: z.object({ WETH: tokenInfoSchema, USDC: tokenInfoSchema }).catchall(tokenInfoSchema),
    /** Uniswap's Universal Router (v4 swaps through Permit2); absent in manifests written before it was deployed. */
    universalRouter: address.optional(),
  }),
  pools: z.array(manifestPoolSchema),
  accounts: z.array(manifestAccountSchema),
  /** Block number at which the deployment finished (streams can backfill from here). */
  deployedAtBlock: z.number().int().nonnegative(),
  /** Process id of the devnet's anvil (to check it is gone after stop). */
  anvilPid: z.number().int().positive().optional(),
  vault: manifestVaultSchema.optional(),
});
export type DevnetManifest = z.infer<typeof devnetManifestSchema>;

/** Validates an untrusted value as a manifest; throws a ZodError naming each bad field. */
export function parseManifest(value: unknown): DevnetManifest {
  return devnetManifestSchema.parse(value);
}

/** Reads and validates a manifest file. */
export async function readManifest(file: string): Promise<DevnetManifest> {
  return parseManifest(JSON.parse(await readFile(file, 'utf8')));
}

/** Writes a manifest as pretty JSON, creating the directory. */
export async function writeManifest(file: string, manifest: DevnetManifest): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** The first account with `role`, or throws. */
export function accountWithRole(manifest: DevnetManifest, role: AccountRole): ManifestAccount {
  const found = manifest.accounts.find((a) => a.role === role);
  if (found === undefined) throw new Error(`devnet manifest has no account with role "${role}"`);
  return found;
}
