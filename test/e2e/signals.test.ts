/**
 * Signals as a supervisor sends them: to the pid it started (`npm start`, `npx rangekeeper`,
 * `node bin/rangekeeper.mjs`), never to a process group. Each case launches the real command
 * and watches the whole process tree it made (anvil included) through /proc.
 */
import { createConnection, type Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, launch, processTree, stillAlive, waitAllGone, type Launched, type Proc } from '../support/processTree.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** What a trade looks like in the logs: an order sent or filled, a position or transaction sent. */
const TRADE = /"msg":"(paper order filled|hedge order placed|position minted|position rolled|range rolled|liquidity withdrawn|tx sent|universal router swap)"/;
/** The bound on the whole stop after SIGTERM (the agent's own deadline is 5 s). */
const EXIT_WITHIN_MS = 8_000;

const cleanup: Proc[] = [];
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  killAll(cleanup.splice(0));
});

/** The agents' API token (RANGEKEEPER_API_TOKEN: an admin token); every route but /health needs one. */
const API_TOKEN = 'signals-test-token-7d2e';

interface Started {
  run: Launched;
  tree: Proc[];
  agentPid: number;
  httpUrl: string;
}

/** Launches `cmd args` (or takes `launched`), waits for the state feed line and (unless `trades` is false) for trading to begin, and snapshots the process tree. */
async function start(cmd: string, args: string[], readyMs = 60_000, o: { launched?: Launched; trades?: boolean } = {}): Promise<Started> {
  const run = o.launched ?? launch(cmd, args, { cwd: ROOT, env: { LOG_LEVEL: 'info', RANGEKEEPER_API_TOKEN: API_TOKEN } });
  const feed = await run.waitFor(/snapshot: +(http:\/\/\S+)\/api\/v1\/state/, readyMs);
  if (o.trades !== false) await run.waitFor(TRADE, 20_000);
  const agentPid = Number((await run.waitFor(/"pid":(\d+),"name":"rangekeeper"/, 1_000))[1]);
  const tree = processTree(run.child.pid!);
  cleanup.push(...tree);
  expect(tree.map((p) => p.pid)).toContain(agentPid);
  return { run, tree, agentPid, httpUrl: feed[1]! };
}

/** The log lines after the agent logged "stopping" that show a trade. */
function tradesAfterStopping(output: string): string[] {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => l.includes('"msg":"stopping"'));
  expect(at, 'the agent logged "stopping"').toBeGreaterThanOrEqual(0);
  return lines.slice(at + 1).filter((l) => TRADE.test(l));
}

/** The risk actor's status in the state snapshot. */
async function riskStatus(httpUrl: string): Promise<unknown> {
  const events = await (await fetch(`${httpUrl}/api/v1/state`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json() as { kind: string; state: { status?: unknown } }[];
  return events.find((e) => e.kind === 'risk')?.state.status;
}

/** A WebSocket client of the state feed that completes the upgrade and then never reads nor answers. */
async function deafClient(httpUrl: string): Promise<void> {
  const url = new URL(httpUrl);
  const s = createConnection({ host: url.hostname, port: Number(url.port) });
  sockets.push(s);
  await new Promise<void>((res, rej) => {
    s.once('connect', res);
    s.once('error', rej);
  });
  s.write(['GET /ws HTTP/1.1', `Host: ${url.host}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', `Authorization: Bearer ${API_TOKEN}`, '', ''].join('\r\n'));
  await new Promise<void>((res) => s.once('data', () => res()));
  s.pause();
}

describe('SIGTERM to the launcher pid stops trading, then everything, within seconds', () => {
  it('npm start --simulated: no process left, no trade after "stopping"', async () => {
    const { run, tree } = await start('npm', ['start', '--', '--port', '0', '--simulated', '--tick-ms', '50']);
    process.kill(run.child.pid!, 'SIGTERM');
    const gone = await waitAllGone(tree, EXIT_WITHIN_MS);
    expect(gone.survivors.map((p) => p.cmd)).toEqual([]);
    expect(tradesAfterStopping(run.output())).toEqual([]);
  });

  it('npm start (devnet): anvil and the agent are gone, no transaction after "stopping"', async () => {
    const { run, tree } = await start('npm', ['start', '--', '--port', '0', '--tick-ms', '250'], 90_000);
    expect(tree.some((p) => /anvil/.test(p.cmd))).toBe(true);
    process.kill(run.child.pid!, 'SIGTERM');
    const gone = await waitAllGone(tree, EXIT_WITHIN_MS);
    expect(gone.survivors.map((p) => p.cmd)).toEqual([]);
    expect(tradesAfterStopping(run.output())).toEqual([]);
  }, 120_000);

  it('npx rangekeeper start: npx does not pass SIGTERM on, the agent notices its launcher went', async () => {
    const { run, tree } = await start('npx', ['rangekeeper', 'start', '--port', '0', '--simulated', '--tick-ms', '50']);
    process.kill(run.child.pid!, 'SIGTERM');
    const gone = await waitAllGone(tree, EXIT_WITHIN_MS);
    expect(gone.survivors.map((p) => p.cmd)).toEqual([]);
    expect(tradesAfterStopping(run.output())).toEqual([]);
  });

  it('node bin/rangekeeper.mjs: a feed client that never reads does not hold the exit; the state server closes last', async () => {
    const { run, tree, httpUrl } = await start(process.execPath, ['bin/rangekeeper.mjs', 'start', '--port', '0', '--simulated', '--tick-ms', '20']);
    await deafClient(httpUrl);
    process.kill(run.child.pid!, 'SIGTERM');
    const gone = await waitAllGone(tree, EXIT_WITHIN_MS);
    expect(gone.survivors.map((p) => p.cmd)).toEqual([]);
    const out = run.output();
    expect(tradesAfterStopping(out)).toEqual([]);
    // the agent stopped before the state server closed
    const agentStopped = out.indexOf('"msg":"agent stopped"');
    expect(agentStopped).toBeGreaterThan(out.indexOf('"msg":"stopping"'));
    expect(out.indexOf('"step":"state server"')).toBeGreaterThan(agentStopped);
  });

  it('SIGUSR2 while the modules still load halts and kills nothing; a second SIGTERM during the stop exits at once, saying so', async () => {
    const args = ['bin/rangekeeper.mjs', 'start', '--port', '0', '--simulated', '--tick-ms', '20'];
    const launched = launch(process.execPath, args, { cwd: ROOT, env: { LOG_LEVEL: 'info', RANGEKEEPER_API_TOKEN: API_TOKEN } });
    await new Promise((r) => setTimeout(r, 1_500)); // tsx still compiling the command's modules
    process.kill(launched.child.pid!, 'SIGUSR2');
    const { run, tree, httpUrl } = await start(process.execPath, args, 60_000, { launched, trades: false });
    await run.waitFor(/manual halt \(SIGUSR2\)/, 5_000);
    await expect.poll(() => riskStatus(httpUrl), { timeout: 3_000 }).toBe('halted');
    await deafClient(httpUrl);
    process.kill(run.child.pid!, 'SIGTERM');
    await run.waitFor(/"msg":"stopping"/, 2_000);
    process.kill(run.child.pid!, 'SIGTERM');
    const gone = await waitAllGone(tree, 1_500);
    expect(gone.survivors.map((p) => p.cmd)).toEqual([]);
    expect(run.output()).toMatch(/"signal":"SIGTERM".*"msg":"second stop signal: exiting now"/);
  });
});

describe('SIGUSR2 halts', () => {

  it('to the agent pid under npm start halts and nothing dies; to the npm pid (no handler: npm dies of it) the agent stops instead of running on orphaned', async () => {
    const { run, tree, agentPid, httpUrl } = await start('npm', ['start', '--', '--port', '0', '--simulated', '--tick-ms', '50']);
    expect(run.output()).toContain(`agent pid ${agentPid}:`);
    expect(await riskStatus(httpUrl)).toBe('running');
    process.kill(agentPid, 'SIGUSR2');
    await run.waitFor(/manual halt \(SIGUSR2\)/, 5_000);
    await new Promise((r) => setTimeout(r, 1_000));
    await expect.poll(() => riskStatus(httpUrl), { timeout: 3_000 }).toBe('halted');
    expect(stillAlive(tree).map((p) => p.pid).sort()).toEqual(tree.map((p) => p.pid).sort());

    process.kill(run.child.pid!, 'SIGUSR2');
    const gone = await waitAllGone(tree, EXIT_WITHIN_MS);
    expect(gone.survivors.map((p) => p.cmd)).toEqual([]);
    expect(run.output()).toMatch(/"msg":"launcher gone: stopping"/);
    expect(tradesAfterStopping(run.output())).toEqual([]);
  });
});
