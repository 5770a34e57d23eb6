/**
 * A process that opened a ccxt venue, received a fill and a mark price through its sockets and
 * closed it exits on its own: no timer or socket is left behind (ccxt.pro's Binance client schedules a 20-minute
 * listenKey renewal with a bare setTimeout; the venue leashes it). The child gets 20 s; a
 * leftover handle keeps it alive and the test kills it and fails.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStandIn, type VenueName } from '../../support/venues/venueHarness.js';

const CHILD = join(import.meta.dirname, '../../support/venues/socketVenueChild.ts');
const EXIT_WITHIN_MS = 20_000;

describe.each<VenueName>(['binanceusdm', 'bybit'])('%s venue with a fill socket', (name) => {
  it('lets the process exit on its own after close()', async () => {
    const server = await startStandIn(name);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, name, server.baseUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MS);
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      clearTimeout(killer);
      expect({ exit, out }).toMatchObject({ exit: { code: 0, signal: null } });
      expect(out).toContain('"fill":"rk-child-1","mark":3000');
      // The fill came through the socket: the child placed its order after the catch-up, and nothing polled after it.
      expect(server.socketsAccepted).toBe(2);
      expect(server.count(name === 'binanceusdm' ? 'GET /fapi/v1/userTrades' : 'GET /v5/execution/list')).toBe(2);
    } finally {
      await server.stop();
    }
  }, 40_000);
});
