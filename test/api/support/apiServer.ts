/**
 * The agent's full HTTP API on loopback over a test agent (the actors' fixture): every route
 * module, tokens in the agent's memory store (one of each role), audit records written to an
 * embedded PGlite history.
 */
import { ApiTokens } from '../../../src/api/access/apiTokens.js';
import { auditSink } from '../../../src/api/access/auditTrail.js';
import type { ApiRole } from '../../../src/api/access/apiRoles.js';
import { agentStateRoutes } from '../../../src/api/routes/agentStateRoutes.js';
import type { ApiSources } from '../../../src/api/routes/apiSources.js';
import { auditRoutes } from '../../../src/api/routes/auditRoutes.js';
import { historyRoutes } from '../../../src/api/routes/historyRoutes.js';
import { strategyRoutes } from '../../../src/api/routes/strategyRoutes.js';
import { poolSettingsRoutes } from '../../../src/api/routes/poolSettingsRoutes.js';
import { vaultRoutes } from '../../../src/api/routes/vaultRoutes.js';
import { startStateFeedServer, type StateFeedServer } from '../../../src/api/stateFeedServer.js';
import type { ServerLimits } from '../../../src/api/serverLimits.js';
import { historyConfigSchema } from '../../../src/adapters/history/historyConfig.js';
import { openHistory, type History } from '../../../src/adapters/history/openHistory.js';
import { createLogger } from '../../../src/logging/logger.js';
import { startFixture, type Fixture } from '../../actors/support/fixture.js';

let rigs = 0;

/** The embedded history the rigs of a test file share (PGlite takes seconds to boot): each rig records as its own agent id. */
export async function openTestHistory(): Promise<History> {
  const log = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const history = openHistory(historyConfigSchema.parse({ flushMs: 50 }), { agentId: 'api-test', log, env: {} });
  await history.database();
  return history;
}

export interface Answer {
  status: number;
  json: Record<string, unknown>;
}

export interface ApiRig {
  agentId: string;
  f: Fixture;
  server: StateFeedServer;
  history: History;
  tokens: ApiTokens;
  /** One token of each role. */
  token: Record<ApiRole, string>;
  call(method: string, path: string, o?: { token?: string; body?: unknown }): Promise<Answer>;
  stop(): Promise<void>;
}

export async function startApiRig(history: History, limits: Partial<ServerLimits> = {}, o: { resultsDir?: string } = {}): Promise<ApiRig> {
  const log = createLogger({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const AGENT_ID = `api-test-${process.pid}-${++rigs}`;
  const f = await startFixture();
  await f.move(3000);
  const tokens = new ApiTokens(f.store);
  const token = {
    viewer: (await tokens.add('viewer', 'viewer test')).token,
    manager: (await tokens.add('manager', 'manager test')).token,
    admin: (await tokens.add('admin', 'admin test')).token,
  };
  const sources: ApiSources = {
    agentId: AGENT_ID, feed: f.agent.feed, history,
    poolIds: () => f.pools.map((p) => p.poolId),
    rebalance: (poolId, range, by) => f.agent.rebalance(poolId, range, by),
    poolSettings: (poolId, patch, by) => f.agent.poolSettings(poolId, patch, by),
    ...(o.resultsDir === undefined ? {} : { researchResultsDir: o.resultsDir }),
  };
  const server = await startStateFeedServer({
    feed: f.agent.feed, host: '127.0.0.1', port: 0, log, limits,
    riskControl: { control: f.agent },
    access: { tokens, audit: auditSink(AGENT_ID, (r) => history.queue.push(r), log) },
    routes: [agentStateRoutes(sources), historyRoutes(sources, log), vaultRoutes(sources, log), strategyRoutes(sources, log), poolSettingsRoutes(sources), auditRoutes(sources, log)],
  });
  const call: ApiRig['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.token !== undefined) headers['authorization'] = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.httpUrl}${path}`, { method, headers, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = { text };
    }
    return { status: res.status, json: json as Record<string, unknown> };
  };
  return {
    agentId: AGENT_ID, f, server, history, tokens, token, call,
    stop: async () => {
      await server.close();
      await f.stop();
    },
  };
}
