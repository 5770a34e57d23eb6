/**
 * The agent's side of the drill, on disk: a data directory for the file store (checkpoints and
 * the key store survive every kill), the venue key stored encrypted in it, and a configuration
 * file pointing the agent at the devnet's contracts and pools and at the venue stand-in.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DevnetManifest } from '../../src/adapters/chain/devnet/manifest.js';
import { Credentials } from '../../src/adapters/keys/credentials.js';
import { KeyStore } from '../../src/adapters/keys/keyStore.js';
import { deriveMasterKey } from '../../src/adapters/keys/masterKey.js';
import { FileStore } from '../../src/adapters/store/fileStore.js';
import { TEST_API_KEY, TEST_SECRET, type VenueName } from '../../test/support/venues/venueHarness.js';

/** The key store's master key for the drill (a throwaway: the stored key is the stand-in's test key). */
export const DRILL_MASTER_KEY = '7d'.repeat(32);
/** The agent's API token in the drill (RANGEKEEPER_API_TOKEN, an admin token): its state snapshot needs one. */
export const DRILL_API_TOKEN = 'drill-api-token-3c9a';

/** One managed pool: the manifest's pool and the agent's first deposit, whole tokens. */
export interface DrillPool {
  poolId: string;
  token0: { symbol: string; decimals: number; address: string };
  token1: { symbol: string; decimals: number; address: string };
  fee: number;
  tickSpacing: number;
  assetIsToken0: boolean;
  deposit: { amount0: string; amount1: string };
}

export interface DrillSetup {
  dir: string;
  dataDir: string;
  configFile: string;
  agentId: string;
  pools: DrillPool[];
  hedgeRatio: number;
  band: number;
}

/** The manifest's first `count` pools with a deposit of `eth` WETH and `usdc` USDC each. */
export function drillPools(manifest: DevnetManifest, count: number, eth: string, usdc: string): DrillPool[] {
  return manifest.pools.slice(0, count).map((p) => {
    const t0 = manifest.contracts.tokens[p.token0]!;
    const t1 = manifest.contracts.tokens[p.token1]!;
    const assetIsToken0 = p.token0 === 'WETH';
    return {
      poolId: p.id, fee: p.key.fee, tickSpacing: p.key.tickSpacing, assetIsToken0,
      token0: { symbol: t0.symbol, decimals: t0.decimals, address: t0.address },
      token1: { symbol: t1.symbol, decimals: t1.decimals, address: t1.address },
      deposit: assetIsToken0 ? { amount0: eth, amount1: usdc } : { amount0: usdc, amount1: eth },
    };
  });
}

/** Writes the key store and the configuration under `dir`. */
export async function prepareAgent(dir: string, manifest: DevnetManifest, pools: DrillPool[], venue: VenueName, venueUrl: string): Promise<DrillSetup> {
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const store = await FileStore.open(dataDir);
  try {
    await (await KeyStore.open(store, deriveMasterKey(DRILL_MASTER_KEY))).add(venue, 'main', new Credentials(TEST_API_KEY, TEST_SECRET));
  } finally {
    await store.close();
  }
  const hedgeRatio = 0.8;
  const band = 0.05;
  const c = manifest.contracts;
  const config = {
    agentId: 'drill',
    chain: {
      kind: 'rpc', rpcUrls: [manifest.rpcUrl], chainId: manifest.chainId, poolManager: c.poolManager, positionManager: c.positionManager,
      stateView: c.stateView, permit2: c.permit2, universalRouter: c.universalRouter, privateKeyEnv: 'RANGEKEEPER_PRIVATE_KEY', fromBlock: manifest.deployedAtBlock,
    },
    pools: pools.map((p) => ({
      poolId: p.poolId, asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT', fee: p.fee, tickSpacing: p.tickSpacing, deposit: p.deposit,
      token0: p.token0, token1: p.token1,
    })),
    // a range about ±2% wide: the simulated market leaves it every few seconds to a minute
    strategy: { annualVolatility: 0.2, horizonSeconds: 86_400, riskLevel: 'moderate', feeReadMs: 5_000 },
    // limits out of the way: the drill is about kills, a risk halt would only stop the rolls it needs
    risk: { maxDrawdown: 1, maxExposure: 1, maxIL: 1, stopLoss: 1, hedgeRatio },
    hedge: { venue, band, leverage: 3, minIntervalMs: 5_000, urgentBand: 0.25 },
    // the reference (stand-in venue mark + pool TWAP) on a short TWAP with a wide agreement bound:
    // the drill's market moves fast and is about kills, not about refusing a lagging TWAP
    reference: { twapSeconds: 5, maxSpread: 0.1 },
    exchanges: [{ kind: venue, id: venue, label: 'main', sandbox: false, apiUrl: venueUrl }],
    store: { kind: 'file', dataDir },
    api: { host: '127.0.0.1', port: 0 },
    gasPollMs: 5_000,
    venueSyncMs: 2_000,
    log: { level: 'info' },
  };
  const configFile = join(dir, 'agent.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  return { dir, dataDir, configFile, agentId: config.agentId, pools, hedgeRatio, band };
}
