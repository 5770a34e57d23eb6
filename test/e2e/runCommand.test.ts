import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/run.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('rangekeeper run --config', () => {
  it('an invalid config stops start-up listing every bad field (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-run-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, [
      'pools:',
      '  - asset: ETH',
      '    hedgeSymbol: ETH/USDT:USDT',
      '    token0: { symbol: ETH, decimals: 18 }',
      '    token1: { symbol: USDC, decimals: 6 }',
      '    fee: 3000',
      '    tickSpacing: 0',
      '    deposit: { amount0: "1", amount1: "-5" }',
      'risk: { maxDrawdown: 2, hedgeRatio: -1 }',
      'hedge: { venue: nowhere }',
    ].join('\n'));
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
    });
    expect(await run(['--config', file])).toBe(2);
    const text = errors.join('\n');
    for (const path of ['pools.0.tickSpacing', 'pools.0.deposit.amount1', 'risk.maxDrawdown', 'risk.hedgeRatio', 'hedge.venue']) {
      expect(text).toContain(path);
    }
  });

  it('--check accepts a valid config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-run-'));
    const file = join(dir, 'ok.json');
    await writeFile(file, JSON.stringify({
      pools: [{ asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'ETH', decimals: 18 }, token1: { symbol: 'USDC', decimals: 6 }, fee: 500, tickSpacing: 10, deposit: { amount0: '1', amount1: '3000' } }],
    }));
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      out.push(args.map(String).join(' '));
    });
    expect(await run(['--config', file, '--check'])).toBe(0);
    expect(out.join('\n')).toMatch(/is valid \(1 pool\(s\), chain simulated, hedge venue paper\)/);
  });
});
