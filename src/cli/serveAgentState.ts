import type { Agent } from '../actors/agent.js';
import { startStateFeedServer, type StateFeedServer } from '../api/stateFeedServer.js';
import type { AgentConfig } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Observability } from './observability.js';

/**
 * Serves the agent's state feed at the configured address, with the manual halt/resume routes
 * authorized by RANGEKEEPER_API_TOKEN, within the configured limits (api.limits; see the README),
 * and the Prometheus metrics at /metrics when `obs` is given.
 */
export function serveAgentState(agent: Agent, api: AgentConfig['api'], log: Logger, obs?: Observability): Promise<StateFeedServer> {
  return startStateFeedServer({
    feed: agent.feed, host: api.host, port: api.port, limits: api.limits, log, riskControl: { control: agent, apiToken: process.env['RANGEKEEPER_API_TOKEN'] },
    ...(obs === undefined ? {} : { metrics: obs.metrics }),
  });
}
