/**
 * The kill -9 drill (issue 8). A devnet with a volatile simulated market and a Bybit (or Binance
 * USDⓈ-M) stand-in each run in their own process; the agent (`rangekeeper run`, file store) is
 * started once to mint every pool's first position and stopped (firstPositions.ts), then killed
 * with SIGKILL `--kills` times — right after a roll's re-balancing swap, right after a hedge
 * order, during start-up reconciliation, at random — and restarted on the same data directory.
 * Checked from the chain and the stand-in, never from the agent's word alone:
 *
 *   - exactly one live position per pool, and no liquidity the agent does not manage;
 *   - no client order id sent twice;
 *   - at most one re-balancing swap per roll;
 *   - after every restart's reconciliation, the agent's books (held − fromFloat + managed position) equal
 *     what the chain says it has (see accountingCheck.ts);
 *   - after the last restart, with the market held still, the venue's hedge settled within the
 *     band of the target the chain implies, within 30 s.
 *
 * Progress is printed per kill, then a summary table; exit code 0 when every invariant holds,
 * 1 when one breaks, 2 for bad flags.
 *
 *   npm run drill:kill                     # 20 kills
 *   npm run drill:kill -- --kills 3        # a quick run
 *   npm run drill:kill -- --venue binanceusdm --pools 1 --seed 7 --keep
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { createSeededRandom } from '../../src/math/seededRandom.js';
import type { VenueName } from '../../test/support/venues/venueHarness.js';
import { checkAccounting, type AccountingContext, type AccountingSample } from './accountingCheck.js';
import { drillFlags } from './drillFlags.js';
import { LOG } from './agentLog.js';
import { AgentProcess } from './agentProcess.js';
import { agentSwapsAndRolls } from './agentSwapsAndRolls.js';
import { unmanagedBalances, type ChainReader } from './chainHoldings.js';
import { startDevnetProcess, type DevnetProcess } from './devnetProcess.js';
import { invariants, printReport, type DrillFigures } from './drillReport.js';
import { drillPools, prepareAgent, type DrillPool } from './drillSetup.js';
import { describeDiffs } from './tokenAmounts.js';
import { checkHedge, withMarketHeld, type HedgeSample } from './hedgeCheck.js';
import { runCycle, type CycleResult } from './killCycle.js';
import { killPlan } from './killPlan.js';
import { firstPositions } from './firstPositions.js';
import { VenueStandIn } from './venueStandIn.js';

const USAGE = `usage: npm run drill:kill -- [options]
  --kills N            kills (default 20)
  --seed N             seed of the market, the kill plan and the random moments (default 1)
  --venue NAME         bybit | binanceusdm (default bybit)
  --pools N            pools managed, 1 or 2 (default 2)
  --sigma X            annualized volatility of the simulated market (default 1.5)
  --interval-ms MS     ms between market steps (default 500)
  --step-seconds S     simulated seconds per market step (default 900)
  --moment-timeout S   how long a swap / hedge moment is waited for before killing anyway (default 60)
  --hedge-window S     how long after the last restart is up the hedge may take to reach its band (default 30)
  --keep               keep the drill's directory (config, data dir, manifest)`;

const { values: v, fail, int, positive: pos } = drillFlags('drill:kill', USAGE, {
  kills: { type: 'string', default: '20' }, seed: { type: 'string', default: '1' }, venue: { type: 'string', default: 'bybit' },
  pools: { type: 'string', default: '2' }, sigma: { type: 'string', default: '1.5' }, 'interval-ms': { type: 'string', default: '500' },
  'step-seconds': { type: 'string', default: '900' }, 'moment-timeout': { type: 'string', default: '60' }, 'hedge-window': { type: 'string', default: '30' },
  keep: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
});
const kills = int('kills', v.kills, 0, 1000);
const seed = int('seed', v.seed, 0, 2 ** 32 - 1);
const venue: VenueName = v.venue === 'bybit' || v.venue === 'binanceusdm' ? v.venue : fail(`--venue must be bybit or binanceusdm, got ${v.venue}`);
const poolCount = int('pools', v.pools, 1, 2);
const market = { seed, sigma: pos('sigma', v.sigma), intervalMs: int('interval-ms', v['interval-ms'], 50, 60_000), stepSeconds: pos('step-seconds', v['step-seconds']), noise: 1 };
const momentTimeoutMs = pos('moment-timeout', v['moment-timeout']) * 1000;
const hedgeWindowMs = pos('hedge-window', v['hedge-window']) * 1000;
const MARKET_ID = 'ETHUSDT';

const t0 = Date.now();
const elapsed = (): string => `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s`;
const dir = await mkdtemp(join(tmpdir(), 'rk-kill-drill-'));
let devnet: DevnetProcess | undefined;
let standIn: VenueStandIn | undefined;
let provider: JsonRpcProvider | undefined;
let exitCode = 1;
try {
  console.log(`${elapsed()}  drill directory ${dir}; starting the devnet (sigma ${market.sigma}, a step of ${market.stepSeconds} s every ${market.intervalMs} ms)`);
  devnet = await startDevnetProcess(market, join(dir, 'manifest.json'));
  const m = devnet.manifest;
  if (m.contracts.universalRouter === undefined) throw new Error('the devnet manifest has no Universal Router');
  const agentAccount = m.accounts.find((a) => a.role === 'agent');
  if (agentAccount === undefined) throw new Error('the devnet manifest has no agent account');
  const pools = drillPools(m, poolCount, '10', '30000');
  const hedgePool = pools[0]!;
  standIn = await VenueStandIn.start({
    venue, rpcUrl: m.rpcUrl, stateView: m.contracts.stateView, poolId: hedgePool.poolId, assetIsToken0: hedgePool.assetIsToken0,
    decimals0: hedgePool.token0.decimals, decimals1: hedgePool.token1.decimals, marketId: MARKET_ID, walletBalance: 1_000_000, markPollMs: 250,
  });
  console.log(`${elapsed()}  devnet ${m.rpcUrl} (pid ${devnet.child.pid}), ${venue} stand-in ${standIn.baseUrl} (pid ${standIn.child.pid})`);
  const setup = await prepareAgent(dir, m, pools, venue, standIn.baseUrl);

  provider = new JsonRpcProvider(m.rpcUrl, m.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  const reader: ChainReader = { provider, positionManager: m.contracts.positionManager, stateView: m.contracts.stateView, owner: agentAccount.address, fromBlock: m.deployedAtBlock, pools };
  // what of the wallet is not the agent's to count: its balance before the first start less the deposits
  const unmanaged = await unmanagedBalances(reader);
  const accounting: Omit<AccountingContext, 'stateUrl'> = { reader, unmanaged, pools };

  const first = await firstPositions(setup.configFile, agentAccount.privateKey, pools.map((p) => p.poolId), 180_000);
  console.log(`${elapsed()}  first positions minted in ${(first.ms / 1000).toFixed(1)} s (${Object.values(first.positions).map((id) => `#${id}`).join(', ')}); agent stopped, kills begin`);

  const rng = createSeededRandom(seed);
  const plan = killPlan(kills, rng);
  const cycles: CycleResult[] = [];
  for (const [i, planned] of plan.entries()) {
    const c = await runCycle(planned, { configFile: setup.configFile, privateKey: agentAccount.privateKey, accounting, momentTimeoutMs, startTimeoutMs: 120_000, rng });
    cycles.push(c);
    const books = c.accounting === null ? `books not checked${c.accountingError === null ? '' : ` (${c.accountingError})`}` : booksLine(c.accounting, pools);
    const started = c.startMs === null ? 'killed before it was up' : `up in ${(c.startMs / 1000).toFixed(1)} s`;
    console.log(`${elapsed()}  kill ${String(i + 1).padStart(2)}/${kills} [${planned}${c.actual === planned ? '' : ` → ${c.actual}`}] ${started}, killed ${(c.killedAfterMs / 1000).toFixed(1)} s after spawn on "${c.trigger}"; ${books}`);
    if (c.rollFailures > 0) console.log(`        the agent logged ${c.rollFailures} 'roll failed' in this run`);
    if (c.actual === 'exited') console.log(`        the agent exited on its own: ${c.tail.slice(-3).join(' | ')}`);
  }

  // the last restart: reconciled books, then the hedge, then a clean stop
  console.log(`${elapsed()}  last restart`);
  const agent = AgentProcess.start(setup.configFile, agentAccount.privateKey);
  let finalRollFailures = 0;
  agent.onLog((l) => {
    if (l.msg === LOG.rollFailed) finalRollFailures += 1;
  });
  const final: DrillFigures['final'] = { accounting: null, accountingError: null, hedge: [], startMs: null };
  const exits: DrillFigures['exits'] = {};
  try {
    const stateUrl = await agent.running(120_000);
    const upAt = Date.now();
    final.startMs = upAt - agent.startedAt;
    const ctx: AccountingContext = { ...accounting, stateUrl };
    try {
      final.accounting = await checkAccounting(ctx);
    } catch (err) {
      final.accountingError = (err as Error).message;
    }
    console.log(`${elapsed()}  up in ${(final.startMs / 1000).toFixed(1)} s; ${final.accounting === null ? `books not checked (${final.accountingError})` : booksLine(final.accounting, pools)}`);
    // the market held still for the hedge check (hedgeCheck.ts); the window runs from the moment the agent is up again
    final.hedge = await withMarketHeld(provider, agentAccount.address, (mineAgentPending) => checkHedge(ctx, standIn!, MARKET_ID, setup.hedgeRatio, setup.band, upAt, hedgeWindowMs, mineAgentPending));
    const h: HedgeSample = final.hedge.at(-1)!;
    console.log(`${elapsed()}  hedge: venue ${h.venue.toFixed(4)} vs chain target ${h.target.toFixed(4)} (${(h.error * 100).toFixed(2)}%) ${(h.afterMs / 1000).toFixed(1)} s after it was up`);
  } catch (err) {
    final.accountingError = (err as Error).message;
    console.log(`${elapsed()}  the last restart failed: ${final.accountingError}; ${agent.tail(3).join(' | ')}`);
  } finally {
    const s = await agent.child.stop('SIGTERM');
    exits['agent (SIGTERM)'] = { ms: s.ms, how: s.forced ? 'killed after 20 s' : s.exit.signal ?? `code ${s.exit.code}` };
  }

  const toBlock = await provider.getBlockNumber();
  const history = await agentSwapsAndRolls({
    provider, poolManager: m.contracts.poolManager, positionManager: m.contracts.positionManager, universalRouter: m.contracts.universalRouter,
    owner: agentAccount.address, poolIds: pools.map((p) => p.poolId), fromBlock: m.deployedAtBlock, toBlock,
  });
  const venueReport = await standIn.report();
  exits['venue stand-in'] = { ms: await standIn.stop(), how: 'stop message' };
  provider.destroy();
  provider = undefined;
  const d = await devnet.child.stop('SIGTERM');
  exits['devnet (SIGTERM)'] = { ms: d.ms, how: d.forced ? 'killed after 20 s' : d.exit.signal ?? `code ${d.exit.code}` };
  const rollFailures = cycles.reduce((a, c) => a + c.rollFailures, finalRollFailures);
  const figures: DrillFigures = { cycles, final, history, venue: venueReport, exits, pools, rollFailures, wallMs: Date.now() - t0 };
  const checks = invariants(figures, setup.band);
  printReport(figures, checks);
  exitCode = checks.every((c) => c.ok) ? 0 : 1;
  console.log(exitCode === 0 ? '\nkill -9 drill: every invariant held' : `\nkill -9 drill FAILED: ${checks.filter((c) => !c.ok).map((c) => c.name).join('; ')}`);
} catch (err) {
  console.error(`drill:kill: the drill could not run: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  exitCode = 1;
} finally {
  provider?.destroy();
  await standIn?.stop();
  if (devnet?.child.running) await devnet.child.stop('SIGTERM');
  if (!v.keep) await rm(dir, { recursive: true, force: true });
  else console.log(`drill directory kept: ${dir}`);
}
process.exit(exitCode);

function booksLine(s: AccountingSample, pools: DrillPool[]): string {
  const live = Object.values(s.live).join('/');
  return `books ${s.ok ? 'match' : 'DIFFER'} at block ${s.block} (agent − chain: ${describeDiffs(s.diff, pools)}; live positions ${live}${s.positionMismatch.length > 0 ? `; managed position differs in ${s.positionMismatch.length} pool(s)` : ''})`;
}
