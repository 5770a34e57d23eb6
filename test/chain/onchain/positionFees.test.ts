/**
 * OnChainPort.positionFees on the devnet: what a collect then pays, for the range the caller
 * names or (when the caller's range is not the chain's) for the chain's; a burned position is
 * PositionNotFoundError.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DevnetManifest, ManifestPool } from '../../../src/adapters/chain/devnet/manifest.js';
import { walletFor } from '../../../src/adapters/chain/devnet/wallets.js';
import { OnChainPort } from '../../../src/adapters/chain/onchain/onChainPort.js';
import { PositionManagerClient, PositionNotFoundError } from '../../../src/adapters/chain/positions/positionManager.js';
import { PoolSwapTestSwap } from '../../../src/adapters/chain/swap/poolSwapTestSwap.js';
import { TxSender } from '../../../src/adapters/chain/tx/sender.js';
import { createLogger } from '../../../src/logging/logger.js';
import { useDevnet } from '../../support/devnet.js';

const USDC = 10n ** 6n;
const WETH = 10n ** 18n;

const devnet = useDevnet({ seed: 13 });
let manifest: DevnetManifest;
let pool: ManifestPool;

beforeAll(() => {
  ({ manifest } = devnet());
  pool = manifest.pools[0]!; // WETH/USDC fee 500 / spacing 10; USDC is token0
});

describe('OnChainPort.positionFees', () => {
  it('reads what a collect pays, for the chain\'s range whatever range the caller names; rejects a burned position', async () => {
    const { provider } = devnet();
    const log = createLogger({ level: 'silent' });
    const agent = manifest.accounts.find((a) => a.role === 'agent')!;
    const arb = manifest.accounts.find((a) => a.role === 'arbitrageur')!;
    const sender = new TxSender({ signer: walletFor(agent, provider), provider, logger: log, config: { receiptPollMs: 20 } });
    const positions = new PositionManagerClient({ positionManager: manifest.contracts.positionManager, stateView: manifest.contracts.stateView, provider, sender, logger: log });
    const desc = { poolId: pool.id, asset: 'ETH', assetIsToken0: false, hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'USDC', decimals: 6 }, token1: { symbol: 'WETH', decimals: 18 }, fee: pool.key.fee, tickSpacing: pool.key.tickSpacing };
    const port = new OnChainPort({ provider, positions, owner: agent.address, pools: [{ desc, key: pool.key }], fromBlock: 0, log });
    const mover = new PoolSwapTestSwap({ address: manifest.contracts.poolSwapTest, provider, sender: new TxSender({ signer: walletFor(arb, provider), provider, logger: log, config: { receiptPollMs: 20 } }), log });

    const spacing = pool.key.tickSpacing;
    const centre = Math.floor((await port.poolSnapshot(pool.id)).tick / spacing) * spacing;
    const { position } = await port.mint({ poolId: pool.id, tickLower: centre - 20 * spacing, tickUpper: centre + 20 * spacing, amount0Max: 30_000n * USDC, amount1Max: 10n * WETH });
    // trade through the range both ways: the position earns fees in both tokens
    await mover.swapExactIn({ poolKey: pool.key, zeroForOne: false, amountIn: 5n * WETH, amountOutMinimum: 0n, label: 'up' });
    await mover.swapExactIn({ poolKey: pool.key, zeroForOne: true, amountIn: 15_000n * USDC, amountOutMinimum: 0n, label: 'down' });

    const fees = await port.positionFees(position);
    expect(fees.fees0).toBeGreaterThan(0n);
    expect(fees.fees1).toBeGreaterThan(0n);
    // a caller whose range is not the chain's still gets the chain's position's fees
    expect(await port.positionFees({ ...position, tickLower: position.tickLower - spacing })).toEqual(fees);
    expect(await port.positionFees({ ...position, poolId: manifest.pools[1]!.id })).toEqual(fees);
    // exactly what collecting pays
    const collected = await positions.collect({ tokenId: BigInt(position.tokenId) });
    expect({ fees0: collected.flows.received0, fees1: collected.flows.received1 }).toEqual(fees);
    expect(await port.positionFees(position)).toEqual({ fees0: 0n, fees1: 0n });

    await port.withdraw(position);
    await expect(port.positionFees(position)).rejects.toBeInstanceOf(PositionNotFoundError);
  });
});
