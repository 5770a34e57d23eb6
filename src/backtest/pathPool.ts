/**
 * Runs path tasks on `workers` worker threads (default: one per core), each task on the next
 * free worker, and returns the results in the order of the tasks. A task that fails stops the
 * run: the pool is terminated and the error is thrown as a PathTaskError naming the path.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PathRunResult, PathTask } from './pathRun.js';
import type { WorkerReply } from './pathWorker.js';

/** A task failed in its worker: `cause` is the worker's error name (e.g. ConfigError, BacktestInputError). */
export class PathTaskError extends Error {
  override readonly name = 'PathTaskError';
  constructor(readonly label: string, readonly causeName: string, message: string) {
    super(`${label}: ${message}`);
  }
}

export interface PathPoolOptions {
  workers?: number;
  /** Called after each finished task with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export async function runPathTasks(tasks: readonly PathTask[], o: PathPoolOptions = {}): Promise<PathRunResult[]> {
  const n = Math.max(1, Math.min(o.workers ?? defaultWorkers(), tasks.length));
  const results: PathRunResult[] = new Array<PathRunResult>(tasks.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const feed = (w: Worker): void => {
        if (failed) return;
        if (next >= tasks.length) return;
        const id = next++;
        w.postMessage({ id, task: tasks[id] });
      };
      for (let k = 0; k < n; k++) {
        const w = new Worker(new URL('./pathWorkerBoot.mjs', import.meta.url), { stdout: false, stderr: false });
        workers.push(w);
        w.on('message', (m: WorkerReply) => {
          if ('error' in m) {
            failed = true;
            reject(new PathTaskError(tasks[m.id]!.path.label, m.error.name, m.error.message));
            return;
          }
          results[m.id] = m.result;
          done++;
          o.onProgress?.(done, tasks.length);
          if (done === tasks.length) resolve();
          else feed(w);
        });
        w.on('error', (err) => {
          failed = true;
          reject(err);
        });
        w.on('exit', (code) => {
          if (done < tasks.length && !failed) {
            failed = true;
            reject(new Error(`a path worker exited (code ${code}) before the run finished`));
          }
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
