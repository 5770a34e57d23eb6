/**
 * The agent's live state by topic (viewer), from the latest states on the feed (no actor is
 * asked, so a busy actor never slows these down): positions (all, or one pool), hedges (per asset
 * target and current, and each venue account), and risk (status, limits, equity, drawdown,
 * exposure, recent alerts).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toJsonSafe } from '../../actors/core/stateFeed.js';
import { apiErrorSchema, type ApiRoutes } from '../openapi/apiRoutes.js';
import { riskStateSchema } from '../riskControlRoutes.js';
import { statesOf, type ApiSources } from './apiSources.js';
import { refusalResponses } from './historyRoutes.js';
import { hedgeStateSchema, positionStateSchema } from './stateSchemas.js';

export function agentStateRoutes(sources: ApiSources) {
  return (app: FastifyInstance, api: ApiRoutes): void => {
    const positions = (): Record<string, unknown>[] => statesOf(sources.feed, 'position').map((e) => toJsonSafe(e.state) as Record<string, unknown>);

    api.route(app, {
      method: 'GET', url: '/api/v1/positions', access: 'viewer', tag: 'state',
      summary: 'Every pool\'s position: range, liquidity, value, PnL, fees, IL, LVR, delta, rolls, last decision',
      responses: { 200: { description: 'the positions', schema: z.object({ positions: z.array(positionStateSchema) }) }, ...refusalResponses },
    }, async () => ({ positions: positions() }));

    api.route(app, {
      method: 'GET', url: '/api/v1/positions/:poolId', access: 'viewer', tag: 'state',
      summary: 'One pool\'s position',
      params: z.object({ poolId: z.string().min(1).max(200) }),
      responses: { 200: { description: 'the position', schema: positionStateSchema }, 404: { description: 'no such pool', schema: apiErrorSchema }, ...refusalResponses },
    }, async ({ params, reply }) => {
      const p = positions().find((s) => String(s['poolId']).toLowerCase() === params.poolId.toLowerCase());
      return p ?? reply.code(404).send({ error: 'no-such-pool', message: `the agent manages no pool ${params.poolId} (pools: ${sources.poolIds().join(', ')})` });
    });

    api.route(app, {
      method: 'GET', url: '/api/v1/hedges', access: 'viewer', tag: 'state',
      summary: 'Hedges: per asset the target and current perp position, and each venue account (positions, margin, funding)',
      responses: {
        200: { description: 'the hedge state and the venues', schema: z.object({ hedge: hedgeStateSchema.nullable(), venues: z.array(z.record(z.string(), z.unknown())), router: z.record(z.string(), z.unknown()).nullable() }) },
        ...refusalResponses,
      },
    }, async () => ({
      hedge: (toJsonSafe(statesOf(sources.feed, 'hedge')[0]?.state ?? null) as Record<string, unknown> | null),
      venues: statesOf(sources.feed, 'exchange').map((e) => toJsonSafe(e.state) as Record<string, unknown>),
      router: (toJsonSafe(statesOf(sources.feed, 'venues')[0]?.state ?? null) as Record<string, unknown> | null),
    }));

    api.route(app, {
      method: 'GET', url: '/api/v1/risk', access: 'viewer', tag: 'state',
      summary: 'The risk supervisor: running or halted (and why), limits, equity, drawdown, exposure, recent alerts',
      responses: { 200: { description: 'the risk state', schema: riskStateSchema }, 404: { description: 'not published yet', schema: apiErrorSchema }, ...refusalResponses },
    }, async ({ reply }) => {
      const risk = statesOf(sources.feed, 'risk')[0];
      return risk === undefined ? reply.code(404).send({ error: 'not-yet', message: 'the risk supervisor has not published its state yet' }) : toJsonSafe(risk.state);
    });
  };
}
