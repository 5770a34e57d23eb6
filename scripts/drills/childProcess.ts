/**
 * A child process of the drill: its output split into lines (kept, and handed to listeners as they
 * come), its exit awaited, and stopping it by pid with a signal, timed. The drill only ever
 * signals the processes it started, by their own pid.
 */
import type { ChildProcess } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class DrillChild {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly listeners = new Set<(line: string) => void>();
  private exit: Exit | null = null;

  constructor(readonly name: string, readonly proc: ChildProcess, keepLines = 2_000) {
    for (const stream of [proc.stdout, proc.stderr]) {
      if (stream === null) continue;
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        for (const line of parts) {
          this.lines.push(line);
          if (this.lines.length > keepLines) this.lines.splice(0, this.lines.length - keepLines);
          for (const l of this.listeners) l(line);
        }
      });
    }
    this.exited = new Promise<Exit>((resolve) => proc.once('exit', (code, signal) => resolve((this.exit = { code, signal }))));
  }

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error(`${this.name}: process did not start`);
    return this.proc.pid;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** Calls `listener` with every later output line; returns the unsubscribe. */
  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first later line `match` maps to a value, or rejects after `ms` or on exit. */
  waitFor<T>(match: (line: string) => T | undefined, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        off();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no ${what} within ${ms} ms`));
      }, ms);
      const off = this.onLine((line) => {
        const v = match(line);
        if (v !== undefined) {
          done();
          resolve(v);
        }
      });
      void this.exited.then((e) => {
        done();
        reject(new Error(`${this.name} exited (${e.signal ?? `code ${e.code}`}) before ${what}`));
      });
    });
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. Returns the ms it took to exit. */
  async stop(signal: NodeJS.Signals, graceMs = 20_000): Promise<{ ms: number; exit: Exit; forced: boolean }> {
    const t0 = Date.now();
    if (!this.running) return { ms: 0, exit: this.exit!, forced: false };
    process.kill(this.pid, signal);
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      if (this.running) process.kill(this.pid, 'SIGKILL');
    }, graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return { ms: Date.now() - t0, exit, forced };
  }
}
