import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/loadConfig.js';

const pool = {
  asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'ETH', decimals: 18 }, token1: { symbol: 'USDC', decimals: 6 },
  fee: 3000, tickSpacing: 60, deposit: { amount0: '1', amount1: '3000' },
};

describe('config', () => {
  it('fills the spec defaults', () => {
    const c = parseConfig({ pools: [pool] });
    expect(c.risk).toMatchObject({ maxDrawdown: 0.15, maxExposure: 0.8, maxIL: 0.2, stopLoss: 0.25, hedgeRatio: 0.8 });
    expect(c.hedge).toEqual({ venue: 'paper', band: 0.05, leverage: 3, minIntervalMs: 15_000, urgentBand: 0.25, minOrderUsd: 0, margin: { minLiquidationDistance: 0.25, maxMarginRatio: 0.5, action: 'reduce' }, failoverMs: 60_000, horizonMs: 86_400_000 });
    expect(() => parseConfig({ pools: [pool], hedge: { minIntervalMs: -1 } })).toThrow(/minIntervalMs/);
    expect(c.strategy.rebalanceThreshold).toBe(0.05);
    expect(c.strategy.apyThreshold).toBe(0.1);
    expect(c.api).toMatchObject({ host: '127.0.0.1', port: 8080 });
  });

  it('gives the state feed server finite limits by default, takes overrides and refuses a headers timeout beyond the request timeout', () => {
    const { limits } = parseConfig({ pools: [pool] }).api;
    expect(limits).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnectionsPerAddress: 32, maxMessageBytes: 4096, maxBufferedBytes: 1024 * 1024, closeGraceMs: 1_000, failedAuthMax: 10 });
    for (const v of Object.values(limits)) expect(Number.isFinite(v)).toBe(true);
    expect(parseConfig({ pools: [pool], api: { port: 9000, limits: { maxFeedClients: 4 } } }).api.limits).toMatchObject({ maxFeedClients: 4, maxFeedClientsPerAddress: 8 });
    const issues = (() => { try { parseConfig({ pools: [pool], api: { limits: { headersTimeoutMs: 60_000, maxMessageBytes: 0, unknown: 1 } } }); } catch (e) { return (e as ConfigError).issues; } return []; })();
    expect(issues.map((i) => i.path).sort()).toEqual(['api.limits', 'api.limits.headersTimeoutMs', 'api.limits.maxMessageBytes']);
  });

  it('lists the path of every bad field, not only the first', () => {
    let err: unknown;
    try {
      parseConfig({
        pools: [{ ...pool, fee: -1, token1: { symbol: 'USDC', decimals: 'six' }, deposit: { amount0: 'lots', amount1: '1' } }],
        risk: { maxDrawdown: 1.5, stopLoss: -0.1 },
        hedge: { venue: 'nowhere' },
        api: { port: 70000 },
        surprise: true,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const paths = (err as ConfigError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(expect.arrayContaining([
      'pools.0.fee', 'pools.0.token1.decimals', 'pools.0.deposit.amount0', 'risk.maxDrawdown', 'risk.stopLoss', 'api.port',
    ]));
    expect(paths.some((p) => p === '(root)')).toBe(true); // the unknown key "surprise"
    expect((err as ConfigError).message).toContain('risk.maxDrawdown');
  });

  it('takes transaction settings and the venue socket switch, and refuses a dynamic-fee pool by name', () => {
    const addr = (d: string): string => `0x${d.repeat(40)}`;
    const rpc = { kind: 'rpc', rpcUrls: ['http://127.0.0.1:1'], chainId: 1, poolManager: addr('1'), positionManager: addr('2'), stateView: addr('3') };
    const rpcPool = { ...pool, poolId: `0x${'a'.repeat(64)}`, token0: { ...pool.token0, address: addr('4') }, token1: { ...pool.token1, address: addr('5') } };
    const c = parseConfig({ pools: [rpcPool], chain: rpc });
    if (c.chain.kind !== 'rpc') throw new Error('rpc expected');
    expect(c.chain.tx).toMatchObject({ maxGasPriceGwei: 100, priorityFeeGwei: 2, receiptTimeoutMs: 120_000, replaceAfterMs: 30_000, feeBumpPct: 15, maxReplacements: 3 });
    const tuned = parseConfig({ pools: [rpcPool], chain: { ...rpc, tx: { maxGasPriceGwei: 40, maxReplacements: 0 } } });
    expect(tuned.chain.kind === 'rpc' && tuned.chain.tx).toMatchObject({ maxGasPriceGwei: 40, maxReplacements: 0, priorityFeeGwei: 2 });
    const bad = (() => { try { parseConfig({ pools: [rpcPool], chain: { ...rpc, tx: { feeBumpPct: 5, gasPrice: 1 } } }); } catch (e) { return e as ConfigError; } return null; })();
    expect(bad?.issues.map((i) => i.path).sort()).toEqual(['chain.tx', 'chain.tx.feeBumpPct']); // the unknown key, the too-small bump

    const venue = { kind: 'binanceusdm', label: 'main' };
    const ex = (watch?: boolean) => parseConfig({ pools: [pool], exchanges: [watch === undefined ? venue : { ...venue, watch }], hedge: { venue: 'binanceusdm' } }).exchanges[0]!;
    expect(ex()).toMatchObject({ watch: true });
    expect(ex(false)).toMatchObject({ watch: false });

    const dyn = (() => { try { parseConfig({ pools: [{ ...pool, fee: 0x800000 }] }); } catch (e) { return e as ConfigError; } return null; })();
    expect(dyn?.issues.map((i) => i.path)).toEqual(['pools.0.fee']);
    expect(dyn?.message).toMatch(/dynamic-fee pools.*not supported/);
  });

  it('maps a non-USD quote token to its asset and perp, and says what to do with other positions', async () => {
    const btcEth = { ...pool, asset: 'BTC', hedgeSymbol: 'BTC/USDT:USDT', token0: { symbol: 'WBTC', decimals: 8 }, token1: { symbol: 'WETH', decimals: 18 }, quote: { asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT' }, otherPositions: 'merge' };
    const c = parseConfig({ pools: [btcEth] });
    const { agentSettings } = await import('../../src/config/agentSettings.js');
    const p = agentSettings(c, [`0x${'11'.repeat(32)}`]).pools[0]!;
    expect(p.pool.quote).toEqual({ asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT' });
    expect(p.nativeIsQuote).toBe(true);
    expect(p.otherPositions).toBe('merge');
    expect(parseConfig({ pools: [pool] }).pools[0]!.otherPositions).toBe('count');
    expect(() => parseConfig({ pools: [{ ...btcEth, quote: { asset: 'USDC', hedgeSymbol: 'X' } }] })).toThrow(/quote\.asset.*WETH/);
    expect(() => parseConfig({ pools: [{ ...pool, otherPositions: 'sell' }] })).toThrow(/otherPositions/);
  });

  it('checks cross-field rules: hedge venue and rpc pool ids', () => {
    const e1 = (() => { try { parseConfig({ pools: [pool], hedge: { venue: 'binance' } }); } catch (e) { return e as ConfigError; } return null; })();
    expect(e1?.issues.map((i) => i.path)).toContain('hedge.venue');
    const e2 = (() => {
      try {
        parseConfig({ pools: [pool], chain: { kind: 'rpc', rpcUrls: ['http://127.0.0.1:1'], chainId: 1, poolManager: `0x${'1'.repeat(40)}`, positionManager: `0x${'2'.repeat(40)}`, stateView: `0x${'3'.repeat(40)}` } });
      } catch (e) { return e as ConfigError; }
      return null;
    })();
    expect(e2?.issues.map((i) => i.path).sort()).toEqual(['pools.0.poolId', 'pools.0.token0.address', 'pools.0.token1.address']);
  });

  it('reads YAML and applies environment overrides', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rk-config-'));
    const file = join(dir, 'rangekeeper.yaml');
    await writeFile(file, ['agentId: desk1', 'pools:', '  - asset: ETH', '    hedgeSymbol: ETH/USDT:USDT', '    token0: { symbol: ETH, decimals: 18 }',
      '    token1: { symbol: USDC, decimals: 6 }', '    fee: 500', '    tickSpacing: 10', '    deposit: { amount0: "2", amount1: "6000" }', 'risk:', '  maxDrawdown: 0.1'].join('\n'));
    const c = await loadConfig(file, { RANGEKEEPER_API_PORT: '9090', REDIS_URL: 'redis://127.0.0.1:6379', LOG_LEVEL: 'debug' });
    expect(c.agentId).toBe('desk1');
    expect(c.risk.maxDrawdown).toBe(0.1);
    expect(c.api.port).toBe(9090);
    expect(c.store).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379' });
    expect(c.log.level).toBe('debug');
    await writeFile(file, 'pools: [\n');
    await expect(loadConfig(file, {})).rejects.toThrow(/not valid YAML/);
  });
});
