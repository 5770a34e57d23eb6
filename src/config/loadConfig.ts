/**
 * Loads the configuration: a YAML or JSON file, then environment overrides, then zod. An invalid
 * configuration throws ConfigError listing the path of every bad field (not just the first).
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { fieldIssues, type FieldIssue } from './fieldIssues.js';
import { configSchema, type AgentConfig } from './schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly source: string, readonly issues: FieldIssue[]) {
    super(`invalid configuration (${source}):\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
  }
}

/**
 * Environment variables that override the file (deployment by environment, as in the spec):
 * RANGEKEEPER_AGENT_ID, RANGEKEEPER_API_HOST, RANGEKEEPER_API_PORT, RPC_URL (comma-separated:
 * replaces chain.rpcUrls), REDIS_URL (selects the Redis store), RANGEKEEPER_DATA_DIR,
 * LOG_LEVEL.
 */
export function applyEnv(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const cfg: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const obj = (k: string): Record<string, unknown> => {
    const v = cfg[k];
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};
  };
  if (env['RANGEKEEPER_AGENT_ID'] !== undefined) cfg['agentId'] = env['RANGEKEEPER_AGENT_ID'];
  if (env['RANGEKEEPER_API_HOST'] !== undefined || env['RANGEKEEPER_API_PORT'] !== undefined) {
    const api = obj('api');
    if (env['RANGEKEEPER_API_HOST'] !== undefined) api['host'] = env['RANGEKEEPER_API_HOST'];
    if (env['RANGEKEEPER_API_PORT'] !== undefined) api['port'] = Number(env['RANGEKEEPER_API_PORT']);
    cfg['api'] = api;
  }
  if (env['RPC_URL'] !== undefined) {
    const chain = obj('chain');
    if (chain['kind'] === 'rpc') {
      chain['rpcUrls'] = env['RPC_URL'].split(',').map((s) => s.trim()).filter((s) => s !== '');
      cfg['chain'] = chain;
    }
  }
  if (env['REDIS_URL'] !== undefined) cfg['store'] = { kind: 'redis', url: env['REDIS_URL'] };
  else if (env['RANGEKEEPER_DATA_DIR'] !== undefined) cfg['store'] = { kind: 'file', dataDir: env['RANGEKEEPER_DATA_DIR'] };
  if (env['LOG_LEVEL'] !== undefined) cfg['log'] = { ...obj('log'), level: env['LOG_LEVEL'] };
  return cfg;
}

/** Validates a parsed configuration object; throws ConfigError listing every bad path. */
export function parseConfig(raw: unknown, source = 'config', env: NodeJS.ProcessEnv = {}): AgentConfig {
  const r = configSchema.safeParse(applyEnv(raw, env));
  if (r.success) return r.data;
  throw new ConfigError(source, fieldIssues(r.error));
}

/** Reads a YAML (.yaml/.yml) or JSON file into the raw (not yet validated) configuration object. */
export async function readConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '(file)', message: `cannot read: ${err instanceof Error ? err.message : String(err)}` }]);
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(file, [{ path: '(file)', message: `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${err instanceof Error ? err.message : String(err)}` }]);
  }
  return raw;
}

/** Reads and validates a YAML (.yaml/.yml) or JSON file, with environment overrides. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<AgentConfig> {
  return parseConfig(await readConfigFile(file), file, env);
}
