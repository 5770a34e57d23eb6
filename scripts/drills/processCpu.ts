/**
 * CPU time of a process the drill started (user + system, from /proc/<pid>/stat), so a drill can
 * say what each of its processes cost on a shared machine, not only how long things took. Linux
 * only: null where /proc is not there or the process is gone.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux the project runs on). */
const USER_HZ = 100;

/** Seconds of CPU the process `pid` has used so far, or null. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces), in parentheses: state is field 3, utime 14, stime 15
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : null;
  } catch {
    return null;
  }
}
