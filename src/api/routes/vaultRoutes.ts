/**
 * The spec's vault endpoints (viewer). With a vault configured (ApiSources.vault) the status is
 * the vault contract's (value at its reference price, its share price's Sharpe, drawdown and
 * return) and the portfolio a depositor's. Without one the vault is the agent's capital: GET /api/v1/vault/status answers its total value (the risk supervisor's equity: LP
 * value plus venue equity), the active positions, the current fee APY (the positions' expected
 * APY weighted by value), and from the history's equity curve the Sharpe ratio, the largest
 * drawdown and the period's return. GET /api/v1/user/:address/portfolio needs vault shares: 404
 * saying so while no vault is configured.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { queryHistory } from '../../adapters/history/historyQueries.js';
import type { Logger } from '../../logging/logger.js';
import { apiErrorSchema, type ApiRoutes } from '../openapi/apiRoutes.js';
import { equityStats, type EquityPoint } from '../vault/equityStats.js';
import { statesOf, type ApiSources } from './apiSources.js';
import { refusalResponses } from './historyRoutes.js';

const nullableNumber = z.number().nullable();

export const vaultStatusSchema = z.object({
  source: z.enum(['agent-capital', 'vault']).describe('agent-capital: no vault contract yet, the agent\'s capital stands for it'),
  totalValueUsd: nullableNumber.describe('equity: LP value plus venue equity, USD'),
  activePositions: z.number().int(),
  currentApy: nullableNumber.describe('expected fee APY of the open positions, weighted by value (fraction)'),
  sharpe: nullableNumber.describe('annualized, from the history\'s equity curve (null below 3 points)'),
  maxDrawdown: nullableNumber.describe('largest peak-to-trough drawdown of the equity curve (fraction)'),
  currentDrawdown: nullableNumber,
  periodReturn: nullableNumber.describe('last / first equity point − 1'),
  equityPoints: z.number().int(),
  since: nullableNumber.describe('first equity point, ms'),
  lastUpdate: nullableNumber.describe('newest equity point or live state, ms'),
  status: z.string().nullable().describe('running or halted'),
  vault: z.object({
    blockNumber: z.number().int(),
    totalValueUsd: z.number(),
    totalAssets: z.string().describe('raw quote units, at the reference price'),
    totalSupply: z.string(),
    sharePrice: z.string().describe('assets per 1e18 share units'),
    position: z.object({ tokenId: z.string(), tickLower: z.number().int(), tickUpper: z.number().int(), liquidity: z.string() }).nullable(),
    apy: nullableNumber.describe('annualized return of the share price over its history'),
    sharpe: nullableNumber,
    maxDrawdown: nullableNumber,
    periodReturn: nullableNumber,
    sharePricePoints: z.number().int(),
    since: nullableNumber,
    totals: z.record(z.string(), z.union([z.string(), z.number()])),
  }).optional().describe('the vault contract\'s own figures (source: vault)'),
});

const addressParams = z.object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an address: 0x and 40 hex digits') });

/** At most this many equity points are read for the statistics (newest). */
const MAX_POINTS = 10_000;

export function vaultRoutes(sources: ApiSources, log: Logger) {
  return (app: FastifyInstance, api: ApiRoutes): void => {
    api.route(app, {
      method: 'GET', url: '/api/v1/vault/status', access: 'viewer', tag: 'vault',
      summary: 'Total value, active positions, current APY, Sharpe, max drawdown, last update',
      description: 'With a vault contract (source: vault): its value at the reference price, and Sharpe, drawdown and APY of its share price (sampled at each vault event and every minute); `vault` has the raw figures. Without one the vault is the agent\'s capital (source: agent-capital), Sharpe and drawdown from the history\'s equity curve (one point a minute); without a history they are null.',
      responses: { 200: { description: 'the status', schema: vaultStatusSchema }, ...refusalResponses },
    }, async () => {
      const risk = statesOf(sources.feed, 'risk')[0];
      const positions = statesOf(sources.feed, 'position').map((e) => e.state);
      let curve: EquityPoint[] = [];
      if (sources.history !== null) {
        try {
          const db = await sources.history.database();
          const page = await queryHistory(db, 'equity', { agentId: sources.agentId, limit: MAX_POINTS });
          curve = page.rows.map((r) => ({ at: Number(r['at']), equityUsd: Number(r['equityUsd']) })).reverse();
        } catch (err) {
          log.warn({ err }, 'api: vault status without the history (database not available)');
        }
      }
      const stats = equityStats(curve);
      const active = positions.filter((p) => p['position'] !== null && p['position'] !== undefined && p['status'] !== 'exited');
      let weighted = 0;
      let weight = 0;
      for (const p of active) {
        const apy = (p['lastDecision'] as { currentAPY?: unknown } | null | undefined)?.currentAPY;
        const value = Number(p['valueUsd']);
        if (typeof apy === 'number' && Number.isFinite(apy) && value > 0) {
          weighted += apy * value;
          weight += value;
        }
      }
      const liveEquity = Number(risk?.state['equityUsd'] ?? 0);
      const lastPoint = curve.at(-1);
      const vault = sources.vault?.status === undefined ? undefined : await sources.vault.status();
      const live = {
        activePositions: active.length,
        currentApy: weight > 0 ? weighted / weight : null,
        currentDrawdown: typeof risk?.state['drawdown'] === 'number' ? risk.state['drawdown'] : null,
        lastUpdate: Math.max(lastPoint?.at ?? 0, risk?.at ?? 0) || null,
        status: typeof risk?.state['status'] === 'string' ? risk.state['status'] : null,
      };
      // with a vault: its value at the reference price and its share price's performance
      return vault !== undefined
        ? {
          ...live, source: 'vault' as const, totalValueUsd: vault.totalValueUsd, sharpe: vault.sharpe, maxDrawdown: vault.maxDrawdown,
          periodReturn: vault.periodReturn, equityPoints: vault.sharePricePoints, since: vault.since, vault,
        }
        : {
          ...live, source: 'agent-capital' as const, totalValueUsd: liveEquity > 0 ? liveEquity : lastPoint?.equityUsd ?? null, sharpe: stats.sharpe,
          maxDrawdown: stats.maxDrawdown, periodReturn: stats.periodReturn, equityPoints: stats.points, since: stats.fromMs,
        };
    });

    api.route(app, {
      method: 'GET', url: '/api/v1/user/:address/portfolio', access: 'viewer', tag: 'vault',
      summary: 'A depositor\'s vault shares and their value',
      description: 'Needs a vault: 404 (error no-vault) while none is configured, 404 (error no-shares) for an address without shares.',
      params: addressParams,
      responses: {
        200: { description: 'the portfolio', schema: z.record(z.string(), z.unknown()) },
        404: { description: 'no vault configured, or no shares', schema: apiErrorSchema },
        ...refusalResponses,
      },
    }, async ({ params, reply }) => {
      if (sources.vault === undefined) {
        return reply.code(404).send({ error: 'no-vault', message: 'no vault is configured: the agent trades its own capital, so there are no depositors\' shares (see GET /api/v1/vault/status)' });
      }
      const p = await sources.vault.portfolio(params.address.toLowerCase());
      return p ?? reply.code(404).send({ error: 'no-shares', message: `${params.address} holds no shares of the vault` });
    });
  };
}
