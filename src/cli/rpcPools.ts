/**
 * The pools of an RPC configuration as on-chain pools: each configured poolId must be the id
 * of its PoolKey (token addresses, fee, tickSpacing, hooks) and token0 the lower address. Both
 * `run` and `run --check` use it, so a placeholder poolId (the example's zeros) fails the check
 * that `run` would fail on.
 */
import { InvalidPoolKeyError } from '../adapters/chain/errors.js';
import type { OnChainPool } from '../adapters/chain/onchain/onChainPort.js';
import { makePoolKey, poolIdOf } from '../adapters/chain/poolId.js';
import { poolDescriptor } from '../config/agentSettings.js';
import type { FieldIssue } from '../config/fieldIssues.js';
import { ConfigError } from '../config/loadConfig.js';
import type { AgentConfig } from '../config/schema.js';

/** The checked pools of `cfg` (chain.kind rpc); throws ConfigError listing every mismatch. */
export function rpcPools(cfg: AgentConfig, source: string): OnChainPool[] {
  const pools: OnChainPool[] = [];
  const issues: FieldIssue[] = [];
  for (const [i, p] of cfg.pools.entries()) {
    let key;
    try {
      key = makePoolKey(p.token0.address!, p.token1.address!, p.fee, p.tickSpacing, p.hooks);
    } catch (err) {
      if (!(err instanceof InvalidPoolKeyError)) throw err;
      issues.push({ path: `pools.${i}`, message: err.message });
      continue;
    }
    const id = poolIdOf(key);
    if (id.toLowerCase() !== p.poolId!.toLowerCase()) {
      issues.push({ path: `pools.${i}.poolId`, message: `${p.poolId} is not the id of its PoolKey (${id}); check the token addresses, fee, tickSpacing and hooks` });
    } else if (key.currency0.toLowerCase() !== p.token0.address!.toLowerCase()) {
      issues.push({ path: `pools.${i}.token0`, message: `token0 must be the lower address (currency0 = ${key.currency0})` });
    } else {
      pools.push({ desc: poolDescriptor(p, id), key });
    }
  }
  if (issues.length > 0) throw new ConfigError(source, issues);
  return pools;
}
