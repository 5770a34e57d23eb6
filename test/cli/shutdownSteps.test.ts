import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { ShutdownSteps } from '../../src/cli/shutdownSteps.js';

function capture(): { log: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  let text = '';
  const destination = new Writable({ write(chunk: Buffer, _enc, cb) { text += chunk.toString('utf8'); cb(); } });
  return { log: createLogger({ destination }), lines: () => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('ShutdownSteps', () => {
  it('undoes last-first, the pushLast steps after all the others', async () => {
    const { log } = capture();
    const steps = new ShutdownSteps(log);
    const ran: string[] = [];
    steps.push('chain', () => void ran.push('chain'));
    steps.push('agent', () => void ran.push('agent'));
    steps.pushLast('state server', () => void ran.push('state server'));
    steps.push('market', async () => void ran.push('market'));
    expect(await steps.unwind()).toEqual({ failed: [], timedOut: [] });
    expect(ran).toEqual(['market', 'agent', 'chain', 'state server']);
    await steps.unwind();
    expect(ran).toHaveLength(4);
  });

  it('reports a failing step and runs the rest', async () => {
    const { log, lines } = capture();
    const steps = new ShutdownSteps(log);
    const ran: string[] = [];
    steps.push('store', () => void ran.push('store'));
    steps.push('venues', () => { throw new Error('socket already closed'); });
    expect(await steps.unwind()).toEqual({ failed: ['venues'], timedOut: [] });
    expect(ran).toEqual(['store']);
    expect(lines().some((l) => l['msg'] === 'shutdown step failed' && l['step'] === 'venues')).toBe(true);
  });

  it('leaves a step still running at the deadline behind, and still runs the later ones', async () => {
    const { log, lines } = capture();
    const steps = new ShutdownSteps(log);
    const ran: string[] = [];
    steps.pushLast('state server', () => new Promise<void>(() => undefined)); // a client that never reads
    steps.push('anvil', () => void ran.push('anvil'));
    steps.push('agent', () => new Promise<void>(() => undefined)); // a peer that never answers
    const t0 = Date.now();
    const report = await steps.unwind(300);
    const ms = Date.now() - t0;
    expect(report).toEqual({ failed: [], timedOut: ['agent', 'state server'] });
    expect(ran).toEqual(['anvil']);
    // the deadline, then the short grace the late state server still gets
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(300 + 500 + 800);
    expect(lines().filter((l) => l['msg'] === 'shutdown step still running at the deadline; going on without it').map((l) => l['step'])).toEqual(['agent', 'state server']);
  });
});
