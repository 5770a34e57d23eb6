/**
 * Pools mode: one halt for the whole agent, whichever process it starts on. The record in Redis
 * (store/haltRecord.ts) is the agent's halt; each process follows it and writes to it:
 *
 * - this process's risk supervisor halts (a limit broken, a crash loop, the kill switch through
 *   this process's API or SIGUSR2: every halt goes through the supervisor) → the halt is written
 *   to the record, with its reason, who and this process, unless the record is halted already;
 * - an operator's resume through this process → written to the record first, then applied here;
 * - the record changes (another process wrote it) → applied here: a halt through agent.halt (the
 *   gate closes at once), a resume through the supervisor's resume;
 * - a process joining reads the record before it takes any pool: joining a halted agent, it
 *   starts halted. A halt this process kept from before a restart (its risk checkpoint) while the
 *   record says running is written to the record: a halt is never lost by a restart.
 *
 * Writes are compare-and-set on the record's version: a process that did not see the latest record
 * re-reads and decides again, and a halt wins over a resume it raced with (it is written again on
 * top). Each change is logged here and kept in the record's audit stream.
 */
import type { RiskState } from '../actors/risk/riskSupervisor.js';
import type { HaltChange, HaltRecord, HaltRecords } from '../adapters/store/haltRecord.js';
import { NO_HALT } from '../adapters/store/haltRecord.js';
import type { Logger } from '../logging/logger.js';

/** The part of the agent the agent-wide halt drives. */
export interface HaltTarget {
  halt(reason: string, by: string): Promise<RiskState>;
  /** The supervisor's own resume (this process only). */
  resumeHere(by: string): Promise<RiskState>;
  risk(): Promise<RiskState>;
}

/** How many times a write is decided again after losing a race. */
const MAX_TRIES = 5;

export class AgentWideHalt {
  private seen: HaltRecord = NO_HALT;
  /** This process's supervisor status as last published: a halt is written on the change to halted. */
  private local: RiskState['status'] = 'running';
  private queue: Promise<unknown> = Promise.resolve();
  private stopWatch: (() => Promise<void>) | null = null;

  constructor(private readonly records: HaltRecords, private readonly target: HaltTarget, private readonly holder: string, private readonly log: Logger) {}

  /** The record as last seen. */
  get record(): HaltRecord {
    return this.seen;
  }

  /** Reads the record, brings this process in line with it (or it in line with a halt kept here), then follows it. */
  async start(): Promise<void> {
    await this.serial(async () => {
      this.seen = await this.records.read();
      const here = await this.target.risk();
      this.local = here.status;
      if (this.seen.status === 'halted' && here.status !== 'halted') await this.apply(this.seen);
      else if (this.seen.status !== 'halted' && here.status === 'halted') {
        await this.writeHalt({ status: 'halted', reason: here.reason ?? 'halted before restart', by: here.haltedBy ?? 'restart', holder: this.holder });
      }
    });
    this.stopWatch = this.records.watch(
      (r) => { if (r.version > this.seen.version) void this.serial(() => this.follow(r)); },
      (err) => this.log.warn({ err }, 'agent-wide halt: reading the record failed; retrying'),
    );
  }

  /** This process's supervisor published `s`: a change to halted is the agent's halt. */
  riskChanged(s: RiskState): void {
    const was = this.local;
    this.local = s.status;
    if (was === 'halted' || s.status !== 'halted') return;
    void this.serial(async () => {
      if (this.seen.status === 'halted') return;
      await this.writeHalt({ status: 'halted', reason: s.reason, by: s.haltedBy, holder: this.holder });
    });
  }

  /** An operator's resume: recorded for the whole agent, then applied here; the supervisor's state after. */
  resume(by: string): Promise<RiskState> {
    return this.serial(async () => {
      for (let i = 0; i < MAX_TRIES; i++) {
        const written = await this.records.write(this.seen.version, { status: 'running', reason: null, by, holder: this.holder });
        if (written !== null) {
          this.seen = written;
          this.log.warn({ by, version: written.version }, 'agent-wide halt: resumed for every process of the agent');
          return this.target.resumeHere(by);
        }
        this.seen = await this.records.read();
      }
      throw new Error(`agent-wide resume: the halt record kept changing (${MAX_TRIES} tries); try again`);
    });
  }

  /** Resolves once every change queued so far is written or applied. */
  settled(): Promise<void> {
    return this.serial(async () => undefined);
  }

  async stop(): Promise<void> {
    await this.stopWatch?.();
    this.stopWatch = null;
    await this.settled();
  }

  private async follow(r: HaltRecord): Promise<void> {
    if (r.version <= this.seen.version) return;
    this.seen = r;
    await this.apply(r);
  }

  /** Brings this process in line with the record `r`. */
  private async apply(r: HaltRecord): Promise<void> {
    const here = await this.target.risk();
    const by = `${r.by ?? '?'} via ${r.holder ?? '?'}`;
    if (r.status === 'halted' && here.status !== 'halted') {
      this.log.error({ reason: r.reason, by: r.by, holder: r.holder, version: r.version }, 'agent-wide halt: halted by another process of the agent');
      // the supervisor's change to halted is not written back: the record is halted already
      await this.target.halt(r.reason ?? 'halted', by);
    } else if (r.status === 'running' && here.status === 'halted') {
      this.log.warn({ by: r.by, holder: r.holder, version: r.version }, 'agent-wide halt: resumed by another process of the agent');
      await this.target.resumeHere(by);
    }
  }

  /** Writes a halt over whatever the record says now (a halt wins the race with a resume). */
  private async writeHalt(change: HaltChange): Promise<void> {
    for (let i = 0; i < MAX_TRIES; i++) {
      if (this.seen.status === 'halted') return;
      const written = await this.records.write(this.seen.version, change);
      if (written !== null) {
        this.seen = written;
        this.log.error({ reason: change.reason, by: change.by, version: written.version }, 'agent-wide halt: halted every process of the agent');
        return;
      }
      this.seen = await this.records.read();
    }
    this.log.error({ reason: change.reason }, `agent-wide halt: the record kept changing (${MAX_TRIES} tries); this process stays halted`);
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f);
    this.queue = run.catch((err: unknown) => this.log.error({ err }, 'agent-wide halt: a change failed'));
    return run;
  }
}
