/**
 * The drill's side of the venue stand-in process (venueStandInProcess.ts): starts it with its
 * parameters, waits for its base URL, asks it for its order record, and stops it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DrillChild } from './childProcess.js';
import { childMessageSchema, type ParentMessage, type StandInParams, type StandInReport } from './venueMessages.js';

const ENTRY = join(import.meta.dirname, 'venueStandInProcess.ts');

/** The stand-in process failed or answered out of protocol. */
export class StandInError extends Error {
  override readonly name = 'StandInError';
}

export class VenueStandIn {
  private constructor(readonly child: DrillChild, readonly baseUrl: string) {}

  static async start(params: StandInParams, timeoutMs = 30_000): Promise<VenueStandIn> {
    const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY, JSON.stringify(params)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const child = new DrillChild('venue stand-in', proc);
    const ready = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StandInError(`no ready message within ${timeoutMs} ms: ${child.lines.slice(-5).join(' | ')}`)), timeoutMs);
      proc.on('message', (raw: unknown) => {
        const m = childMessageSchema.safeParse(raw);
        if (m.success && m.data.type === 'ready') {
          clearTimeout(timer);
          resolve(m.data.baseUrl);
        }
      });
      void child.exited.then((e) => {
        clearTimeout(timer);
        reject(new StandInError(`exited (${e.signal ?? `code ${e.code}`}) before ready: ${child.lines.slice(-5).join(' | ')}`));
      });
    });
    return new VenueStandIn(child, ready);
  }

  /** Every order request so far and the account's positions. */
  report(timeoutMs = 10_000): Promise<StandInReport> {
    return new Promise<StandInReport>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new StandInError(`no report within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (raw: unknown): void => {
        const m = childMessageSchema.safeParse(raw);
        if (!m.success) return;
        if (m.data.type === 'report') {
          off();
          resolve(m.data);
        } else if (m.data.type === 'error') {
          off();
          reject(new StandInError(m.data.message));
        }
      };
      const off = (): void => {
        clearTimeout(timer);
        this.child.proc.off('message', onMessage);
      };
      this.child.proc.on('message', onMessage);
      this.send({ type: 'report' });
    });
  }

  private send(m: ParentMessage): void {
    this.child.proc.send(m);
  }

  /** Asks the stand-in to stop; it is killed if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<number> {
    const t0 = Date.now();
    if (!this.child.running) return 0;
    if (this.child.proc.connected) this.send({ type: 'stop' });
    const timer = setTimeout(() => {
      if (this.child.running) process.kill(this.child.pid, 'SIGKILL');
    }, graceMs);
    await this.child.exited;
    clearTimeout(timer);
    return Date.now() - t0;
  }
}
