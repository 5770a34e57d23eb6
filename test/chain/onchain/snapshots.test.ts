/**
 * OnChainPort's snapshot stream on the devnet: each new block gives one snapshot per pool, with
 * the pool's StateView slot0 and liquidity and the block's number and time, the block header
 * read once for all pools; a burst of blocks seen by one poll is read once, for the newest.
 */
import { JsonRpcProvider, Network, type Block, type BlockTag } from 'ethers';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { walletFor } from '../../../src/adapters/chain/devnet/wallets.js';
import { OnChainPort, type OnChainPool } from '../../../src/adapters/chain/onchain/onChainPort.js';
import { PositionManagerClient } from '../../../src/adapters/chain/positions/positionManager.js';
import { StateViewReader } from '../../../src/adapters/chain/stateView.js';
import { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { createLogger } from '../../../src/logging/logger.js';
import { useDevnet } from '../../support/devnet.js';

/** A provider that counts block header reads per block number. */
class CountingProvider extends JsonRpcProvider {
  readonly headerReads = new Map<number | string, number>();
  override async getBlock(tag: BlockTag | string, prefetchTxs?: boolean): Promise<Block | null> {
    const key = typeof tag === 'bigint' ? Number(tag) : tag;
    this.headerReads.set(key, (this.headerReads.get(key) ?? 0) + 1);
    return super.getBlock(tag, prefetchTxs);
  }
}

const devnet = useDevnet({ seed: 17 });

/** A port on the devnet's pools over a CountingProvider polling every `pollingInterval` ms. */
function portOn(manifest: ReturnType<typeof devnet>['manifest'], pollingInterval: number): { port: OnChainPort; provider: CountingProvider; pools: OnChainPool[] } {
  const network = Network.from(manifest.chainId);
  const provider = new CountingProvider(manifest.rpcUrl, network, { staticNetwork: network, pollingInterval });
  const log = createLogger({ level: 'silent' });
  const agent = manifest.accounts.find((a) => a.role === 'agent')!;
  const sender = new TxSender({ signer: walletFor(agent, provider), provider, logger: log });
  const positions = new PositionManagerClient({ positionManager: manifest.contracts.positionManager, stateView: manifest.contracts.stateView, provider, sender, logger: log });
  const pools: OnChainPool[] = manifest.pools.map((p) => ({
    desc: { poolId: p.id, asset: 'ETH', assetIsToken0: false, hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 }, fee: p.key.fee, tickSpacing: p.key.tickSpacing },
    key: p.key,
  }));
  return { port: new OnChainPort({ provider, positions, owner: agent.address, pools, fromBlock: 0, log }), provider, pools };
}

describe('OnChainPort snapshots$', () => {
  it('emits one snapshot per pool for a new block, stamped with that block, reading its header once', async () => {
    const { manifest } = devnet();
    const network = Network.from(manifest.chainId);
    const { port, provider, pools } = portOn(manifest, 50);
    expect(pools.length).toBe(2);
    try {
      await port.start();
      const start = await provider.getBlockNumber();
      const next = firstValueFrom(port.snapshots$.pipe(filter((s) => s.blockNumber > start), take(2), toArray()));
      await provider.send('evm_mine', []);
      const snaps = await next;
      const n = start + 1;
      const header = (await new JsonRpcProvider(manifest.rpcUrl, network, { staticNetwork: network }).getBlock(n))!;
      expect(snaps.map((s) => s.poolId).sort()).toEqual(manifest.pools.map((p) => p.id).sort());
      const sv = new StateViewReader(manifest.contracts.stateView, provider);
      for (const s of snaps) {
        expect(s.blockNumber).toBe(n);
        expect(s.at).toBe(header.timestamp * 1000);
        const slot0 = await sv.getSlot0(s.poolId, { blockTag: n });
        const liquidity = await sv.getLiquidity(s.poolId, { blockTag: n });
        expect({ sqrtPriceX96: s.sqrtPriceX96, tick: s.tick, liquidity: s.liquidity }).toEqual({ sqrtPriceX96: slot0.sqrtPriceX96, tick: slot0.tick, liquidity });
        expect(s.price).toBeGreaterThan(0);
      }
      expect(provider.headerReads.get(n)).toBe(1);
    } finally {
      await port.close();
      provider.destroy();
    }
  });

  it('a burst of blocks found by one poll is read once, for the newest block (not once per block)', async () => {
    const { manifest } = devnet();
    const { port, provider, pools } = portOn(manifest, 500);
    const seen: { poolId: string; blockNumber: number }[] = [];
    const sub = port.snapshots$.subscribe((s) => seen.push({ poolId: s.poolId, blockNumber: s.blockNumber }));
    try {
      await port.start();
      const start = await provider.getBlockNumber();
      // 20 blocks at once: the next poll finds them all and ethers announces each of them
      await provider.send('anvil_mine', ['0x14']);
      const newest = start + 20;
      const t0 = Date.now();
      while (!seen.some((s) => s.blockNumber === newest) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
      // one more poll interval: nothing else comes
      await new Promise((r) => setTimeout(r, 1_200));
      const after = seen.filter((s) => s.blockNumber > start);
      expect(after.map((s) => s.blockNumber)).toEqual(pools.map(() => newest));
      expect(after.map((s) => s.poolId).sort()).toEqual(pools.map((p) => p.desc.poolId).sort());
      const headers = [...provider.headerReads.keys()].filter((k) => typeof k === 'number' && k > start);
      expect(headers).toEqual([newest]);
    } finally {
      sub.unsubscribe();
      await port.close();
      provider.destroy();
    }
  });
});
