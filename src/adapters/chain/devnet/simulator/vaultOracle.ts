/**
 * The devnet vault's oracle role: the vault's owner sets its reference price to the simulated
 * market's price (at most once per `minIntervalMs`, one transaction at a time). On a real chain
 * the reference comes from a price feed under a key other than the agent's.
 */
import { Contract, Wallet, type JsonRpcProvider } from 'ethers';
import type { Observable, Subscription } from 'rxjs';
import type { Logger } from '../../../../logging/logger.js';
import { loadVaultArtifact } from '../../vault/artifacts.js';
import { accountWithRole, type DevnetManifest } from '../manifest.js';
import { quotePriceToSqrtPriceX96 } from '../quotePrice.js';
import type { PricePoint } from './referencePrice.js';

export function startVaultOracle(o: { manifest: DevnetManifest; provider: JsonRpcProvider; price$: Observable<PricePoint>; log: Logger; minIntervalMs?: number }): { stop(): void } {
  const v = o.manifest.vault;
  if (v === undefined) throw new Error('the devnet has no vault');
  const owner = new Wallet(accountWithRole(o.manifest, 'deployer').privateKey, o.provider);
  const vault = new Contract(v.vault, loadVaultArtifact('RangeVault').abi, owner);
  const { WETH, USDC } = o.manifest.contracts.tokens;
  let busy = false;
  let last = 0;
  const sub: Subscription = o.price$.subscribe((p) => {
    if (busy || Date.now() - last < (o.minIntervalMs ?? 1_000)) return;
    busy = true;
    last = Date.now();
    (async () => {
      const tx = (await vault.getFunction('setReferencePrice')(quotePriceToSqrtPriceX96(p.price, WETH!, USDC!), { gasLimit: 200_000n })) as { wait(): Promise<unknown> };
      await tx.wait();
    })().catch((err: unknown) => o.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'vault oracle: reference update failed')).finally(() => { busy = false; });
  });
  return { stop: () => sub.unsubscribe() };
}
