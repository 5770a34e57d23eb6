/**
 * Pools mode (several processes, each owning some pools): a manager's command for a pool another
 * process owns is carried out by that owner (store/poolCommands.ts). What the API answers when
 * that cannot happen: 503 while the pool has no owner that can take it (it is moving between
 * processes; the message names the owner, if any), 504 when the owner did not answer in time.
 */
import { PoolCommandTimeoutError, PoolOwnerError } from '../../adapters/store/poolCommands.js';
import { apiErrorSchema } from '../openapi/apiRoutes.js';

export const poolCommandResponses = {
  503: { description: 'pools mode: the pool is moving between processes (no owner can take the command now); ask again', schema: apiErrorSchema },
} as const;

/** The answer to a forwarded command that failed for want of an owner, or null for any other error. */
export function poolCommandRefusal(err: unknown): { code: 503 | 504; body: { error: string; message: string } } | null {
  if (err instanceof PoolOwnerError) return { code: 503, body: { error: 'pool-moving', message: `${err.message}${err.owner === null ? '' : ` (owner: ${err.owner})`}` } };
  if (err instanceof PoolCommandTimeoutError) return { code: 504, body: { error: 'timeout', message: err.message } };
  return null;
}
