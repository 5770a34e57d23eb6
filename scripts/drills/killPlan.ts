/**
 * When the drill kills the agent: right after the roll's re-balancing swap is mined (before the
 * roll is sent), right after a hedge order is placed, during start-up reconciliation, or at a
 * random moment. A plan spreads the kills evenly over the four, in a seeded random order.
 */
import type { SeededRandom } from '../../src/math/seededRandom.js';

export const MOMENTS = ['swap', 'hedge', 'reconcile', 'random'] as const;
export type Moment = (typeof MOMENTS)[number];

/** `kills` moments, each kind as often as the count allows, shuffled. */
export function killPlan(kills: number, rng: SeededRandom): Moment[] {
  const plan: Moment[] = Array.from({ length: kills }, (_, i) => MOMENTS[i % MOMENTS.length]!);
  for (let i = plan.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  return plan;
}
