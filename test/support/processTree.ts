/**
 * Processes as the kernel sees them (Linux /proc): a launched command's whole tree of
 * descendants, and whether each of them is still alive (the same pid, not a zombie).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot: tells a reused pid from the process we saw. */
  start: string;
  cmd: string;
}

function readProc(pid: number): (Proc & { state: string }) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(f[1]), start: f[19]!, state: f[0]!, cmd };
  } catch {
    return undefined;
  }
}

/** `root` and every process below it by parent pid, at this moment. */
export function processTree(root: number): Proc[] {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readProc(Number(d))).filter((p) => p !== undefined);
  const inTree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => inTree.has(p.pid) && p.state !== 'Z').map(({ state: _state, ...p }) => p);
}

/** The processes of `procs` still running (same pid and start time, not a zombie). */
export function stillAlive(procs: Proc[]): Proc[] {
  return procs.filter((p) => {
    const now = readProc(p.pid);
    return now !== undefined && now.start === p.start && now.state !== 'Z';
  });
}

/** Polls until none of `procs` runs; resolves with the milliseconds it took, or the survivors at `timeoutMs`. */
export async function waitAllGone(procs: Proc[], timeoutMs: number): Promise<{ ms: number; survivors: Proc[] }> {
  const t0 = Date.now();
  for (;;) {
    const survivors = stillAlive(procs);
    if (survivors.length === 0 || Date.now() - t0 > timeoutMs) return { ms: Date.now() - t0, survivors };
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGKILLs whatever of `procs` still runs (test clean-up). */
export function killAll(procs: Proc[]): void {
  for (const p of stillAlive(procs)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

export interface Launched {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `re` in the output (rejects after `timeoutMs`). */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
}

/** Spawns `cmd args` in `cwd` with its output captured. */
export function launch(cmd: string, args: string[], o: { cwd: string; env?: NodeJS.ProcessEnv }): Launched {
  const child = spawn(cmd, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    child,
    output: () => out,
    waitFor: (re, timeoutMs) => new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(out);
        if (m !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${String(re)} within ${timeoutMs} ms; output:\n${out.slice(-4000)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    }),
  };
}
