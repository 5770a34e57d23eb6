/**
 * The vault's and hook's events through the reorg-safe follower into the ledger: every event
 * applied once across a restart (a new follower and ledger on the same store), a WebSocket drop
 * (the newHeads socket cut while deposits land) and a reorg (anvil_reorg removes deposits: the
 * ledger undoes them). The vault product on the devnet, deposits by its test users.
 */
import type { Contract, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { LedgerCheckpointStore, VaultLedger } from '../../../src/adapters/chain/vault/vaultLedger.js';
import { MemoryStore } from '../../../src/adapters/store/memoryStore.js';
import { vaultEventStream } from '../../../src/streams/vaultEvents.js';
import { wsHeads } from '../../../src/streams/wsHeads.js';
import { pollingHeads } from '../../../src/streams/pollingHeads.js';
import { send, useVaultRig, type VaultRig } from '../../contracts/support/vaultRig.js';
import { memoryLogger, waitFor } from '../support/collect.js';
import { startTcpProxy } from '../support/tcpProxy.js';

let rig: VaultRig;
const devnet = useVaultRig(21, (r) => { rig = r; });
const USDC = 10n ** 6n;

/** A ledger following the rig's vault from `fromBlock`, on `store` (its books and checkpoint). */
async function follow(store: MemoryStore, fromBlock: number, heads = pollingHeads(rig.provider, 25, memoryLogger().logger)) {
  const { logger, lines } = memoryLogger();
  const ledger = new VaultLedger(store, 'vault/books', Date.now);
  await ledger.load();
  const applied: string[] = [];
  const sub = vaultEventStream({
    provider: rig.provider, heads, checkpoints: new LedgerCheckpointStore(store, 'vault/checkpoint', ledger), fromBlock, confirmations: 0, reorgWindow: 16, logger,
    addresses: { vault: rig.deployment.vault, hook: rig.deployment.hook },
  }).subscribe((item) => { if (ledger.apply(item) !== null) applied.push(`${item.kind}:${item.key}`); });
  return { ledger, applied, lines, stop: async () => { sub.unsubscribe(); await ledger.flush(); } };
}

const deposit = (w: Wallet, usdc: bigint) => send((rig.vault.connect(w) as Contract).getFunction('deposit')(usdc * USDC, w.address));

describe('vault events, exactly once', () => {
  it('across a restart: a new follower and ledger on the same store apply only what they had not', async () => {
    const [a, b] = rig.users as [Wallet, Wallet];
    const store = new MemoryStore();
    const from = (await rig.provider.getBlockNumber()) + 1;
    const first = await follow(store, from);
    await deposit(a, 100n);
    await deposit(b, 200n);
    await waitFor(() => first.ledger.state.totals.deposits === 2, 'two deposits');
    await waitFor(async () => (await store.get<{ block: number }>('vault/checkpoint'))?.value.block === (await rig.provider.getBlockNumber()), 'the checkpoint at the head');
    await first.stop();
    await deposit(a, 300n); // while stopped
    const second = await follow(store, from);
    await waitFor(() => second.ledger.state.totals.deposits === 3, 'the deposit made while stopped');
    await deposit(b, 400n);
    await waitFor(() => second.ledger.state.totals.deposits === 4, 'a deposit after the restart');
    expect(second.ledger.state.totals.deposited).toBe((1_000n * USDC).toString());
    expect(second.applied).toHaveLength(2);
    expect(second.ledger.user(a.address)?.deposited).toBe((400n * USDC).toString());
    await second.stop();
  });

  it('across WebSocket drops: every deposit once while the newHeads socket is cut', async () => {
    const [a] = rig.users as [Wallet];
    const proxy = await startTcpProxy(Number(new URL(devnet().manifest.rpcUrl).port));
    const { logger } = memoryLogger();
    try {
      const f = await follow(new MemoryStore(), (await rig.provider.getBlockNumber()) + 1, wsHeads({ urls: [`ws://127.0.0.1:${proxy.port}`], logger, reconnectDelayMs: 20, maxReconnectDelayMs: 100 }));
      await waitFor(() => proxy.accepted() === 1, 'first connection');
      for (let round = 0; round < 3; round++) {
        await deposit(a, 10n);
        proxy.cutAll();
        await deposit(a, 10n); // while the socket is down
        await waitFor(() => proxy.accepted() === round + 2, `reconnect ${round + 1}`);
      }
      await deposit(a, 10n);
      await waitFor(() => f.ledger.state.totals.deposits === 7, 'seven deposits');
      expect(f.applied).toHaveLength(7);
      expect(f.ledger.state.totals.deposited).toBe((70n * USDC).toString());
      await f.stop();
    } finally {
      await proxy.close();
    }
  });

  it('across a reorg: deposits the reorg removed are undone, the surviving ones kept', async () => {
    const [a, b] = rig.users as [Wallet, Wallet];
    const f = await follow(new MemoryStore(), (await rig.provider.getBlockNumber()) + 1);
    await deposit(a, 100n);
    await deposit(b, 200n);
    await deposit(b, 300n);
    await waitFor(() => f.ledger.state.totals.deposits === 3, 'three deposits');
    // the last two deposits' blocks become empty blocks
    await rig.provider.send('anvil_reorg', [2, []]);
    await waitFor(() => f.ledger.state.totals.deposits === 1, 'the reorg undone');
    expect(f.ledger.state.totals.deposited).toBe((100n * USDC).toString());
    expect(f.ledger.user(b.address)?.deposited).toBe('0');
    expect(f.lines.some((l) => l.includes('follower: reorg'))).toBe(true);
    await deposit(a, 50n);
    await waitFor(() => f.ledger.state.totals.deposits === 2, 'a deposit after the reorg');
    expect(f.ledger.state.totals.deposited).toBe((150n * USDC).toString());
    await f.stop();
  });
});
