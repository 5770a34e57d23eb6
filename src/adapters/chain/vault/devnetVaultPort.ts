/**
 * The vault's chain port on a devnet that deployed the vault (`startDevnet({ vault: true })`):
 * the devnet chain's port with the vault's pool managed through RangeVault, sent with the
 * agent's key (the vault's strategy manager).
 */
import type { PoolDescriptor } from '../../../actors/ports.js';
import type { Logger } from '../../../logging/logger.js';
import type { DevnetManifest, ManifestVault } from '../devnet/manifest.js';
import type { DevnetChain } from '../onchain/devnetChain.js';
import { VaultChainPort } from './vaultChainPort.js';

export interface DevnetVaultPort {
  port: VaultChainPort;
  vault: ManifestVault;
  pool: PoolDescriptor;
}

/**
 * The manifest with the vault's pool listed among its pools (the devnet keeps it apart): for the
 * chain port (snapshots of it) and the market simulator (arbitrage keeps it on the reference).
 */
export function withVaultPool(manifest: DevnetManifest): DevnetManifest {
  const v = manifest.vault;
  if (v === undefined || manifest.pools.some((p) => p.id === v.pool.id)) return manifest;
  return { ...manifest, pools: [...manifest.pools, v.pool] };
}

export function devnetVaultPort(manifest: DevnetManifest, chain: DevnetChain, log: Logger): DevnetVaultPort {
  const vault = manifest.vault;
  if (vault === undefined) throw new Error('the devnet has no vault: start it with { vault: true } (rangekeeper devnet --vault)');
  const pool = chain.pools.find((p) => p.poolId.toLowerCase() === vault.pool.id.toLowerCase());
  if (pool === undefined) throw new Error(`the devnet chain does not list the vault's pool ${vault.pool.id}`);
  const tokens = manifest.contracts.tokens;
  const port = new VaultChainPort({
    inner: chain.port, provider: chain.provider, sender: chain.sender, addresses: { vault: vault.vault, hook: vault.hook }, poolId: pool.poolId,
    token0: tokens[vault.pool.token0]!.address, token1: tokens[vault.pool.token1]!.address, quoteIsCurrency0: vault.quoteIsCurrency0,
    tickSpacing: pool.tickSpacing, positionManager: manifest.contracts.positionManager, log,
  });
  return { port, vault, pool };
}
