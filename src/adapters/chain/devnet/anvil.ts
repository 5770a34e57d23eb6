/**
 * Starts and stops a local anvil node (from the @foundry-rs/anvil npm package) so that no anvil
 * process outlives us.
 *
 * anvil runs under a tiny `sh` guardian in a process group of its own:
 * - stop() signals the whole group and waits until anvil's pid is gone;
 * - when this Node process exits normally an exit hook SIGKILLs the group;
 * - when this Node process dies without running hooks (SIGKILL, crash), the guardian notices
 *   within a second that its parent pid is gone and terminates anvil.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AnvilNotFoundError, AnvilStartError, PortInUseError } from './errors.js';

/** EVM hardforks with transient storage (EIP-1153), which Uniswap v4 needs. */
export type AnvilHardfork = 'cancun' | 'prague';

export interface AnvilOptions {
  /** TCP port; 0 (the default) lets the OS pick a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1 (0.0.0.0 only inside a container). */
  host?: string;
  /** Seconds between blocks; absent = automine (a block per transaction). */
  blockTime?: number;
  /** Default 'prague'. */
  hardfork?: AnvilHardfork;
  /** Default 31337. */
  chainId?: number;
  /** Number of funded dev accounts from anvil's default mnemonic; default 10. */
  accounts?: number;
  /** ETH balance of each dev account; default 10000. */
  balanceEth?: number;
  /** Path to the anvil binary; default RANGEKEEPER_ANVIL_BIN or the one installed by npm. */
  binary?: string;
  /** How long to wait for anvil to listen; default 20 s. */
  readyTimeoutMs?: number;
}

/** A running anvil node. */
export interface Anvil {
  /** The anvil process id (the thing that must not be left behind). */
  readonly pid: number;
  /** Id of the process group anvil and its guardian run in. */
  readonly processGroup: number;
  readonly host: string;
  readonly port: number;
  readonly rpcUrl: string;
  readonly wsUrl: string;
  readonly chainId: number;
  /** Stops anvil and resolves once its process is gone. Safe to call more than once. */
  stop(): Promise<void>;
  /** The last few kilobytes anvil printed, for diagnostics. */
  output(): string;
}

const HOST = '127.0.0.1';
const OUTPUT_KEEP = 16_384;

// Runs "$@" (anvil) in the background, prints its pid, and kills it when told to stop or when the
// Node parent whose pid is in RK_PARENT_PID disappears.
const GUARDIAN = [
  '"$@" &',
  'a=$!',
  'echo "rangekeeper-anvil-pid $a"',
  "trap 'kill -TERM $a 2>/dev/null; wait $a; exit 0' TERM INT HUP",
  'while kill -0 "$RK_PARENT_PID" 2>/dev/null && kill -0 "$a" 2>/dev/null; do sleep 1 & wait $!; done',
  'kill -TERM "$a" 2>/dev/null',
  'wait "$a"',
].join('\n');

/** Returns the path of the anvil binary installed by npm, or throws AnvilNotFoundError. */
export function resolveAnvilBinary(explicit?: string): string {
  const tried: string[] = [];
  const candidates: string[] = [];
  if (explicit !== undefined) candidates.push(explicit);
  const fromEnv = process.env['RANGEKEEPER_ANVIL_BIN'];
  if (explicit === undefined && fromEnv !== undefined && fromEnv !== '') candidates.push(fromEnv);
  if (explicit === undefined) {
    const arch = process.arch === 'x64' ? 'amd64' : process.arch;
    const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
    const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
    try {
      const require = createRequire(import.meta.url);
      candidates.push(join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', exe));
    } catch {
      tried.push(`${pkg} (package not installed)`);
    }
  }
  for (const c of candidates) {
    if (existsSync(c)) return c;
    tried.push(c);
  }
  throw new AnvilNotFoundError(tried);
}

/** True while `pid` names a live process (a zombie awaiting its reaper counts as gone). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs (macOS): trust kill(0)
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns anvil on 127.0.0.1 and resolves once it listens. Throws PortInUseError when the port is
 * taken, AnvilNotFoundError when there is no binary, AnvilStartError for anything else.
 */
export async function startAnvil(opts: AnvilOptions = {}): Promise<Anvil> {
  const binary = resolveAnvilBinary(opts.binary);
  const requestedPort = opts.port ?? 0;
  const chainId = opts.chainId ?? 31337;
  const clientHost = opts.host === undefined || opts.host === '0.0.0.0' ? HOST : opts.host;
  const args = [
    '--host', opts.host ?? HOST,
    '--port', String(requestedPort),
    '--hardfork', opts.hardfork ?? 'prague',
    '--chain-id', String(chainId),
    '--accounts', String(opts.accounts ?? 10),
    '--balance', String(opts.balanceEth ?? 10_000),
  ];
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime));

  const child: ChildProcess = spawn('sh', ['-c', GUARDIAN, 'rangekeeper-anvil', binary, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RK_PARENT_PID: String(process.pid) },
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new AnvilStartError('could not spawn sh to run anvil', '', null);

  let out = '';
  const append = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    if (out.length > OUTPUT_KEEP * 2) out = out.slice(-OUTPUT_KEEP);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const onExit = (): void => killGroup(pgid, 'SIGKILL');
  process.on('exit', onExit);

  let guardianExited = false;
  const guardianExit = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      guardianExited = true;
      resolve(code);
    });
  });

  const ready = await new Promise<{ pid: number; port: number }>((resolve, reject) => {
    let anvilPid: number | undefined;
    const timeoutMs = opts.readyTimeoutMs ?? 20_000;
    const timer = setTimeout(() => {
      cleanup();
      killGroup(pgid, 'SIGKILL');
      reject(new AnvilStartError(`anvil did not listen within ${timeoutMs} ms`, out, null));
    }, timeoutMs);
    const check = (): void => {
      const pidMatch = /rangekeeper-anvil-pid (\d+)/.exec(out);
      if (pidMatch !== null) anvilPid = Number(pidMatch[1]);
      const listen = /Listening on [\d.]+:(\d+)/.exec(out);
      if (listen !== null && anvilPid !== undefined) {
        cleanup();
        resolve({ pid: anvilPid, port: Number(listen[1]) });
      }
    };
    const onGuardianExit = (code: number | null): void => {
      cleanup();
      killGroup(pgid, 'SIGKILL');
      if (/Address already in use/i.test(out)) reject(new PortInUseError(HOST, requestedPort));
      else reject(new AnvilStartError('anvil exited before it was ready', out, code));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.removeListener('close', onGuardianExit);
    };
    child.stdout?.on('data', check);
    // anvil prints "Address already in use" and exits, then the guardian exits; 'close' comes
    // after their output has been read, so the message is in `out` by then.
    child.on('close', onGuardianExit);
  }).catch((err: unknown) => {
    process.removeListener('exit', onExit);
    throw err;
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      killGroup(pgid, 'SIGTERM');
      const deadline = Date.now() + 5_000;
      while ((isProcessAlive(ready.pid) || !guardianExited) && Date.now() < deadline) await sleep(25);
      if (isProcessAlive(ready.pid) || !guardianExited) {
        killGroup(pgid, 'SIGKILL');
        try {
          process.kill(ready.pid, 'SIGKILL');
        } catch {
          // gone
        }
        await Promise.race([guardianExit, sleep(2_000)]);
        while (isProcessAlive(ready.pid) && Date.now() < deadline + 5_000) await sleep(25);
      }
      child.stdout?.removeAllListeners('data');
      child.stderr?.removeAllListeners('data');
      process.removeListener('exit', onExit);
    })();
    return stopping;
  };

  return {
    pid: ready.pid,
    processGroup: pgid,
    host: opts.host ?? HOST,
    port: ready.port,
    // Clients on this machine reach a wildcard bind through loopback.
    rpcUrl: `http://${clientHost}:${ready.port}`,
    wsUrl: `ws://${clientHost}:${ready.port}`,
    chainId,
    stop,
    output: () => out,
  };
}
