/**
 * The drill's devnet, in its own process: `rangekeeper devnet --json --simulate` (anvil, the real
 * Uniswap v4 contracts, seeded WETH/USDC pools and the market simulator), its manifest read from
 * the first stdout line.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseManifest, type DevnetManifest } from '../../src/adapters/chain/devnet/manifest.js';
import { DrillChild } from './childProcess.js';

const BIN = join(import.meta.dirname, '../../bin/rangekeeper.mjs');

export interface DevnetMarket {
  seed: number;
  /** Annualized volatility of the simulated reference price. */
  sigma: number;
  /** Simulated seconds per price step, and wall-clock ms between steps. */
  stepSeconds: number;
  intervalMs: number;
  /** Noise trades per pool per step. */
  noise: number;
}

export interface DevnetProcess {
  child: DrillChild;
  manifest: DevnetManifest;
}

/** Parses a stdout line as the manifest, or undefined for any other line. */
function manifestLine(line: string): DevnetManifest | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return parseManifest(JSON.parse(line));
  } catch {
    return undefined;
  }
}

/**
 * Starts the devnet with a simulated market; resolves once it printed its manifest. `o.pools`: how
 * many WETH/USDC pools it creates (`devnet --pools`, default the devnet's two).
 */
export async function startDevnetProcess(market: DevnetMarket, manifestFile: string, o: { pools?: number; timeoutMs?: number } = {}): Promise<DevnetProcess> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const args = [
    BIN, 'devnet', '--json', '--port', '0', '--out', manifestFile, '--seed', String(market.seed), '--simulate',
    '--sigma', String(market.sigma), '--step-seconds', String(market.stepSeconds), '--interval-ms', String(market.intervalMs), '--noise', String(market.noise),
    ...(o.pools === undefined ? [] : ['--pools', String(o.pools)]),
  ];
  // its own process group: the drill stops it (SIGSTOP) to hold the market still, and a job-control
  // wrapper around the drill (timeout, a CI runner) must not see a stopped member of its group;
  // the devnet still exits when the drill dies (it watches its parent)
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const child = new DrillChild('devnet', proc);
  const manifest = await child.waitFor(manifestLine, timeoutMs, 'manifest line').catch((err: unknown) => {
    throw new Error(`${(err as Error).message}; last output: ${child.lines.slice(-5).join(' | ')}`);
  });
  return { child, manifest };
}
