/**
 * Checks the `npm start` promise the way a new user sees it: runs `npm start -- --port 0`,
 * connects to the state feed it prints, and reports when the first hedge and the first roll
 * appear on the feed and in the logs. Exit 0 when both come within the limit (default 60 s),
 * 1 otherwise. The demo is stopped with Ctrl-C (SIGINT to its process group) either way.
 *
 *   npm run check:start                 # limit 60 s
 *   npm run check:start -- --limit 90
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { z } from 'zod';

const { values } = parseArgs({ options: { limit: { type: 'string', default: '60' } } });
const limitS = Number(values.limit);
if (!(limitS > 0)) throw new Error(`--limit must be a positive number of seconds, got ${values.limit}`);

const feedEvent = z.object({
  kind: z.enum(['position', 'hedge', 'venues', 'exchange', 'risk', 'ha']),
  state: z.record(z.string(), z.unknown()),
});
const hedgeState = z.object({ assets: z.record(z.string(), z.object({ current: z.number() })) });
const positionState = z.object({ rolls: z.number() });

const started = Date.now();
const seconds = (): number => Math.round((Date.now() - started) / 100) / 10;
const seen = { feedHedge: null as number | null, feedRoll: null as number | null, logHedge: null as number | null, logRoll: null as number | null };
const done = (): boolean => Object.values(seen).every((v) => v !== null);

const child = spawn('npm', ['start', '--', '--port', '0'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let ws: WebSocket | undefined;
let feedUrl: string | undefined;
let token: string | undefined;
let buffered = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk: string) => {
  buffered += chunk;
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    if (line.includes('"msg":"hedge order placed"')) seen.logHedge ??= seconds();
    if (line.includes('"msg":"range rolled"')) seen.logRoll ??= seconds();
    feedUrl ??= /^state feed: (ws:\/\/\S+)/.exec(line)?.[1];
    // the demo prints the admin token it created: the feed, like every route but /health, needs one
    token ??= /^admin token \(this run only\): (rk_\S+)/.exec(line)?.[1];
    if (feedUrl !== undefined && token !== undefined && ws === undefined) {
      console.log(`${seconds()} s  demo up, feed at ${feedUrl}`);
      ws = new WebSocket(feedUrl, { headers: { authorization: `Bearer ${token}` } });
      ws.on('message', (raw: Buffer) => {
        const e = feedEvent.safeParse(JSON.parse(raw.toString('utf8')));
        if (!e.success) return;
        if (e.data.kind === 'hedge') {
          const h = hedgeState.safeParse(e.data.state);
          if (h.success && Object.values(h.data.assets).some((a) => a.current !== 0)) seen.feedHedge ??= seconds();
        }
        if (e.data.kind === 'position') {
          const p = positionState.safeParse(e.data.state);
          if (p.success && p.data.rolls > 0) seen.feedRoll ??= seconds();
        }
      });
    }
  }
});
child.stderr.resume();

const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(code === null ? `signal ${signal}` : `code ${code}`)));
const deadline = started + limitS * 1000;
while (!done() && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 250));
ws?.close();
if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
if (code === 'hung' && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');

console.log(JSON.stringify({ limitSeconds: limitS, firstHedge: { feed: seen.feedHedge, log: seen.logHedge }, firstRoll: { feed: seen.feedRoll, log: seen.logRoll }, demoExit: code }));
const ok = done() && Object.values(seen).every((v) => v !== null && v <= limitS) && code !== 'hung';
console.log(ok ? `ok: a hedge and a roll within ${limitS} s, on the feed and in the logs` : `FAILED: not every one of them within ${limitS} s`);
process.exit(ok ? 0 : 1);
