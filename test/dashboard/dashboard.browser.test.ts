/// <reference lib="dom" />
/**
 * The dashboard in a real browser (Debian's chromium, playwright-core) against a running agent
 * (simulated pools, paper venue): the page loads from the agent, its charts draw the feed's
 * points (price with range and a roll marked, value, fees/IL/LVR, hedge, drawdown), and the
 * Halt button halts the agent, Resume resumes it. Screenshots go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { DEMO_CONFIG, runSimulated, type RunningAgent } from '../../src/cli/start.js';
import { dropSchema, requirePostgres, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres.js';
import { launchChromium } from './support/chromium.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const TOKEN = 'dashboard-test-token';
const schema = uniqueSchema('dashboard');

/** Points the chart named `name` (data-chart) was last given, in the first panel that has it. */
async function points(page: Page, selector: string): Promise<number> {
  return Number(await page.locator(selector).first().getAttribute('data-points'));
}

describe('dashboard (chromium)', () => {
  let running: RunningAgent | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  /** Requests of the page that failed (status, path). */
  const failed: string[] = [];
  /** History pages the page read (path). */
  const historyRead: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const saved = process.env['RANGEKEEPER_API_TOKEN'];
    process.env['RANGEKEEPER_API_TOKEN'] = TOKEN;
    try {
      // the history in PostgreSQL (a schema of this run's): the page reads its past from it
      await requirePostgres();
      const cfg = parseConfig({ ...DEMO_CONFIG, api: { host: '127.0.0.1', port: 0 }, log: { level: 'fatal' }, history: { url: TEST_DATABASE_URL, schema } });
      running = await runSimulated(cfg, { seed: 7, tickMs: 40, startPrice: 3000 });
    } finally {
      if (saved === undefined) delete process.env['RANGEKEEPER_API_TOKEN'];
      else process.env['RANGEKEEPER_API_TOKEN'] = saved;
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await dropSchema(schema);
  });

  it('refuses a wrong token, draws the feed on its charts, and halts and resumes the agent from its buttons', async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 1100 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      // a failed request is judged below by its URL; anything else logged as an error fails the test (a CSP refusal, a script error)
      // the feed refused without a valid token (401 before the handshake) is the access layer at work, not a page error
      const feedRefused = /^WebSocket connection to '.*\/ws' failed: HTTP Authentication failed/.test(m.text());
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource') && !feedRefused) pageErrors.push(m.text());
    });
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.status() >= 400) failed.push(`${r.status()} ${path}`);
      else if (path.startsWith('/api/v1/history/')) historyRead.push(path);
    });
    await page.goto(`${running!.httpUrl}/`);

    // a wrong token: the halt is refused, the page says so, the agent runs on
    await page.fill('#token', 'not-the-token');
    await page.click('#token-form button[type=submit]');
    await page.click('#halt');
    await page.waitForFunction(() => (document.getElementById('control-result')?.textContent ?? '').includes('refused'), undefined, { timeout: 10_000 });
    expect(await page.textContent('#control-result')).toContain('halt refused: missing or wrong token');
    expect((await running!.agent.risk()).status).toBe('running');
    expect(failed.splice(0)).toEqual(['401 /api/v1/risk/halt']);

    await page.fill('#token', TOKEN);
    await page.click('#token-form button[type=submit]');
    expect(await page.evaluate(() => sessionStorage.getItem('rangekeeper.apiToken'))).toBe(TOKEN);

    // the feed's states become points: every chart of the pool, the hedge and the drawdown
    await page.waitForFunction(() => {
      const n = (sel: string): number => Number(document.querySelector(sel)?.getAttribute('data-points') ?? 0);
      return n('[data-chart="price"]') > 30 && n('[data-chart="value"]') > 20 && n('[data-chart="fees-il-lvr"]') > 20
        && n('[data-chart="hedge"]') > 5 && n('#chart-drawdown') > 2;
    }, undefined, { timeout: 15_000 });
    // a roll on the feed is marked on the price chart (the demo market leaves a ±2% range in seconds)
    await page.waitForFunction(() => Number(document.querySelector('[data-pool]')?.getAttribute('data-roll-marks') ?? 0) > 0, undefined, { timeout: 15_000 });
    // the past came from the history endpoints: the pool's recorded snapshots and rolls, and the alerts
    await page.waitForFunction(() => Number(document.querySelector('[data-pool]')?.getAttribute('data-history-rows') ?? 0) > 0, undefined, { timeout: 10_000 });
    expect([...new Set(historyRead)].sort()).toEqual(['/api/v1/history/alert', '/api/v1/history/poolSnapshot', '/api/v1/history/roll']);
    const poolId = DEMO_CONFIG.pools[0].poolId;
    expect(await page.locator(`[data-pool="${poolId}"]`).count()).toBe(1);
    expect(await page.locator('[data-asset="ETH"]').count()).toBe(1);
    // uPlot drew on its canvases: not blank
    const inked = await page.evaluate(() => Array.from(document.querySelectorAll('[data-chart="price"] canvas')).some((c) => {
      const cv = c as HTMLCanvasElement;
      const px = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) return true;
      return false;
    }));
    expect(inked).toBe(true);
    expect(await page.textContent('#risk-status')).toBe('running');
    expect(await points(page, '[data-chart="price"]')).toBeGreaterThan(30);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-live.png'), fullPage: true });

    // Halt: the agent halts, and the page shows it from the feed
    await page.fill('#halt-reason', 'browser test halt');
    await page.click('#halt');
    await page.waitForFunction(() => document.getElementById('risk-status')?.dataset['status'] === 'halted', undefined, { timeout: 10_000 });
    const halted = await running!.agent.risk();
    expect(halted.status).toBe('halted');
    expect(halted.reason).toContain('browser test halt');
    expect(await page.textContent('#control-result')).toContain('halt: halted');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-halted.png'), fullPage: true });

    // Resume lifts it
    await page.click('#resume');
    await page.waitForFunction(() => document.getElementById('risk-status')?.dataset['status'] === 'running', undefined, { timeout: 10_000 });
    expect((await running!.agent.risk()).status).toBe('running');
    expect(pageErrors).toEqual([]);
    expect(failed).toEqual([]);
    await page.close();
  });

  it('takes a token handed over in the address fragment (#token=…) and removes it from the address', async () => {
    const page = await browser!.newPage();
    await page.goto(`${running!.httpUrl}/#token=${TOKEN}`);
    expect(await page.inputValue('#token')).toBe(TOKEN);
    expect(await page.evaluate(() => [sessionStorage.getItem('rangekeeper.apiToken'), location.hash])).toEqual([TOKEN, '']);
    await page.close();
  });

  it('serves the page, its modules and uPlot from the agent (no other origin)', async () => {
    const html = await (await fetch(`${running!.httpUrl}/`)).text();
    const srcs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBeGreaterThanOrEqual(4);
    for (const s of srcs.filter((x) => !x.startsWith('data:'))) {
      expect(s.startsWith('/')).toBe(true);
      const res = await fetch(`${running!.httpUrl}${s}`);
      expect(res.status, s).toBe(200);
    }
    const res = await fetch(`${running!.httpUrl}/dashboard`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
  });
});
