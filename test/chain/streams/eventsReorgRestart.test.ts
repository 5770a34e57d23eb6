/**
 * `rangekeeper events --data-dir` restarted after a reorg removed its checkpoint block (issue 8,
 * finding 9): it resumes from the newest earlier checkpoint still on the chain instead of
 * exiting 1. The real CLI against anvil; the reorg is anvil_reorg.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../../support/cli.js';
import { startV4PoolRig, type V4PoolRig } from '../support/v4Pool.js';

let rig: V4PoolRig | undefined;
let dir = '';
beforeEach(async () => {
  rig = await startV4PoolRig();
  dir = await mkdtemp(join(tmpdir(), 'rk-events-reorg-'));
});
afterEach(async () => {
  await rig?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

interface Line { kind: string; event: { type: string; blockNumber: number; blockHash: string; transactionHash: string } }

describe('rangekeeper events across a reorg of its checkpoint', () => {
  it('resumes from the common ancestor after a restart, and replays from --from-block with --reset-checkpoint', async () => {
    const { pool, anvil } = rig!;
    const data = join(dir, 'data');
    const args = ['events', '--rpc', anvil.rpcUrl, '--chain-id', '31337', '--pool-manager', pool.poolManager, '--pool', pool.poolId, '--type', 'Swap', '--confirmations', '0', '--data-dir', data];
    const cpFile = join(data, 'docs', `${encodeURIComponent(`stream/31337/${pool.poolManager.toLowerCase()}/events`)}.json`);
    const checkpoint = async (): Promise<number> => {
      try {
        return (JSON.parse(await readFile(cpFile, 'utf8')) as { value: { block: number } }).value.block;
      } catch {
        return -1;
      }
    };

    // first run: follows two swaps, one block each, checkpointing every block
    const first = spawn(process.execPath, [BIN, ...args, '--from-block', 'latest'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    first.stdout.on('data', (d: Buffer) => (out += d.toString()));
    first.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const firstExit = new Promise<number | null>((r) => first.on('exit', (c) => r(c)));
    expect(await until(async () => (await checkpoint()) >= 0, 60_000), err).toBe(true);
    await pool.swap(true);
    expect(await until(async () => (await checkpoint()) === (await pool.provider.getBlockNumber()), 30_000), err).toBe(true);
    await pool.swap(false);
    const height = await pool.provider.getBlockNumber();
    expect(await until(async () => (await checkpoint()) === height, 30_000), err).toBe(true);
    expect(out.trim().split('\n').filter((l) => l !== '')).toHaveLength(2);
    first.kill('SIGTERM');
    expect(await firstExit).toBe(0);

    // while it is stopped, a reorg replaces the checkpoint's block (the second swap) ...
    await pool.provider.send('anvil_reorg', [1, []]);
    // ... and a new swap lands after it
    await pool.swap(true);

    const second = await runCli([...args, '--max-events', '1'], { timeoutMs: 60_000 });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/^\s+at /m);
    expect(second.stderr).toMatch(/resuming from the common ancestor/);
    const lines = second.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.kind).toBe('event');
    expect(lines[0]!.event.type).toBe('Swap');
    // it is on today's chain, after the ancestor
    const block = await pool.provider.getBlock(lines[0]!.event.blockHash);
    expect(block?.hash?.toLowerCase()).toBe(lines[0]!.event.blockHash.toLowerCase());
    expect(lines[0]!.event.blockNumber).toBeGreaterThanOrEqual(height);

    // --reset-checkpoint forgets where it was and replays from --from-block: the first swap, which
    // the checkpoint is long past, is printed again (without the flag it resumes after the checkpoint)
    const firstSwapBlock = height - 1;
    const resumed = await runCli([...args, '--from-block', String(firstSwapBlock), '--max-events', '1'], { timeoutMs: 60_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const resumedBlock = (JSON.parse(resumed.stdout.trim().split('\n')[0]!) as Line).event.blockNumber;
    expect(resumedBlock).toBeGreaterThan(firstSwapBlock);
    const reset = await runCli([...args, '--from-block', String(firstSwapBlock), '--max-events', '1', '--reset-checkpoint'], { timeoutMs: 60_000 });
    expect(reset.code, reset.stderr).toBe(0);
    const replayed = JSON.parse(reset.stdout.trim().split('\n')[0]!) as Line;
    expect(replayed.event.blockNumber).toBe(firstSwapBlock);
  });
});
