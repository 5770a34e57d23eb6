import { resolve } from 'node:path';
import type { Agent } from '../actors/agent.js';
import type { Store } from '../adapters/store/store.js';
import { LEGACY_TOKEN_ID } from '../api/access/apiAccess.js';
import { ApiTokens } from '../api/access/apiTokens.js';
import { auditSink } from '../api/access/auditTrail.js';
import { agentStateRoutes } from '../api/routes/agentStateRoutes.js';
import type { ApiSources, VaultReader } from '../api/routes/apiSources.js';
import { auditRoutes } from '../api/routes/auditRoutes.js';
import { historyRoutes } from '../api/routes/historyRoutes.js';
import { strategyRoutes } from '../api/routes/strategyRoutes.js';
import { poolSettingsRoutes } from '../api/routes/poolSettingsRoutes.js';
import { vaultRoutes } from '../api/routes/vaultRoutes.js';
import { startStateFeedServer, type StateFeedServer } from '../api/stateFeedServer.js';
import type { AgentConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Observability } from './observability.js';

export interface ServeOptions {
  /** The demo: create an admin token now and answer it (printed by `start`). */
  demoToken?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The vault's portfolio and status (absent: no vault; the portfolio answers 404). */
  vault?: VaultReader;
}

/**
 * Serves the agent's HTTP API and state feed at the configured address, within the configured
 * limits (api.limits; see the README): the tokens are the ones stored in `store`
 * (`rangekeeper api-token`), plus RANGEKEEPER_API_TOKEN as a legacy admin token; audit records
 * go to the history; the metrics at /metrics when `obs` is given.
 */
export async function serveAgentState(
  agent: Agent, cfg: Pick<AgentConfig, 'api' | 'agentId'>, log: Logger, obs: Observability | undefined, store: Store | null, o: ServeOptions = {},
): Promise<{ server: StateFeedServer; adminToken: string | null }> {
  const env = o.env ?? process.env;
  const tokens = store === null ? null : new ApiTokens(store);
  const legacyToken = env['RANGEKEEPER_API_TOKEN'];
  const history = obs?.history ?? null;
  let adminToken: string | null = null;
  if (o.demoToken === true && tokens !== null) adminToken = (await tokens.add('admin', 'demo (npm start)')).token;
  if (legacyToken !== undefined && legacyToken.trim() !== '') {
    log.warn({ tokenId: LEGACY_TOKEN_ID }, 'RANGEKEEPER_API_TOKEN acts as an admin API token (id "env"); it still works, but move to named tokens: rangekeeper api-token add --role admin, then unset it');
  } else if (adminToken === null && tokens !== null && (await tokens.list()).every((t) => t.revokedAt !== null)) {
    log.warn('no API token: every route but /health answers 401 until you create one with rangekeeper api-token add --role admin (same --data-dir or --redis as the agent)');
  }
  const sources: ApiSources = {
    agentId: cfg.agentId,
    feed: agent.feed,
    history,
    // every pool of the agent: under scale-out the others' too (their states mirrored, their commands forwarded)
    poolIds: () => [...agent.poolIds],
    rebalance: (poolId, range, by) => agent.rebalance(poolId, range, by),
    poolSettings: (poolId, patch, by) => agent.poolSettings(poolId, patch, by),
    researchResultsDir: resolve(cfg.api.resultsDir),
    ...(o.vault === undefined ? {} : { vault: o.vault }),
  };
  const server = await startStateFeedServer({
    feed: agent.feed, host: cfg.api.host, port: cfg.api.port, limits: cfg.api.limits, log,
    riskControl: { control: agent },
    access: { tokens, legacyToken, audit: auditSink(cfg.agentId, history === null ? null : (r) => history.queue.push(r), log.child({ component: 'audit' })) },
    routes: [agentStateRoutes(sources), historyRoutes(sources, log), vaultRoutes(sources, log), strategyRoutes(sources, log), poolSettingsRoutes(sources), auditRoutes(sources, log)],
    ...(obs === undefined ? {} : { metrics: obs.metrics }),
  });
  return { server, adminToken };
}
