/**
 * Per-pool settings, the manager's other write beside the rebalance (the spec's guards):
 * - GET /api/v1/pools/:poolId/settings (viewer): the settings in effect, what an operator set over
 *   the configuration, by whom and when.
 * - POST /api/v1/pools/:poolId/settings (manager): sets any of the range width multiplier, the roll
 *   thresholds, the pool's hedge ratio and a pause; null clears a field back to the configuration.
 *   Validated here, applied by the pool's PositionActor (its next decision uses them), kept in its
 *   checkpointed state (so they survive a restart) and, as every write, in the audit log.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AskTimeoutError } from '../../actors/core/typedActors.js';
import type { PositionState } from '../../actors/position/positionActor.js';
import { apiErrorSchema, type ApiRoutes } from '../openapi/apiRoutes.js';
import type { ApiSources } from './apiSources.js';
import { poolCommandRefusal, poolCommandResponses } from './poolCommandRefusal.js';
import { refusalResponses } from './historyRoutes.js';

const fields = {
  rangeWidthMultiplier: z.number().min(0.1).max(10).describe('multiplies the range width the strategy sizes (±2σ × risk level); 1 = as configured'),
  rebalanceThreshold: z.number().min(0).max(0.5).describe('roll when the price is within this fraction of the range width of a bound (strategy.rebalanceThreshold)'),
  apyThreshold: z.number().min(0).max(100).describe('roll when the range\'s expected fee APY falls below (strategy.apyThreshold)'),
  minCapitalEfficiency: z.number().min(0).max(1).describe('roll when capital efficiency falls below (strategy.minCapitalEfficiency)'),
  hedgeRatio: z.number().min(0).max(1).describe('share of this pool\'s delta hedged (risk.hedgeRatio for the others)'),
  paused: z.boolean().describe('true: the agent measures, reports and hedges the pool but does not roll, mint, exit or withdraw in it'),
};

export const poolSettingsPatchSchema = z.object({
  rangeWidthMultiplier: fields.rangeWidthMultiplier.nullable().optional(),
  rebalanceThreshold: fields.rebalanceThreshold.nullable().optional(),
  apyThreshold: fields.apyThreshold.nullable().optional(),
  minCapitalEfficiency: fields.minCapitalEfficiency.nullable().optional(),
  hedgeRatio: fields.hedgeRatio.nullable().optional(),
  paused: fields.paused.nullable().optional(),
}).strict().refine((p) => Object.keys(p).length > 0, { message: 'give at least one setting (null clears one)' });

const poolParams = z.object({ poolId: z.string().min(1).max(200) }).strict();

export const poolSettingsSchema = z.object({
  poolId: z.string(),
  overrides: z.object({
    rangeWidthMultiplier: fields.rangeWidthMultiplier.optional(),
    rebalanceThreshold: fields.rebalanceThreshold.optional(),
    apyThreshold: fields.apyThreshold.optional(),
    minCapitalEfficiency: fields.minCapitalEfficiency.optional(),
    hedgeRatio: fields.hedgeRatio.optional(),
    paused: fields.paused.optional(),
  }).describe('what an operator set over the configuration'),
  updatedBy: z.string().nullable(),
  updatedAt: z.number().nullable(),
});

function view(s: PositionState): z.infer<typeof poolSettingsSchema> {
  const { updatedBy = null, updatedAt = null, ...overrides } = s.settings ?? {};
  return { poolId: s.poolId, overrides, updatedBy, updatedAt };
}

export function poolSettingsRoutes(sources: ApiSources) {
  return (app: FastifyInstance, api: ApiRoutes): void => {
    const pool = (id: string): string | undefined => sources.poolIds().find((p) => p.toLowerCase() === id.toLowerCase());
    const noPool = (id: string) => ({ error: 'no-such-pool', message: `the agent manages no pool ${id} (pools: ${sources.poolIds().join(', ')})` });
    const timeout = { error: 'timeout', message: 'the position actor did not answer in time (it may be in a roll); try again' };

    api.route(app, {
      method: 'GET', url: '/api/v1/pools/:poolId/settings', access: 'viewer', tag: 'strategy', params: poolParams,
      summary: 'A pool\'s per-pool settings set by an operator over the configuration',
      responses: { 200: { description: 'the settings', schema: poolSettingsSchema }, 404: { description: 'no such pool', schema: apiErrorSchema }, ...refusalResponses },
    }, async ({ params, reply }) => {
      const id = pool(params.poolId);
      if (id === undefined) return reply.code(404).send(noPool(params.poolId));
      const s = sources.feed.snapshot().find((e) => e.kind === 'position' && e.state['poolId'] === id)?.state as unknown as PositionState | undefined;
      return reply.send(s === undefined ? { poolId: id, overrides: {}, updatedBy: null, updatedAt: null } : view(s));
    });

    api.route(app, {
      method: 'POST', url: '/api/v1/pools/:poolId/settings', access: 'manager', tag: 'strategy', params: poolParams, body: poolSettingsPatchSchema,
      summary: 'Change a pool\'s settings: range width multiplier, roll thresholds, hedge ratio, pause',
      description: 'Applied by the pool\'s PositionActor: its next decision and its next hedge report use them. Kept in its state (a restart keeps them) and in the audit log. null clears a setting back to the configuration.',
      responses: {
        200: { description: 'the settings now', schema: poolSettingsSchema }, 404: { description: 'no such pool', schema: apiErrorSchema },
        ...poolCommandResponses, 504: { description: 'no answer in time', schema: apiErrorSchema }, ...refusalResponses,
      },
    }, async ({ params, body, req, reply }) => {
      const id = pool(params.poolId);
      if (id === undefined) return reply.code(404).send(noPool(params.poolId));
      try {
        return reply.send(view(await sources.poolSettings(id, body, `api:${req.principal?.tokenId ?? '?'}`)));
      } catch (err) {
        if (err instanceof AskTimeoutError) return reply.code(504).send(timeout);
        const refused = poolCommandRefusal(err);
        if (refused !== null) return reply.code(refused.code).send(refused.body);
        throw err;
      }
    });
  };
}
