/**
 * Simulated depositors of the devnet vault (the demo's users): every `intervalMs` one of the
 * devnet's liquidity accounts, chosen by a seeded generator, deposits 1,000–5,000 USDC or, when
 * it holds shares, redeems a third of them. A refused call (the pool away from the vault's
 * reference, say) is logged and the next step goes on.
 */
import { Contract, MaxUint256, Wallet, type JsonRpcProvider } from 'ethers';
import type { Logger } from '../../../../logging/logger.js';
import { createSeededRandom } from '../../../../math/seededRandom.js';
import { loadVaultArtifact } from '../../vault/artifacts.js';
import { loadArtifact } from '../artifacts.js';
import type { DevnetManifest } from '../manifest.js';

export function startVaultUsers(o: { manifest: DevnetManifest; provider: JsonRpcProvider; log: Logger; seed: number; intervalMs: number }): { stop(): void } {
  const v = o.manifest.vault;
  if (v === undefined) throw new Error('the devnet has no vault');
  const users = o.manifest.accounts.filter((a) => a.role === 'liquidity').map((a) => new Wallet(a.privateKey, o.provider));
  const usdc = o.manifest.contracts.tokens.USDC!;
  const approved = new Set<string>();
  const random = createSeededRandom(o.seed);
  const rand = (): number => random.next();
  let busy = false;
  const step = async (): Promise<void> => {
    const u = users[Math.floor(rand() * users.length)]!;
    if (!approved.has(u.address)) {
      const erc = new Contract(usdc.address, loadArtifact('MockERC20').abi, u);
      await ((await erc.getFunction('approve')(v.vault, MaxUint256)) as { wait(): Promise<unknown> }).wait();
      approved.add(u.address);
    }
    const vault = new Contract(v.vault, loadVaultArtifact('RangeVault').abi, u);
    const shares = (await vault.getFunction('balanceOf')(u.address)) as bigint;
    if (shares > 0n && rand() < 0.3) {
      const tx = (await vault.getFunction('redeem')(shares / 3n, u.address, u.address, { gasLimit: 1_500_000n })) as { wait(): Promise<unknown> };
      await tx.wait();
      o.log.info({ user: u.address, shares: (shares / 3n).toString() }, 'vault user redeemed');
    } else {
      const assets = BigInt(1_000 + Math.floor(rand() * 4_000)) * 10n ** BigInt(usdc.decimals);
      const tx = (await vault.getFunction('deposit')(assets, u.address, { gasLimit: 400_000n })) as { wait(): Promise<unknown> };
      await tx.wait();
      o.log.info({ user: u.address, assets: assets.toString() }, 'vault user deposited');
    }
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    step().catch((err: unknown) => o.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'vault user: call refused')).finally(() => { busy = false; });
  }, o.intervalMs);
  return { stop: () => clearInterval(timer) };
}
