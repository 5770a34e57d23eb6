/**
 * `rangekeeper devnet`: a local chain with the real Uniswap v4 contracts and seeded WETH/USDC
 * pools, optionally with a simulated market, until SIGINT/SIGTERM (which stop anvil too).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startDevnet, type Devnet } from '../adapters/chain/devnet/devnet.js';
import { AnvilNotFoundError, AnvilStartError, DeployError, PortInUseError } from '../adapters/chain/devnet/errors.js';
import { writeManifest } from '../adapters/chain/devnet/manifest.js';
import { devnetPoolSpecs, MAX_DEVNET_POOLS } from '../adapters/chain/devnet/pools.js';
import { PriceCsvError, readPriceCsv } from '../adapters/chain/devnet/simulator/priceCsv.js';
import type { PricePoint } from '../adapters/chain/devnet/simulator/referencePrice.js';
import { createLogger } from '../logging/logger.js';
import { numberOption as num } from './numberOption.js';
import { CliUsageError } from './usageError.js';
import { watchParent } from './parentWatch.js';

const HELP = `usage: rangekeeper devnet [options]

Starts anvil on 127.0.0.1, deploys Uniswap v4 (PoolManager, Permit2, PositionManager, StateView,
V4Quoter, PoolSwapTest, PoolModifyLiquidityTest) and WETH/USDC test tokens, creates WETH/USDC
pools (fee 500/spacing 10 and fee 3000/spacing 60; --pools N for more) at the initial price,
seeds background liquidity, writes the manifest, and runs until Ctrl-C / SIGTERM.

options:
  --port N           port (default 8545; 0 = any free port)
  --host ADDR        address to listen on (default 127.0.0.1; 0.0.0.0 inside a container)
  --seed N           seed of the liquidity book and of the simulator (default 1)
  --block-time S     seconds per block after set-up (default: a block per transaction)
  --price P          initial price in USDC per WETH (default 3000)
  --pools N          WETH/USDC pools to create, 1-${MAX_DEVNET_POOLS} (default 2): the two above, then
                     other fee (100, 500, 1000, 2500, 3000, 10000) × tick spacing (5-60) pairs
  --out FILE         where to write the manifest (default .devnet/manifest.json)
  --json             print the manifest as the first line of stdout once ready (logs go to stderr)
  --vault            also deploy the vault product: VaultHook, its WETH/USDC 0.30% pool, RangeVault
  --simulate         run the market simulator (reference price, arbitrageur, noise traders)
  --sigma X          simulator: annualized volatility of the GBM path (default 0.8)
  --drift X          simulator: annualized drift (default 0)
  --step-seconds S   simulator: simulated seconds per price step (default 60)
  --interval-ms MS   simulator: wall-clock milliseconds between steps (default 1000)
  --noise N          simulator: noise trades per pool per step (default 2)
  --csv FILE         simulator: replay timestamp,price rows from FILE instead of GBM
`;

/** `rangekeeper devnet ...`; resolves with the exit code after a signal stopped the devnet. */
export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '8545' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
        'block-time': { type: 'string' },
        price: { type: 'string' },
        pools: { type: 'string' },
        out: { type: 'string', default: '.devnet/manifest.json' },
        json: { type: 'boolean', default: false },
        simulate: { type: 'boolean', default: false },
        vault: { type: 'boolean', default: false },
        sigma: { type: 'string' },
        drift: { type: 'string' },
        'step-seconds': { type: 'string' },
        'interval-ms': { type: 'string' },
        noise: { type: 'string' },
        csv: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new CliUsageError(`${(err as Error).message}\n${HELP}`);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const port = num('port', v.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer 0-65535')!;
  const seed = num('seed', v.seed, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'an integer 0..2^32-1');
  const blockTime = num('block-time', v['block-time'], (n) => n > 0, 'a positive number of seconds');
  const price = num('price', v.price, (n) => n > 0 && n < 1e21, 'a positive number');
  const poolCount = num('pools', v.pools, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_DEVNET_POOLS, `an integer 1-${MAX_DEVNET_POOLS}`);
  const sigma = num('sigma', v.sigma, (n) => n >= 0, 'a non-negative number');
  const drift = num('drift', v.drift, () => true, 'a number');
  const stepSeconds = num('step-seconds', v['step-seconds'], (n) => n > 0, 'a positive number');
  const intervalMs = num('interval-ms', v['interval-ms'], (n) => n >= 0, 'a non-negative number');
  const noise = num('noise', v.noise, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
  const simOnly = { sigma, drift, 'step-seconds': stepSeconds, 'interval-ms': intervalMs, noise, csv: v.csv };
  const stray = Object.entries(simOnly).filter(([, x]) => x !== undefined).map(([k]) => `--${k}`);
  if (!v.simulate && stray.length > 0) throw new CliUsageError(`${stray.join(', ')} only apply with --simulate`);

  // With --json, stdout carries only the manifest line: logs go to stderr.
  const logger = createLogger({ name: 'devnet', destination: v.json ? process.stderr : process.stdout });
  let path: PricePoint[] | undefined;
  if (v.csv !== undefined) {
    try {
      path = await readPriceCsv(v.csv);
    } catch (err) {
      console.error(`rangekeeper devnet: ${err instanceof PriceCsvError ? err.message : `cannot read ${v.csv}: ${(err as Error).message}`}`);
      return 1;
    }
  }
  const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;

  // Signals that arrive while starting are honoured as soon as start-up finishes.
  let stopRequested: NodeJS.Signals | undefined;
  let wake: (() => void) | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    stopRequested ??= sig;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const unwatch = watchParent(() => onSignal('SIGHUP'));
  let devnet: Devnet | undefined;
  try {
    devnet = await startDevnet({
      port,
      host: v.host,
      logger,
      ...defined({ seed, blockTime, initialPrice: price }),
      vault: v.vault,
      ...(poolCount === undefined ? {} : { pools: devnetPoolSpecs(poolCount) }),
      ...(v.simulate ? { simulate: defined({ sigma, drift, stepSeconds, intervalMs, noiseTradesPerStep: noise, path }) } : {}),
    });
    const out = resolve(v.out);
    await writeManifest(out, devnet.manifest);
    if (v.json) process.stdout.write(`${JSON.stringify(devnet.manifest)}\n`);
    else {
      const m = devnet.manifest;
      console.log([
        `devnet ready: ${m.rpcUrl} (ws ${m.wsUrl}, chain ${m.chainId}, anvil pid ${devnet.anvil.pid})`,
        `manifest: ${out}`,
        `PoolManager ${m.contracts.poolManager}, PositionManager ${m.contracts.positionManager}, StateView ${m.contracts.stateView}`,
        ...m.pools.map((p) => `pool ${p.token0}/${p.token1} fee ${p.key.fee} spacing ${p.key.tickSpacing}: ${p.id}`),
        `agent account: ${m.accounts.find((a) => a.role === 'agent')?.address ?? '-'}`,
        ...(m.vault === undefined ? [] : [`vault ${m.vault.vault}, hook ${m.vault.hook}, pool ${m.vault.pool.id} (manager: the agent account)`]),
        v.simulate ? 'market simulator running' : 'no market simulator (add --simulate)',
        'Ctrl-C to stop',
      ].join('\n'));
    }
    if (stopRequested === undefined) await new Promise<void>((r) => (wake = r));
    logger.info({ signal: stopRequested }, 'stopping devnet');
    return 0;
  } catch (err) {
    if (err instanceof PortInUseError || err instanceof AnvilNotFoundError || err instanceof AnvilStartError || err instanceof DeployError) {
      console.error(`rangekeeper devnet: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await devnet?.stop();
    unwatch();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
