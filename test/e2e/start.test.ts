import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import type { StateEvent } from '../../src/actors/core/stateFeed.js';
import { DEMO_CONFIG, runSimulated, type RunningAgent } from '../../src/cli/start.js';

let running: RunningAgent | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('npm start (simulated market, paper venue)', () => {
  it('shows a roll and a hedge on the WebSocket feed, then stops cleanly', async () => {
    const cfg = parseConfig({ ...DEMO_CONFIG, api: { host: '127.0.0.1', port: 0 }, log: { level: 'fatal' } });
    running = await runSimulated(cfg, { seed: 7, tickMs: 20, startPrice: 3000, demoToken: true });
    expect(running.adminToken).toMatch(/^rk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const ws = new WebSocket(running.wsUrl, { headers: { authorization: `Bearer ${running.adminToken!}` } });
    const seen = await new Promise<{ roll: StateEvent; hedge: StateEvent }>((resolve, reject) => {
      let roll: StateEvent | undefined;
      let hedge: StateEvent | undefined;
      ws.on('message', (data: Buffer) => {
        const e = JSON.parse(data.toString('utf8')) as StateEvent;
        if (e.kind === 'position' && (e.state['rolls'] as number) >= 1) roll = e;
        const eth = (e.state['assets'] as Record<string, { current: number; target: number }> | undefined)?.['ETH'];
        if (e.kind === 'hedge' && eth !== undefined && eth.current < 0) hedge = e;
        if (roll !== undefined && hedge !== undefined) resolve({ roll, hedge });
      });
      ws.on('error', reject);
    });
    ws.close();
    expect(seen.roll.state['poolId']).toBe(cfg.pools[0]!.poolId);
    const eth = (seen.hedge.state['assets'] as Record<string, { current: number; target: number }>)['ETH']!;
    expect(eth.target).toBeLessThan(0);
    const risk = await running.agent.risk();
    expect(risk.status).toBe('running');
    await running.stop();
    running = undefined;
  });

  it('serves the halt route to RANGEKEEPER_API_TOKEN from the environment (the legacy admin token)', async () => {
    const saved = process.env['RANGEKEEPER_API_TOKEN'];
    process.env['RANGEKEEPER_API_TOKEN'] = 'start-test-token';
    try {
      const cfg = parseConfig({ ...DEMO_CONFIG, api: { host: '127.0.0.1', port: 0 }, log: { level: 'fatal' } });
      running = await runSimulated(cfg, { seed: 7, tickMs: 20, startPrice: 3000 });
    } finally {
      if (saved === undefined) delete process.env['RANGEKEEPER_API_TOKEN'];
      else process.env['RANGEKEEPER_API_TOKEN'] = saved;
    }
    const halt = (token: string): Promise<Response> =>
      fetch(`${running!.httpUrl}/api/v1/risk/halt`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ reason: 'operator test' }) });
    expect((await halt('wrong-token')).status).toBe(401);
    expect((await running.agent.risk()).status).toBe('running');
    expect((await halt('start-test-token')).status).toBe(200);
    expect((await running.agent.risk()).status).toBe('halted');
  });

  it('releases what it opened (the store lock) when the state feed cannot listen', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const dataDir = await mkdtemp(join(tmpdir(), 'rk-start-'));
    try {
      const cfg = parseConfig({ ...DEMO_CONFIG, api: { host: '127.0.0.1', port }, store: { kind: 'file', dataDir }, log: { level: 'fatal' } });
      await expect(runSimulated(cfg, { seed: 7, tickMs: 20, startPrice: 3000 })).rejects.toThrow(/EADDRINUSE|address already in use/);
      expect(existsSync(join(dataDir, '.lock'))).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
