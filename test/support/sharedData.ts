/**
 * Where the backtester's tests find market data.
 *
 * - The day shipped in the repository (examples/data/) is always there: the core tests use it,
 *   so they run on any clone.
 * - The larger third-party datasets (nine days of Polygon minute bars, a full event-level day of
 *   the Ethereum USDC/WETH pool) live outside the repository: in RANGEKEEPER_SHARED_DATA, else
 *   in ../shared/data beside the checkout (/work/shared/data on the development machine).
 *   `requireSharedData` fails with instructions when they are absent, rather than skipping.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The shipped example day of Polygon USDC.e/WETH 0.05% minute bars (2023-08-17). */
export const EXAMPLE_MINUTE_BARS = join(REPO, 'examples/data/polygon-0x45dda9cb7c25131df268515131f647d726f50608-2023-08-17.minute.csv');

const POLYGON = 'demeter-polygon-usdc-weth-005';
const EVENTS = 'eth-usdc-weth-005-events-20240105';
const EVENTS_PREFIX = 'ethereum-0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640-2024-01-05';

/** The shared data directory if one is found (RANGEKEEPER_SHARED_DATA, ../shared/data, /work/shared/data). */
export function sharedDataDir(): string | undefined {
  const candidates = [process.env['RANGEKEEPER_SHARED_DATA'], resolve(REPO, '../shared/data'), resolve(REPO, '../../shared/data'), '/work/shared/data'];
  return candidates.find((d): d is string => d !== undefined && d !== '' && existsSync(join(d, EVENTS)) && existsSync(join(d, POLYGON)));
}

/** The shared data directory, or an error saying how to provide it. */
export function requireSharedData(): string {
  const dir = sharedDataDir();
  if (dir === undefined) {
    throw new Error(
      `These tests need the shared market datasets (${POLYGON}/ and ${EVENTS}/). Set RANGEKEEPER_SHARED_DATA to the ` +
        'directory holding them, or place it at ../shared/data beside the checkout. The sources are in each folder\'s README ' +
        '(zelos-alpha/demeter, MIT; zelos-alpha/demeter-fetch, Apache-2.0).',
    );
  }
  return dir;
}

/** The event-level day of Ethereum USDC/WETH 0.05% (2024-01-05): its decoded events and its per-position list. */
export function eventDayFiles(dir = requireSharedData()): { tick: string; positions: string } {
  return {
    tick: join(dir, EVENTS, `${EVENTS_PREFIX}.tick.csv`),
    positions: join(dir, EVENTS, `${EVENTS_PREFIX}-2024-01-05.positions.csv`),
  };
}

/** The nine Polygon minute-bar days, by date (YYYY-MM-DD). */
export function polygonMinuteBars(date: string, dir = requireSharedData()): string {
  return join(dir, POLYGON, `polygon-0x45dda9cb7c25131df268515131f647d726f50608-${date}.minute.csv`);
}
