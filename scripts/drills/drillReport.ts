/**
 * The drill's verdict: each invariant with its figures, and the summary table (kills by moment,
 * rolls and swaps per roll, orders and client order ids, the largest accounting difference per
 * token, the hedge error at the end, start-up and exit times).
 */
import type { CycleResult } from './killCycle.js';
import type { SwapsAndRolls } from './agentSwapsAndRolls.js';
import type { StandInReport } from './venueMessages.js';
import { HEDGE_SETTLED_SAMPLES, hedgeSettled, type HedgeSample } from './hedgeCheck.js';
import type { AccountingSample } from './accountingCheck.js';
import type { DrillPool } from './drillSetup.js';
import { describeDiffs } from './tokenAmounts.js';

export interface DrillFigures {
  cycles: CycleResult[];
  final: { accounting: AccountingSample | null; accountingError: string | null; hedge: HedgeSample[]; startMs: number | null };
  history: SwapsAndRolls;
  venue: StandInReport;
  exits: Record<string, { ms: number; how: string }>;
  /** 'roll failed' lines the agent logged over the whole drill. */
  rollFailures: number;
  pools: DrillPool[];
  wallMs: number;
}

export interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
}


/** Every books check taken: after each restart and at the end. */
function samples(f: DrillFigures): AccountingSample[] {
  return [...f.cycles.map((c) => c.accounting), f.final.accounting].filter((s): s is AccountingSample => s !== null);
}

/** The largest |agent − chain| per token symbol over all checks, raw units (signed). */
export function largestDifference(f: DrillFigures): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const s of samples(f)) {
    for (const [sym, d] of Object.entries(s.diff)) {
      const cur = out[sym] ?? 0n;
      if ((d < 0n ? -d : d) > (cur < 0n ? -cur : cur)) out[sym] = d;
      else out[sym] ??= 0n;
    }
  }
  return out;
}

/** The most any check saw the pools' sagas take from the wallet's float (fromFloat), per token symbol, raw units. */
export function largestFromFloat(f: DrillFigures): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const s of samples(f)) {
    const sum: Record<string, bigint> = {};
    for (const pool of f.pools) {
      const p = s.state.positions.find((x) => x.poolId.toLowerCase() === pool.poolId.toLowerCase());
      sum[pool.token0.symbol] = (sum[pool.token0.symbol] ?? 0n) + BigInt(p?.fromFloat?.amount0 ?? '0');
      sum[pool.token1.symbol] = (sum[pool.token1.symbol] ?? 0n) + BigInt(p?.fromFloat?.amount1 ?? '0');
    }
    for (const [sym, v] of Object.entries(sum)) out[sym] = v > (out[sym] ?? 0n) ? v : (out[sym] ?? 0n);
  }
  return out;
}

function stats(xs: number[]): string {
  if (xs.length === 0) return '-';
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `min ${(s[0]! / 1000).toFixed(1)} s, median ${(q(0.5) / 1000).toFixed(1)} s, max ${(s[s.length - 1]! / 1000).toFixed(1)} s`;
}

/** Rolls with more than one swap before them: with a kill between the first swap and the roll, and without. */
export function multiSwapRolls(f: DrillFigures): { afterKill: number; withoutKill: number } {
  const kills = f.cycles.map((c) => c.killBlock).filter((b): b is number => b !== null);
  let afterKill = 0;
  let withoutKill = 0;
  for (const r of f.history.rolls) {
    if (r.swapsBefore <= 1) continue;
    const first = r.swapBlocks[0]!;
    if (kills.some((k) => k >= first && k < r.block)) afterKill += 1;
    else withoutKill += 1;
  }
  return { afterKill, withoutKill };
}

/** Checks every invariant against the figures. */
export function invariants(f: DrillFigures, band: number): Invariant[] {
  const all = samples(f);
  const liveBad = all.filter((s) => Object.values(s.live).some((n) => n !== 1));
  const strandedAt = all.filter((s) => s.stranded.length > 0);
  const ids = f.venue.requests.map((r) => r.clientId);
  const distinct = new Set(ids).size;
  const unrolled = Object.values(f.history.unrolledSwaps);
  const mismatched = all.filter((s) => !s.ok);
  const diff = largestDifference(f);
  const unchecked = f.cycles.filter((c) => c.actual !== 'reconcile' && c.accounting === null);
  const hedgeLast = f.final.hedge.at(-1);
  const hedgeOk = hedgeSettled(f.final.hedge);
  const exited = f.cycles.filter((c) => c.actual === 'exited');
  const multi = multiSwapRolls(f);
  return [
    { name: 'agent comes back after every kill', ok: exited.length === 0 && f.final.startMs !== null, detail: exited.length === 0 ? `${f.cycles.length} restarts` : `${exited.length} start(s) ended on their own: ${exited.map((c) => c.tail.slice(-2).join(' | ')).join(' || ')}` },
    { name: 'exactly one live position per pool', ok: liveBad.length === 0, detail: liveBad.length === 0 ? `${all.length} checks` : `${liveBad.length} check(s) saw ${liveBad.map((s) => JSON.stringify(s.live)).join(', ')}` },
    { name: 'no stranded liquidity', ok: strandedAt.length === 0, detail: strandedAt.length === 0 ? 'every live position is the one the agent manages' : `live positions the agent does not manage: ${[...new Set(strandedAt.flatMap((s) => s.stranded))].join(', ')}` },
    { name: 'zero duplicate client order ids', ok: distinct === ids.length && f.venue.duplicateRejections === 0, detail: `${ids.length} order requests, ${distinct} distinct client order ids, ${f.venue.duplicateRejections} refused as duplicates` },
    { name: 'at most one re-balancing swap per roll', ok: f.history.maxSwapsPerRoll <= 1 && unrolled.every((n) => n <= 1), detail: `${f.history.rolls.length} rolls, max ${f.history.maxSwapsPerRoll} swaps before one; ${multi.afterKill + multi.withoutKill} roll(s) with more than one (${multi.afterKill} with a kill after the first swap, ${multi.withoutKill} without: a failed roll tried again, ${f.rollFailures} 'roll failed' logged); swaps not followed by a roll: ${unrolled.reduce((a, b) => a + b, 0)}` },
    { name: "agent's books equal the wallet after every restart", ok: mismatched.length === 0 && unchecked.length === 0 && f.final.accounting !== null, detail: `${all.length - mismatched.length}/${all.length} checks matched; largest difference ${describeDiffs(diff, f.pools)}${unchecked.length > 0 ? `; ${unchecked.length} start(s) not checked: ${[...new Set(unchecked.map((c) => c.accountingError))].join('; ')}` : ''}${f.final.accountingError === null ? '' : `; final: ${f.final.accountingError}`}` },
    { name: `hedge within ${band * 100}% of the chain's target within the window after the last restart`, ok: hedgeOk, detail: hedgeLast === undefined ? 'not measured' : `${hedgeOk ? `within for ${HEDGE_SETTLED_SAMPLES} samples in a row` : 'not settled within the band'} after ${(hedgeLast.afterMs / 1000).toFixed(1)} s: venue ${hedgeLast.venue.toFixed(4)} vs target ${hedgeLast.target.toFixed(4)} (error ${(hedgeLast.error * 100).toFixed(2)}%)` },
  ];
}

/** Prints the summary table and the invariants. */
export function printReport(f: DrillFigures, checks: Invariant[]): void {
  const byMoment = new Map<string, number>();
  for (const c of f.cycles) {
    const k = c.actual === c.planned ? c.actual : `${c.planned}→${c.actual}`;
    byMoment.set(k, (byMoment.get(k) ?? 0) + 1);
  }
  const diff = largestDifference(f);
  const hedgeLast = f.final.hedge.at(-1);
  const ids = f.venue.requests.map((r) => r.clientId);
  const multi = multiSwapRolls(f);
  const rows: [string, string][] = [
    ['kills', `${f.cycles.length} (${[...byMoment.entries()].map(([k, n]) => `${k} ${n}`).join(', ')})`],
    ['rolls on chain', `${f.history.rolls.length} (mints ${f.history.mints}, withdrawals ${f.history.withdrawals})`],
    ['agent swaps', `${f.history.swaps}; max per roll ${f.history.maxSwapsPerRoll}; rolls with more than one: ${multi.afterKill} after a kill, ${multi.withoutKill} without; not followed by a roll: ${Object.values(f.history.unrolledSwaps).reduce((a, b) => a + b, 0)}`],
    ["'roll failed' logged", String(f.rollFailures)],
    ['orders', `${ids.length} requests, ${f.venue.accepted} accepted, ${new Set(ids).size} distinct client order ids, ${f.venue.duplicateRejections} duplicate refusals`],
    ['largest accounting diff', describeDiffs(diff, f.pools) || '-'],
    ['books checks', `${samples(f).filter((s) => s.ok).length}/${samples(f).length} matched`],
    ['taken from the float (fromFloat)', describeDiffs(largestFromFloat(f), f.pools) || '-'],
    ['hedge at the end', hedgeLast === undefined ? '-' : `venue ${hedgeLast.venue.toFixed(4)} ETH vs target ${hedgeLast.target.toFixed(4)} ETH, error ${(hedgeLast.error * 100).toFixed(2)}% (after ${(hedgeLast.afterMs / 1000).toFixed(1)} s)`],
    ['agent risk status at the end', f.final.accounting === null ? '-' : `${f.final.accounting.state.risk?.status ?? '-'}${f.final.accounting.state.risk?.reason ? ` (${f.final.accounting.state.risk.reason})` : ''}`],
    ['agent start-up (spawn → reconciled)', stats(f.cycles.map((c) => c.startMs).filter((x): x is number => x !== null))],
    ['exit times', Object.entries(f.exits).map(([k, e]) => `${k} ${(e.ms / 1000).toFixed(1)} s (${e.how})`).join(', ')],
    ['drill wall time', `${(f.wallMs / 1000).toFixed(0)} s`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log('\n── kill -9 drill ──');
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  console.log('');
  for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
}
