/**
 * A strategy configuration as compare and sweep take it: read from its file (with the environment
 * overrides the agent applies), validated here — so a bad file is a usage error before any
 * worker starts — and checked to be backtestable (its hedge venue a paper venue).
 */
import { applyEnv, parseConfig, readConfigFile } from '../config/loadConfig.js';
import type { AgentConfig } from '../config/schema.js';
import { backtestVenue } from './backtestRun.js';
import type { CompareArm } from './compareStrategies.js';

export async function loadArm(name: string, file: string, env: NodeJS.ProcessEnv = process.env): Promise<CompareArm> {
  const raw = applyEnv(await readConfigFile(file), env);
  return armFrom(name, file, raw);
}

/** Validates a raw configuration into an arm. */
export function armFrom(name: string, file: string | null, raw: unknown): CompareArm {
  const cfg: AgentConfig = parseConfig(raw, file ?? name);
  backtestVenue(cfg);
  return { name, file, raw, cfg };
}
