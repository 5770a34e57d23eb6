import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeManifest } from '../../../src/adapters/chain/devnet/manifest.js';
import { runEvents } from '../../../src/cli/events.js';
import { CliUsageError } from '../../../src/cli/usageError.js';
import { useDevnet } from '../../support/devnet.js';

const devnet = useDevnet();

describe('rangekeeper events', () => {
  it('prints the devnet pools\' Initialize events as JSON lines and stops after --max-events', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-events-'));
    try {
      const file = join(dir, 'manifest.json');
      await writeManifest(file, devnet().manifest);
      const args = ['--manifest', file, '--from-block', '0', '--confirmations', '0', '--data-dir', join(dir, 'data')];
      const lines: string[] = [];
      const code = await runEvents([...args, '--type', 'initialize', '--max-events', '2'], (l) => lines.push(l), new AbortController().signal);
      expect(code).toBe(0);
      const items = lines.map((l) => JSON.parse(l) as { kind: string; event: { type: string; poolId: string; sqrtPriceX96: string } });
      expect(items.map((i) => [i.kind, i.event.type])).toEqual([['event', 'Initialize'], ['event', 'Initialize']]);
      expect(items.map((i) => i.event.poolId).sort()).toEqual(devnet().manifest.pools.map((p) => p.id.toLowerCase()).sort());
      expect(BigInt(items[0]!.event.sqrtPriceX96) > 0n).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with a clear message on a wrong chain id, and 2-style usage errors on bad flags', async () => {
    const m = devnet().manifest;
    const code = await runEvents(['--rpc', m.rpcUrl, '--chain-id', '1', '--pool-manager', m.contracts.poolManager], () => {}, new AbortController().signal);
    expect(code).toBe(1);
    await expect(runEvents(['--type', 'Burn'], () => {}, new AbortController().signal)).rejects.toThrow(CliUsageError);
    await expect(runEvents(['--rpc', m.rpcUrl], () => {}, new AbortController().signal)).rejects.toThrow(/chain-id/);
  });
});
