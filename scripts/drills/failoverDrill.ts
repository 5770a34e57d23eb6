/**
 * The failover drill (issue 12): high availability of `rangekeeper run` on the Redis store, on
 * the devnet (a volatile simulated market in its own process) with a Bybit (or Binance USDⓈ-M)
 * stand-in. Three processes with one configuration:
 *
 *   1. A starts and becomes active: it mints every pool's position and hedges it.
 *   2. B starts and waits as the standby (its GET /api/v1/state says role "standby").
 *   3. kill -9 A: B takes the lease once it expires, reconciles with the chain and the venue
 *      (adopting A's positions and hedge) and acts; timed from the kill to B's lease and to B's
 *      "agent started" (reconciled, deciding), next to the lease ttl.
 *   4. C starts as the standby; B is frozen with SIGSTOP (right after it logs the start of a send
 *      when it starts one within 30 s: mid-roll or mid-order); C takes over; B gets SIGCONT after
 *      C acts: B must send nothing (no transaction, no order) and exit on its lost lease (code 3).
 *
 * Checked from the chain and the stand-in: exactly one live position per pool, the one the active
 * agent manages (none minted twice), and no client order id sent twice. Exit code 0 when every
 * check holds, 1 when one fails, 2 for bad flags.
 *
 *   npm run drill:failover
 *   npm run drill:failover -- --venue binanceusdm --pools 2 --ttl-ms 3000
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import type { VenueName } from '../../test/support/venues/venueHarness.js';
import { drillFlags } from './drillFlags.js';
import { LOG, type AgentLogLine } from './agentLog.js';
import { AgentProcess } from './agentProcess.js';
import { fetchAgentState, fetchStateEvents } from './agentState.js';
import { readChainHoldings, type ChainReader } from './chainHoldings.js';
import { startDevnetProcess, type DevnetProcess } from './devnetProcess.js';
import { drillPools, prepareAgent } from './drillSetup.js';
import { dropNamespace, drillNamespace, useRedisStore } from './redisAgent.js';
import { VenueStandIn } from './venueStandIn.js';

const USAGE = `usage: npm run drill:failover -- [options]
  --venue NAME     bybit | binanceusdm (default bybit)
  --pools N        pools managed, 1 or 2 (default 1)
  --ttl-ms MS      the agent's lease ttl (ha.leaseTtlMs, default 5000)
  --seed N         seed of the market (default 1)
  --redis URL      Redis (default REDIS_URL or redis://127.0.0.1:6379); the drill's keys are removed after
  --keep           keep the drill's directory`;

const { values: v, fail, int } = drillFlags('drill:failover', USAGE, {
  venue: { type: 'string', default: 'bybit' }, pools: { type: 'string', default: '1' }, 'ttl-ms': { type: 'string', default: '5000' },
  seed: { type: 'string', default: '1' }, redis: { type: 'string', default: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' },
  keep: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
});
const venue: VenueName = v.venue === 'bybit' || v.venue === 'binanceusdm' ? v.venue : fail(`--venue must be bybit or binanceusdm, got ${v.venue}`);
const poolCount = int('pools', v.pools, 1, 2);
const ttlMs = int('ttl-ms', v['ttl-ms'], 1_000, 60_000);
const seed = int('seed', v.seed, 0, 2 ** 32 - 1);
const redisUrl = v.redis;
const MARKET_ID = 'ETHUSDT';
/** What a send leaves in the agent's log: a broadcast transaction, an order the venue took. */
const SENT = new Set(['tx sent', 'order placed', LOG.hedgeOrderPlaced, LOG.minted]);

const t0 = Date.now();
const elapsed = (): string => `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s`;
const say = (s: string): void => console.log(`${elapsed()}  ${s}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const redis = { url: redisUrl, namespace: drillNamespace('failover') };
const dir = await mkdtemp(join(tmpdir(), 'rk-failover-drill-'));
const agents: AgentProcess[] = [];
let devnet: DevnetProcess | undefined;
let standIn: VenueStandIn | undefined;
let provider: JsonRpcProvider | undefined;
let exitCode = 1;

interface Check { name: string; ok: boolean; detail: string }
const checks: Check[] = [];
const check = (name: string, ok: boolean, detail: string): void => {
  checks.push({ name, ok, detail });
};

/** Every log line of `agent` from now on, kept. */
function record(agent: AgentProcess): AgentLogLine[] {
  const lines: AgentLogLine[] = [];
  agent.onLog((l) => lines.push(l));
  return lines;
}

async function haRole(stateUrl: string): Promise<string> {
  const ha = (await fetchStateEvents(stateUrl)).find((e) => e.kind === 'ha');
  const role = (ha?.state as { role?: unknown } | undefined)?.role;
  return typeof role === 'string' ? role : '(no ha entry)';
}

/** Token id per pool of the agent's managed positions (from its state). */
async function managed(stateUrl: string): Promise<Record<string, string>> {
  const s = await fetchAgentState(stateUrl);
  const out: Record<string, string> = {};
  for (const p of s.positions) if (p.position !== null && BigInt(p.position.liquidity) > 0n) out[p.poolId.toLowerCase()] = p.position.tokenId;
  return out;
}

try {
  say(`drill directory ${dir}; Redis ${redisUrl} namespace ${redis.namespace}; lease ttl ${ttlMs} ms; starting the devnet`);
  devnet = await startDevnetProcess({ seed, sigma: 1.5, stepSeconds: 900, intervalMs: 500, noise: 1 }, join(dir, 'manifest.json'));
  const m = devnet.manifest;
  const agentAccount = m.accounts.find((a) => a.role === 'agent');
  if (agentAccount === undefined) throw new Error('the devnet manifest has no agent account');
  const pools = drillPools(m, poolCount, '10', '30000');
  const hedgePool = pools[0]!;
  standIn = await VenueStandIn.start({
    venue, rpcUrl: m.rpcUrl, stateView: m.contracts.stateView, poolId: hedgePool.poolId, assetIsToken0: hedgePool.assetIsToken0,
    decimals0: hedgePool.token0.decimals, decimals1: hedgePool.token1.decimals, marketId: MARKET_ID, walletBalance: 1_000_000, markPollMs: 250,
  });
  say(`devnet ${m.rpcUrl}, ${venue} stand-in ${standIn.baseUrl}`);
  // the kill drill's agent configuration, on the Redis store (the venue key stored there), history off
  const setup = await prepareAgent(dir, m, pools, venue, standIn.baseUrl);
  await useRedisStore(setup, venue, redis, { leaseTtlMs: ttlMs, standbyPollMs: 250 });
  provider = new JsonRpcProvider(m.rpcUrl, m.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  const reader: ChainReader = { provider, positionManager: m.contracts.positionManager, stateView: m.contracts.stateView, owner: agentAccount.address, fromBlock: m.deployedAtBlock, pools };
  let liveDetail = '';
  /** The chain has exactly one live position per pool, and it is the one the agent at `stateUrl` manages (a roll in between is waited out once). */
  const oneLivePerPool = async (stateUrl: string): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      const mine = await managed(stateUrl);
      const live = (await readChainHoldings(reader)).positions.filter((p) => p.liquidity > 0n);
      const perPool = poolIds.map((id) => live.filter((p) => p.poolId.toLowerCase() === id));
      liveDetail = perPool.map((ps, i) => `${poolIds[i]!.slice(0, 10)}: live ${ps.map((p) => `#${p.tokenId}`).join(',') || 'none'}, managed #${mine[poolIds[i]!] ?? 'none'}`).join('; ');
      const ok = perPool.every((ps, i) => ps.length === 1 && ps[0]!.tokenId === mine[poolIds[i]!]);
      if (ok || attempt >= 5) return ok;
      await sleep(1_000);
    }
  };
  const start = (name: string): AgentProcess => {
    const a = AgentProcess.start(setup.configFile, agentAccount.privateKey, { name, detached: true });
    agents.push(a);
    return a;
  };

  // 1. A: active, positions minted and hedged
  const a = start('A');
  const aUrl = await a.running(180_000);
  check('A is active', (await haRole(aUrl)) === 'active', `A (pid ${a.child.pid}) says role ${await haRole(aUrl)}`);
  const poolIds = pools.map((p) => p.poolId.toLowerCase());
  const poolsMinted = (): Promise<Record<string, string>> => managed(aUrl);
  let aPositions: Record<string, string> = {};
  const mintDeadline = Date.now() + 180_000;
  while (Object.keys(aPositions).length < poolIds.length) {
    if (Date.now() > mintDeadline) throw new Error(`A minted no position in every pool within 180 s: ${a.tail(3).join(' | ')}`);
    await sleep(500);
    aPositions = await poolsMinted();
  }
  say(`A (pid ${a.child.pid}) active, positions ${Object.values(aPositions).map((id) => `#${id}`).join(', ')}`);

  // 2. B: standby
  const b = start('B');
  const bStandbyUrl = await b.standby(120_000);
  const bRole = await haRole(bStandbyUrl);
  check('B waits as the standby', bRole === 'standby', `B (pid ${b.child.pid}) says role ${bRole}`);
  say(`B (pid ${b.child.pid}) is the standby`);
  // let A hedge before the kill
  const hedgeDeadline = Date.now() + 60_000;
  while ((await standIn.report()).requests.length === 0 && Date.now() < hedgeDeadline) await sleep(500);

  // 3. kill -9 A; B takes over
  const bLines = record(b);
  const leaseTaken = b.logged('lease acquired', 60_000);
  const bStarted = b.logged(LOG.agentStarted, 120_000);
  // waited for from now: the line can follow "agent started" before that wait is over
  const bRunning = b.running(180_000);
  const killedAt = Date.now();
  await a.kill();
  const bTookLease = await leaseTaken;
  const bDeciding = await bStarted;
  const bUrl = await bRunning;
  const leaseMs = bTookLease - killedAt;
  const decidingMs = bDeciding - killedAt;
  say(`kill -9 A → B took the lease in ${leaseMs} ms, reconciled and deciding ("agent started") in ${decidingMs} ms (lease ttl ${ttlMs} ms)`);
  check('B takes over within 10 s of the kill', decidingMs <= 10_000, `lease after ${leaseMs} ms, deciding after ${decidingMs} ms, ttl ${ttlMs} ms`);
  check('after the takeover: one live position per pool, the one B manages', await oneLivePerPool(bUrl), liveDetail);
  check('B is active', (await haRole(bUrl)) === 'active', `B says role ${await haRole(bUrl)}`);
  await sleep(3_000);
  const bActed = bLines.filter((l) => l.msg === 'hedge adjusted' || l.msg === LOG.reconciled).length;
  say(`B acting: ${bActed} reconciliation/hedge decision(s) logged`);

  // 4. C standby; SIGSTOP B; C takes over; SIGCONT B: it sends nothing and exits
  const c = start('C');
  await c.standby(120_000);
  const cStarted = c.logged(LOG.agentStarted, 120_000);
  const cRunning = c.running(180_000);
  // freeze B in the middle of a send when it starts one within 30 s (a roll is several
  // transactions after its saga is journaled; a hedge order follows its journal entry): what it
  // had checked before the freeze must not go out after the wake
  const busy = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => { off(); resolve(null); }, 30_000);
    const off = b.onLog((l) => {
      if (l.msg === 'roll saga journaled' || l.msg === 'tx sent' || l.msg === 'order placed') {
        process.kill(b.child.pid, 'SIGSTOP');
        clearTimeout(timer);
        off();
        resolve(l.msg);
      }
    });
  });
  if (busy === null) process.kill(b.child.pid, 'SIGSTOP');
  const stoppedAt = Date.now();
  say(`SIGSTOP B ${busy === null ? '(it started no send within 30 s: frozen idle)' : `right after its "${busy}" line (frozen mid-send)`}`);
  const cDeciding = await cStarted;
  const cUrl = await cRunning;
  say(`SIGSTOP B → C reconciled and deciding after ${cDeciding - stoppedAt} ms`);
  await sleep(3_000);
  // what had left before the wake: a send B had in flight when it was frozen is answered (and
  // logged) after SIGCONT, but it started before; it was on the venue, or mined (automine), by now
  const ordersBefore = new Set((await standIn.report()).requests.map((r) => r.clientId));
  const blockAtCont = await provider.getBlockNumber();
  const contAt = Date.now();
  process.kill(b.child.pid, 'SIGCONT');
  const bExit = await Promise.race([b.child.exited, sleep(30_000).then(() => null)]);
  const startedBefore = async (l: AgentLogLine): Promise<boolean> => {
    const id = l['clientOrderId'];
    if (typeof id === 'string') return ordersBefore.has(id);
    const hash = l['hash'] ?? l['tx'];
    if (typeof hash !== 'string') return false;
    const receipt = await provider!.getTransactionReceipt(hash);
    return receipt !== null && receipt.blockNumber <= blockAtCont;
  };
  const loggedAfterWake = bLines.filter((l) => l.time >= contAt && SENT.has(l.msg));
  const sentAfterWake: AgentLogLine[] = [];
  for (const l of loggedAfterWake) if (!(await startedBefore(l))) sentAfterWake.push(l);
  const inFlight = loggedAfterWake.length - sentAfterWake.length;
  check('B sends nothing after SIGCONT', sentAfterWake.length === 0,
    `${sentAfterWake.length === 0 ? 'no transaction, no order started after the wake' : sentAfterWake.map((l) => l.msg).join(', ')}${inFlight > 0 ? ` (${inFlight} send(s) in flight at the freeze answered after it)` : ''}`);
  check('B exits on its lost lease (code 3)', bExit !== null && bExit.code === 3, bExit === null ? 'still running 30 s after SIGCONT' : `exit ${bExit.signal ?? `code ${bExit.code}`}`);
  const refused = bLines.filter((l) => l.time >= contAt && JSON.stringify(l).includes('LeaseLostError'));
  // refused by the last check, at the socket write (http/gatedDispatcher.ts): sends that had passed every earlier check before the freeze
  const atWrite = refused.filter((l) => /(venue (POST|PUT|DELETE)|tx eth_send\w*) refused/.test(JSON.stringify(l))).length;
  say(`SIGCONT B → exit ${bExit === null ? 'none' : bExit.signal ?? `code ${bExit.code}`}; ${sentAfterWake.length} send(s) started after waking, ${inFlight} in flight at the freeze, ${refused.length} refused by the lease (${atWrite} of them at the socket write)`);

  // the chain and the venue: nothing twice
  await sleep(2_000);
  check('at the end: one live position per pool, the one C manages', await oneLivePerPool(cUrl), liveDetail);
  const report = await standIn.report();
  const ids = report.requests.map((r) => r.clientId);
  const distinct = new Set(ids).size;
  check('zero duplicate client order ids', distinct === ids.length && report.duplicateRejections === 0, `${ids.length} order requests, ${distinct} distinct, ${report.duplicateRejections} refused as duplicates`);
  const cStop = await c.child.stop('SIGTERM');
  check('C stops cleanly on SIGTERM', cStop.exit.code === 0, `exit ${cStop.exit.signal ?? `code ${cStop.exit.code}`} in ${cStop.ms} ms`);

  console.log('\nfailover drill');
  for (const ch of checks) console.log(`  ${ch.ok ? 'ok  ' : 'FAIL'}  ${ch.name}: ${ch.detail}`);
  console.log(`  takeover: lease ${leaseMs} ms, deciding ${decidingMs} ms after kill -9 (ttl ${ttlMs} ms); after SIGSTOP ${cDeciding - stoppedAt} ms`);
  exitCode = checks.every((ch) => ch.ok) ? 0 : 1;
  console.log(exitCode === 0 ? '\nfailover drill: every check held' : `\nfailover drill FAILED: ${checks.filter((ch) => !ch.ok).map((ch) => ch.name).join('; ')}`);
} catch (err) {
  console.error(`drill:failover: the drill could not run: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  for (const ag of agents) console.error(`  ${ag.child.name}: ${ag.tail(4).join(' | ')}`);
  exitCode = 1;
} finally {
  for (const ag of agents) {
    if (!ag.child.running) continue;
    process.kill(ag.child.pid, 'SIGCONT');
    await ag.child.stop('SIGTERM', 10_000);
  }
  provider?.destroy();
  await standIn?.stop();
  if (devnet?.child.running) await devnet.child.stop('SIGTERM');
  await dropNamespace(redis);
  if (!v.keep) await rm(dir, { recursive: true, force: true });
  else console.log(`drill directory kept: ${dir}`);
}
process.exit(exitCode);
