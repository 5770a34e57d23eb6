/**
 * The vault's and hook's compiled contracts, committed in contracts/artifacts/ (built by
 * `npm run contracts:build` with the pinned solc-js; a test checks they match a fresh compile).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InterfaceAbi } from 'ethers';
import { z } from 'zod';
import { ArtifactError } from '../devnet/errors.js';

/** contracts/artifacts, from src/adapters/chain/vault or dist/adapters/chain/vault alike. */
export const VAULT_ARTIFACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'contracts', 'artifacts');

export type VaultContractName = 'RangeVault' | 'VaultHook' | 'ReentrantToken';

const hex = z.string().regex(/^0x([0-9a-fA-F]{2})+$/, 'expected non-empty 0x-prefixed hex');
const artifactSchema = z.object({
  contractName: z.string(),
  abi: z.array(z.looseObject({ type: z.string() })),
  bytecode: hex,
  deployedBytecode: hex,
});

export interface VaultArtifact {
  name: VaultContractName;
  abi: InterfaceAbi;
  bytecode: string;
  deployedBytecode: string;
}

const cache = new Map<VaultContractName, VaultArtifact>();

/** Loads and shape-checks contracts/artifacts/<name>.json. */
export function loadVaultArtifact(name: VaultContractName): VaultArtifact {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const file = join(VAULT_ARTIFACTS_DIR, `${name}.json`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ArtifactError(name, file, `cannot read (${(err as Error).message}); run \`npm run contracts:build\``);
  }
  const parsed = artifactSchema.safeParse(json);
  if (!parsed.success) throw new ArtifactError(name, file, z.prettifyError(parsed.error));
  const artifact: VaultArtifact = { name, abi: parsed.data.abi as InterfaceAbi, bytecode: parsed.data.bytecode, deployedBytecode: parsed.data.deployedBytecode };
  cache.set(name, artifact);
  return artifact;
}
