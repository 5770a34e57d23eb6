/**
 * The spec's position sync (CEX Manager `analyzeSynchronization`): per asset, the hedge the
 * LP positions require against the exposure held on the venues. A difference beyond the
 * tolerance (spec: 5% of the required hedge) is a discrepancy with a severity, and yields an
 * INCREASE_HEDGE / DECREASE_HEDGE action; actions are returned most urgent first.
 *
 * Sizes are signed base units (a short hedge is negative). Unlike the spec, the tolerance has an
 * absolute floor (`minSize`, e.g. the venue's lot) so that a zero requirement against dust is not
 * a discrepancy, and a wrong-signed hedge is always critical.
 */
import { z } from 'zod';
import { floorToStep } from './orderCheck.js';
import type { OrderSide } from './venue.js';

export type SyncSeverity = 'low' | 'medium' | 'high' | 'critical';

/** Numeric priority of each severity: higher runs first. */
export const SEVERITY_PRIORITY: Readonly<Record<SyncSeverity, number>> = { low: 1, medium: 2, high: 3, critical: 4 };

export const HedgeExposureSchema = z.object({
  asset: z.string().min(1),
  /** Perp symbol the hedge trades, e.g. "ETH/USDT:USDT". */
  symbol: z.string().min(1),
  /** Signed hedge the LP positions require (base units). */
  required: z.number().finite(),
  /** Signed position currently held on the venue (base units). */
  current: z.number().finite(),
});
export type HedgeExposure = z.infer<typeof HedgeExposureSchema>;

export const SyncOptionsSchema = z.object({
  /** Relative tolerance of the required size (spec: 0.05). */
  tolerance: z.number().nonnegative().default(0.05),
  /** Absolute tolerance floor and order rounding step in base units (venue lot). */
  minSize: z.number().nonnegative().default(0),
});
export type SyncOptions = z.input<typeof SyncOptionsSchema>;

export interface PositionDiscrepancy {
  asset: string;
  symbol: string;
  requiredExposure: number;
  currentExposure: number;
  /** required − current (signed). */
  difference: number;
  /** |difference| / |required| (Infinity when nothing is required). */
  relative: number;
  severity: SyncSeverity;
}

export interface SyncAction {
  type: 'INCREASE_HEDGE' | 'DECREASE_HEDGE';
  asset: string;
  symbol: string;
  side: OrderSide;
  /** Order size, rounded down to minSize's step (> 0). */
  size: number;
  /** True when the order only brings the position towards zero without crossing it. */
  reduceOnly: boolean;
  severity: SyncSeverity;
  priority: number;
}

export interface SyncAnalysis {
  requiresAction: boolean;
  discrepancies: PositionDiscrepancy[];
  /** Most urgent first (priority, then size). */
  actions: SyncAction[];
  syncedCount: number;
}

/** Severity of a relative discrepancy: <= 10% low, <= 25% medium, <= 50% high, else critical. */
export function discrepancySeverity(relative: number, wrongSign: boolean): SyncSeverity {
  if (wrongSign || !(relative <= 0.5)) return 'critical';
  if (relative <= 0.1) return 'low';
  if (relative <= 0.25) return 'medium';
  return 'high';
}

/** Compares required hedges with held exposure per asset; see the module comment. */
export function analyzeSynchronization(exposures: readonly HedgeExposure[], options: SyncOptions = {}): SyncAnalysis {
  const opts = SyncOptionsSchema.parse(options);
  const discrepancies: PositionDiscrepancy[] = [];
  const actions: SyncAction[] = [];
  for (const raw of exposures) {
    const e = HedgeExposureSchema.parse(raw);
    const difference = e.required - e.current;
    const threshold = Math.max(Math.abs(e.required) * opts.tolerance, opts.minSize);
    if (Math.abs(difference) <= threshold) continue;
    const relative = e.required === 0 ? Number.POSITIVE_INFINITY : Math.abs(difference) / Math.abs(e.required);
    const wrongSign = e.required !== 0 && e.current !== 0 && Math.sign(e.required) !== Math.sign(e.current);
    const severity = discrepancySeverity(relative, wrongSign);
    discrepancies.push({ asset: e.asset, symbol: e.symbol, requiredExposure: e.required, currentExposure: e.current, difference, relative, severity });
    const size = opts.minSize > 0 ? floorToStep(Math.abs(difference), opts.minSize) : Math.abs(difference);
    if (size <= 0) continue;
    const side: OrderSide = difference > 0 ? 'buy' : 'sell';
    const towardsZero = e.current !== 0 && Math.sign(difference) === -Math.sign(e.current) && size <= Math.abs(e.current);
    const increase = Math.abs(e.required) > Math.abs(e.current) && !wrongSign;
    actions.push({ type: increase ? 'INCREASE_HEDGE' : 'DECREASE_HEDGE', asset: e.asset, symbol: e.symbol, side, size, reduceOnly: towardsZero, severity, priority: SEVERITY_PRIORITY[severity] });
  }
  actions.sort((a, b) => b.priority - a.priority || b.size - a.size || a.asset.localeCompare(b.asset));
  return { requiresAction: discrepancies.length > 0, discrepancies, actions, syncedCount: exposures.length - discrepancies.length };
}
