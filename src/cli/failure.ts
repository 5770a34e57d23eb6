/**
 * The CLI's one error boundary: every failure a user can cause becomes ONE line on stderr and
 * an exit code — 2 for usage (bad flags, arguments or configuration), 1 for runtime (a busy
 * port, an unreachable Redis or RPC, a locked data directory, a key or venue refusal). No stack
 * trace is printed unless RANGEKEEPER_DEBUG=1. Messages name what is wrong, never a secret: the
 * errors mapped here are built without secret values (see walletKey.ts, keyErrors.ts).
 */
import { ChainIdMismatchError, RpcUnreachableError } from '../adapters/chain/errors.js';
import { VenueError } from '../adapters/exchange/errors.js';
import { KeyStoreError } from '../adapters/keys/keyErrors.js';
import { WalletKeyError } from '../adapters/keys/walletKey.js';
import { DataDirLockedError } from '../adapters/store/fileLock.js';
import { StoreUnavailableError } from '../adapters/store/redisStore.js';
import { ConfigError } from '../config/loadConfig.js';
import { NotifyConfigError } from '../adapters/notify/channels.js';
import { ApiTokenError } from '../api/access/apiTokens.js';
import { CliUsageError } from './usageError.js';

export interface Failure {
  exitCode: 1 | 2;
  line: string;
}

/** Node's own error codes the user can cause, with what to say about them. */
function systemFailure(err: NodeJS.ErrnoException & { address?: string; port?: number }): string | null {
  const where = err.port === undefined ? '' : ` ${err.address ?? ''}:${err.port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `cannot listen on${where}: the port is already in use; pick another with --port (or RANGEKEEPER_API_PORT / api.port)`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on${where}: the address is not available on this machine; check --host (or RANGEKEEPER_API_HOST / api.host)`;
    case 'EACCES':
      return err.syscall === 'listen' ? `cannot listen on${where}: permission denied (ports below 1024 need privileges)` : `permission denied: ${err.path ?? err.message}`;
    case 'ENOENT':
      return `no such file or directory: ${err.path ?? err.message}`;
    default:
      return null;
  }
}

/** First line only: a multi-line message (a help text appended) must not spill. */
const firstLine = (s: string): string => s.split('\n', 1)[0]!.trim();

/** Maps any error thrown by a command to its one line and exit code. */
export function describeFailure(err: unknown): Failure {
  if (err instanceof CliUsageError || err instanceof WalletKeyError || err instanceof NotifyConfigError) return { exitCode: 2, line: firstLine(err.message) };
  if (err instanceof ApiTokenError) return { exitCode: err.code === 'BAD_INPUT' ? 2 : 1, line: firstLine(err.message) };
  if (err instanceof ConfigError) {
    return { exitCode: 2, line: `invalid configuration (${err.source}): ${err.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` };
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    // util.parseArgs: unknown option, missing value, unexpected positional
    return { exitCode: 2, line: firstLine(err.message.replace(/\. To specify a positional argument.*$/s, '')) };
  }
  if (err instanceof DataDirLockedError || err instanceof StoreUnavailableError || err instanceof RpcUnreachableError
    || err instanceof ChainIdMismatchError || err instanceof KeyStoreError || err instanceof VenueError) {
    return { exitCode: 1, line: firstLine(err.message) };
  }
  if (err instanceof Error && typeof code === 'string') {
    const line = systemFailure(err as NodeJS.ErrnoException);
    if (line !== null) return { exitCode: 1, line };
  }
  const message = err instanceof Error ? `${err.name}: ${firstLine(err.message)}` : firstLine(String(err));
  return { exitCode: 1, line: `${message} (set RANGEKEEPER_DEBUG=1 for the stack trace)` };
}
