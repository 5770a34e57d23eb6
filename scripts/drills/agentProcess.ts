/**
 * One run of the agent under test: `rangekeeper run --config FILE` against the devnet and the
 * venue stand-in, with the wallet key and the key store's master key in its environment, its
 * output followed line by line. The drill kills it with SIGKILL (a crash, kill -9) and starts a
 * new one on the same data directory.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { DrillChild } from './childProcess.js';
import { parseAgentLog, parseRunningLine, parseStandbyLine, type AgentLogLine } from './agentLog.js';
import { DRILL_API_TOKEN, DRILL_MASTER_KEY } from './drillSetup.js';

const BIN = join(import.meta.dirname, '../../bin/rangekeeper.mjs');

export class AgentProcess {
  readonly startedAt = Date.now();
  private constructor(readonly child: DrillChild) {}

  /**
   * `o.logFile`: every output line is also written there. `o.detached`: in its own process group, for a drill that stops it with SIGSTOP (a job-control
   * wrapper around the drill must not see a stopped member of its group); it still stops when the
   * drill dies (it watches its parent).
   */
  static start(configFile: string, privateKey: string, o: { name?: string; detached?: boolean; logFile?: string } = {}): AgentProcess {
    const env: NodeJS.ProcessEnv = { ...process.env, RANGEKEEPER_MASTER_KEY: DRILL_MASTER_KEY, RANGEKEEPER_PRIVATE_KEY: privateKey, RANGEKEEPER_API_TOKEN: DRILL_API_TOKEN };
    delete env['LOG_LEVEL'];
    const proc = spawn(process.execPath, [BIN, 'run', '--config', configFile], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: o.detached === true });
    const child = new DrillChild(o.name ?? 'agent', proc);
    if (o.logFile !== undefined) {
      // every output line, for a look after the drill (its directory kept with --keep)
      const file = createWriteStream(o.logFile);
      child.onLine((line) => file.write(`${line}\n`));
      void child.exited.then(() => file.end());
    }
    return new AgentProcess(child);
  }

  /** Calls `listener` with every later log line of the agent. */
  onLog(listener: (l: AgentLogLine) => void): () => void {
    return this.child.onLine((line) => {
      const l = parseAgentLog(line);
      if (l !== undefined) listener(l);
    });
  }

  /** Resolves with the state snapshot URL once the agent is reconciled and serving its state. */
  running(timeoutMs: number): Promise<string> {
    return this.child.waitFor(parseRunningLine, timeoutMs, '"rangekeeper running" line');
  }

  /** Resolves with the standby's state snapshot URL once it waits as the standby (high availability). */
  standby(timeoutMs: number): Promise<string> {
    return this.child.waitFor(parseStandbyLine, timeoutMs, '"rangekeeper standby" line');
  }

  /** Resolves with the time (the line's own) of the agent's first later log line with message `msg`. */
  logged(msg: string, timeoutMs: number): Promise<number> {
    return this.child.waitFor((line) => {
      const l = parseAgentLog(line);
      return l !== undefined && l.msg === msg ? l.time : undefined;
    }, timeoutMs, `"${msg}" log line`);
  }

  /** kill -9; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (!this.child.running) return;
    process.kill(this.child.pid, 'SIGKILL');
    await this.child.exited;
  }

  /** The last `n` output lines (for a failure report). */
  tail(n = 20): string[] {
    return this.child.lines.slice(-n);
  }
}
