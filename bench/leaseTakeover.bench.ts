/**
 * High availability: how long after kill -9 of the active `rangekeeper run` the standby (same
 * config, Redis store, simulated chain, paper venue) holds the lease and has reconciled and
 * started deciding ("agent started"), next to the lease ttl (the floor of any takeover: the
 * killed holder's lease must run out first). One takeover; the devnet version, with duplicates
 * counted, is `npm run drill:failover`. Needs Redis (REDIS_URL or 127.0.0.1:6379).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { AgentProcess } from '../scripts/drills/agentProcess.js';
import { LOG } from '../scripts/drills/agentLog.js';
import { result, type BenchResult } from './harness.js';
import type { Suite } from './suites.js';

const TTL_MS = 5_000;

export const leaseTakeoverSuite: Suite = {
  name: 'lease takeover',
  async run(emit) {
    const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
    const ns = `bench:ha:${process.pid}:${Date.now().toString(36)}`;
    const dir = await mkdtemp(join(tmpdir(), 'rk-bench-ha-'));
    const cfg = join(dir, 'agent.json');
    await writeFile(cfg, JSON.stringify({
      agentId: 'bench-ha', chain: { kind: 'simulated' },
      pools: [{ asset: 'ETH', hedgeSymbol: 'ETH/USDT:USDT', token0: { symbol: 'WETH', decimals: 18 }, token1: { symbol: 'USDC', decimals: 6 }, fee: 500, tickSpacing: 10, deposit: { amount0: '2', amount1: '6000' } }],
      store: { kind: 'redis', url: redisUrl, namespace: ns }, api: { host: '127.0.0.1', port: 0 },
      ha: { leaseTtlMs: TTL_MS, standbyPollMs: 250 }, history: { enabled: false }, log: { level: 'info' },
    }));
    const agents: AgentProcess[] = [];
    try {
      const a = AgentProcess.start(cfg, '0x' + '1'.repeat(64), { name: 'active' });
      agents.push(a);
      await a.running(120_000);
      const b = AgentProcess.start(cfg, '0x' + '1'.repeat(64), { name: 'standby' });
      agents.push(b);
      await b.standby(120_000);
      const leased = b.logged('lease acquired', 60_000);
      const deciding = b.logged(LOG.agentStarted, 120_000);
      const killedAt = Date.now();
      await a.kill();
      const leaseMs = (await leased) - killedAt;
      const decidingMs = (await deciding) - killedAt;
      const out: BenchResult[] = [
        result('lease takeover: kill -9 → standby holds the lease (ref: lease ttl)', leaseMs, TTL_MS, 'ms', 'simulated chain, one takeover'),
        result('lease takeover: kill -9 → standby deciding (ref: lease ttl)', decidingMs, TTL_MS, 'ms', 'after reconciliation'),
      ];
      for (const r of out) emit(r);
      return out;
    } finally {
      for (const ag of agents) if (ag.child.running) await ag.child.stop('SIGTERM', 10_000);
      const r = new Redis(redisUrl);
      const keys = await r.keys(`${ns}:*`);
      if (keys.length > 0) await r.del(...keys);
      await r.quit();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
