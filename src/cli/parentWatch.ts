/**
 * Notices that the process which launched us went away. `npx` (npm exec) runs a command through
 * `sh -c`, and npm passes SIGTERM and SIGINT only to that shell: SIGTERM kills the shell and not
 * us, SIGINT is held by the shell. npm itself, the tsx CLI and the shell have no SIGUSR2 handler
 * and die of it. In each case a launcher above us is gone while we would run on, orphaned.
 *
 * Watched: our parent (its pid changes when we are re-parented) and, on Linux, every launcher
 * right above it (npm, npx, tsx's CLI, `sh -c`), each by pid and start time so a reused pid is
 * not mistaken for it. The first non-launcher ancestor (a login shell, systemd, a container's
 * init) is not watched: `nohup npm start &` from a shell that then exits keeps running.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** A launcher that went away. */
export interface GoneLauncher {
  pid: number;
  cmd: string;
}

interface Ancestor extends GoneLauncher {
  ppid: number;
  start: string;
}

function readAncestor(pid: number): (Ancestor & { state: string }) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(f[1]), start: f[19] ?? '', state: f[0] ?? '', cmd };
  } catch {
    return undefined;
  }
}

/** True for a command line of npm/npx (their process title or script), tsx's CLI, or `sh -c`. */
export function isLauncher(cmd: string): boolean {
  if (/^(npm|npx)( |$)/.test(cmd)) return true;
  const argv = cmd.split(' ');
  const exe = basename(argv[0] ?? '');
  if (['sh', 'dash', 'bash', 'zsh', 'ash'].includes(exe)) return argv[1] === '-c';
  if (exe === 'node' || exe === 'nodejs') {
    const script = argv.slice(1).find((a) => !a.startsWith('-')) ?? '';
    return /(^|\/)(npm-cli\.js|npx-cli\.js|\.bin\/tsx|tsx\/dist\/cli\.mjs)$/.test(script);
  }
  return false;
}

/** Our parent and the launchers right above it (Linux); just the parent elsewhere. */
function launcherChain(): Ancestor[] {
  const parent = readAncestor(process.ppid);
  if (parent === undefined) return [];
  const chain: Ancestor[] = [parent];
  for (let cur = parent; isLauncher(cur.cmd) && cur.ppid > 1;) {
    const next = readAncestor(cur.ppid);
    if (next === undefined || !isLauncher(next.cmd)) break;
    chain.push(next);
    cur = next;
  }
  return chain;
}

/**
 * Calls `onGone` once when our parent or a launcher above it goes away. Returns a function that
 * stops watching.
 */
export function watchParent(onGone: (gone: GoneLauncher) => void, intervalMs = 250): () => void {
  const original = process.ppid;
  const chain = launcherChain();
  const parentCmd = chain[0]?.cmd ?? '';
  const timer = setInterval(() => {
    let gone: GoneLauncher | undefined;
    if (process.ppid !== original) gone = { pid: original, cmd: parentCmd };
    else {
      for (const a of chain.slice(1)) {
        const now = readAncestor(a.pid);
        if (now === undefined || now.start !== a.start || now.state === 'Z' || now.state === 'X') {
          gone = { pid: a.pid, cmd: a.cmd };
          break;
        }
      }
    }
    if (gone !== undefined) {
      clearInterval(timer);
      onGone(gone);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
